#include "olmd/store/migrations.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <optional>
#include <stdexcept>

#include "olmd/store/embedded_sql.hpp"
#include "store/check_rules.hpp"
#include "store/rebuild_table.hpp"

namespace olmd::store {

int known_schema_version() { return static_cast<int>(embedded_migrations().size()); }

namespace {

int count_reference_rows(SQLite::Database& db) {
    return db.execAndGet("SELECT (SELECT count(*) FROM order_statuses) + (SELECT count(*) FROM channels)").getInt();
}

void rollback_quietly(SQLite::Database& db) {
    try {
        db.exec("ROLLBACK");
    } catch (...) {
        // No transaction was open.
    }
}

/// What init-db prints when existing rows stop a migration that adds CHECKs.
std::string blocked_message(const EmbeddedSql& m, const ViolationScan& scan, int version) {
    std::string out = std::string("migration ") + m.name + " adds CHECK constraints (database.md) that " +
                      std::to_string(scan.total) + (scan.total == 1 ? " value" : " values") +
                      " in existing rows break:\n";
    for (const auto& t : scan.tables) {
        for (const auto& v : t.listed) out += "  " + describe(v) + "\n";
        if (t.unlisted > 0) out += "  " + t.table + ": " + std::to_string(t.unlisted) + " more not listed\n";
    }
    return out + "Nothing was changed: the database is still at schema version " + std::to_string(version) +
           ". Correct or delete these rows, then run `olmd init-db` again.";
}

/// Applies migration m as schema version `version`: its SQL, then, when it has `-- @check` rules,
/// the scan for rows breaking them and the rebuild of their tables; with the user_version bump,
/// in one transaction. Throws on a database error outside that transaction.
Status apply(SQLite::Database& db, const EmbeddedSql& m, int version) {
    auto rules = parse_check_rules(m.text);
    if (!rules)
        return Error{std::string("migration ") + m.name + ": " + rules.error().message, exit_code::database};
    // Outside the transaction: PRAGMA foreign_keys cannot change inside one.
    std::optional<RebuildSettings> settings;
    if (!rules->empty()) settings.emplace(db);
    db.exec("BEGIN IMMEDIATE");
    try {
        db.exec(m.text);
        if (!rules->empty()) {
            const ViolationScan scan = find_violations(db, *rules, kListedViolationsPerTable);
            if (scan.total > 0) {
                rollback_quietly(db);
                return Error{blocked_message(m, scan, version - 1), exit_code::failure};
            }
            const auto before = foreign_key_problems(db);
            for (const auto& table : rule_tables(*rules))
                rebuild_with_checks(db, table, rule_expressions(*rules, table), std::string("added by ") + m.name);
            if (foreign_key_problems(db) != before)
                throw std::runtime_error("PRAGMA foreign_key_check reports rows the table rebuild broke");
        }
        db.exec("PRAGMA user_version = " + std::to_string(version));
        db.exec("COMMIT");
    } catch (const std::exception& e) {
        rollback_quietly(db);
        return Error{std::string("migration ") + m.name + " failed and was rolled back: " + e.what(),
                     exit_code::database};
    }
    return ok_status();
}

}  // namespace

Result<MigrateReport> migrate_to(Database& database, int version) {
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
        if (version > known)
            return Error{"schema version " + std::to_string(version) + " is unknown to this olmd (it knows " +
                             std::to_string(known) + ")",
                         exit_code::database};
        report.to_version = report.from_version;
        for (int v = report.from_version; v < version; ++v) {
            // Each migration and its version bump commit together or not at all.
            const EmbeddedSql& m = migrations[static_cast<std::size_t>(v)];
            if (auto st = apply(db, m, v + 1); !st) return st.error();
            report.applied.emplace_back(m.name);
            report.to_version = v + 1;
        }
    } catch (const std::exception& e) {
        rollback_quietly(db);
        return Error{std::string("init-db failed on ") + database.path() + ": " + e.what(), exit_code::database};
    }
    return report;
}

Result<MigrateReport> migrate(Database& database) {
    auto report = migrate_to(database, known_schema_version());
    if (!report) return report;
    SQLite::Database& db = database.raw();
    try {
        db.exec("BEGIN IMMEDIATE");
        const int before = count_reference_rows(db);
        db.exec(embedded_seed());
        report->seeded_rows = count_reference_rows(db) - before;
        db.exec("COMMIT");
    } catch (const std::exception& e) {
        rollback_quietly(db);
        return Error{std::string("init-db failed on ") + database.path() + ": " + e.what(), exit_code::database};
    }
    return report;
}

}  // namespace olmd::store
