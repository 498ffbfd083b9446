#include "olmd/store/migrations.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include "olmd/store/embedded_sql.hpp"

namespace olmd::store {

int known_schema_version() { return static_cast<int>(embedded_migrations().size()); }

namespace {

int count_reference_rows(SQLite::Database& db) {
    return db.execAndGet("SELECT (SELECT count(*) FROM order_statuses) + (SELECT count(*) FROM channels)").getInt();
}

}  // namespace

Result<MigrateReport> migrate(Database& database) {
    SQLite::Database& db = database.raw();
    MigrateReport report;
    try {
        report.from_version = database.user_version();
        const auto& migrations = embedded_migrations();
        const int known = static_cast<int>(migrations.size());
        if (report.from_version > known)
            return Error{"database " + database.path() + " has schema version " +
                             std::to_string(report.from_version) + ", newer than this olmd understands (" +
                             std::to_string(known) + "); upgrade olmd, nothing was changed",
                         exit_code::database};
        for (int v = report.from_version; v < known; ++v) {
            // Each migration and its version bump commit together or not at all.
            db.exec("BEGIN IMMEDIATE");
            try {
                db.exec(migrations[static_cast<std::size_t>(v)].text);
                db.exec("PRAGMA user_version = " + std::to_string(v + 1));
                db.exec("COMMIT");
            } catch (const std::exception& e) {
                db.exec("ROLLBACK");
                return Error{std::string("migration ") + migrations[static_cast<std::size_t>(v)].name +
                                 " failed and was rolled back: " + e.what(),
                             exit_code::database};
            }
            report.applied.emplace_back(migrations[static_cast<std::size_t>(v)].name);
        }
        report.to_version = known;
        db.exec("BEGIN IMMEDIATE");
        const int before = count_reference_rows(db);
        db.exec(embedded_seed());
        report.seeded_rows = count_reference_rows(db) - before;
        db.exec("COMMIT");
    } catch (const std::exception& e) {
        try {
            db.exec("ROLLBACK");
        } catch (...) {
        }
        return Error{std::string("init-db failed on ") + database.path() + ": " + e.what(), exit_code::database};
    }
    return report;
}

}  // namespace olmd::store
