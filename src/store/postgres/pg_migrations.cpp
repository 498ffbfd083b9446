#include "olmd/store/pg_migrations.hpp"

#include "olmd/store/embedded_sql.hpp"
#include "store/postgres/pg_impl.hpp"

namespace olmd::store {

namespace {

constexpr const char* kCreateTracking =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())";

/// The recorded version inside w (schema_migrations exists).
int recorded_version(pqxx::work& w) {
    return w.exec("SELECT coalesce(max(version), 0) FROM schema_migrations")[0][0].as<int>();
}

/// The error of a database newer than this binary.
Error newer_schema(PgDatabase& db, int version, int known, const std::string& advice) {
    return Error{"database " + db.server() + " has schema version " + std::to_string(version) +
                     ", newer than this olmd understands (" + std::to_string(known) + "); " + advice,
                 exit_code::database};
}

int count_reference_rows(pqxx::work& w) {
    return w.exec("SELECT (SELECT count(*) FROM order_statuses) + (SELECT count(*) FROM channels)")[0][0]
        .as<int>();
}

}  // namespace

int known_pg_schema_version() {
    return static_cast<int>(embedded_pg_migrations().size());
}

Result<int> pg_schema_version(PgDatabase& db) {
    try {
        pqxx::work w(db.impl().conn);
        const bool tracked = w.exec("SELECT to_regclass('schema_migrations') IS NOT NULL")[0][0].as<bool>();
        const int v = tracked ? recorded_version(w) : 0;
        w.commit();
        return v;
    } catch (const std::exception& e) {
        return pg_error(db, "cannot read the schema version", e);
    }
}

Result<MigrateReport> migrate_pg(PgDatabase& db) {
    const auto& migrations = embedded_pg_migrations();
    const int known = static_cast<int>(migrations.size());
    MigrateReport report;
    bool first = true;
    for (;;) {
        // One transaction per migration: the lock makes a concurrent init-db wait, then see the new version.
        std::string step = "init-db";
        try {
            pqxx::work w(db.impl().conn);
            lock_schema(w);
            w.exec(kCreateTracking);
            const int v = recorded_version(w);
            if (first) {
                report.from_version = report.to_version = v;
                first = false;
            }
            if (v > known) return newer_schema(db, v, known, "upgrade olmd, nothing was changed");
            if (v == known) {
                w.commit();
                break;
            }
            const EmbeddedSql& m = migrations[static_cast<std::size_t>(v)];
            step = std::string("migration ") + m.name;
            w.exec(m.text);
            w.exec_params("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", v + 1,
                          std::string(m.name));
            w.commit();
            report.applied.emplace_back(m.name);
            report.to_version = v + 1;
        } catch (const std::exception& e) {
            return pg_error(db, step + " failed and was rolled back", e);
        }
    }
    try {
        pqxx::work w(db.impl().conn);
        lock_schema(w);
        const int before = count_reference_rows(w);
        w.exec(embedded_pg_seed());
        report.seeded_rows = count_reference_rows(w) - before;
        w.commit();
    } catch (const std::exception& e) {
        return pg_error(db, "seeding the reference rows failed and was rolled back", e);
    }
    return report;
}

Status require_current_pg_schema(PgDatabase& db) {
    auto v = pg_schema_version(db);
    if (!v) return v.error();
    const int known = known_pg_schema_version();
    if (*v > known) return newer_schema(db, *v, known, "upgrade olmd before using this database");
    if (*v < known)
        return Error{"database " + db.server() + " has schema version " + std::to_string(*v) +
                         ", this olmd needs " + std::to_string(known) +
                         "; run `olmd init-db` to apply the pending migrations",
                     exit_code::database};
    return ok_status();
}

}  // namespace olmd::store
