// olmd init-db: create the database if missing, apply pending migrations, seed
// reference rows, and load the ZIP centroids when zip_codes is empty. Rows that
// break a migration's new CHECKs are listed (store::migrate's error) and exit 1.
#include <sys/stat.h>

#include <iostream>

#include "cli/command_options.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "olmd/core/database_uri.hpp"
#include "olmd/core/instance_lock.hpp"
#include "olmd/store/migrations.hpp"
#include "olmd/store/pg_migrations.hpp"
#include "olmd/store/pg_reference.hpp"
#include "olmd/store/zip_codes.hpp"

#ifndef OLMD_SOURCE_SQL_DIR
#define OLMD_SOURCE_SQL_DIR ""
#endif

namespace olmd::cli {

namespace {

bool readable(const std::string& p) {
    struct stat st {};
    return !p.empty() && ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

/// The ZIP centroid file shipped with olmd: $OLMD_SQL_DIR, the installed share/olmd/sql, or the source tree.
std::string find_zip_csv() {
    const char* env = std::getenv("OLMD_SQL_DIR");
    for (std::string dir :
         {std::string(env ? env : ""), install_paths().sql_dir, std::string(OLMD_SOURCE_SQL_DIR)}) {
        if (dir.empty()) continue;
        const std::string p = dir + "/us-zip-centroids.csv";
        if (readable(p)) return p;
    }
    return {};
}

/// Prints what migrate / migrate_pg did to the database named `shown`.
void print_report(const std::string& shown, const store::MigrateReport& rep) {
    if (rep.applied.empty()) {
        std::cout << "database " << shown << " is up to date (schema version " << rep.to_version << ")\n";
    } else {
        std::cout << "database " << shown << ": schema version " << rep.from_version << " -> "
                  << rep.to_version << " (applied";
        for (const auto& a : rep.applied) std::cout << ' ' << a;
        std::cout << ")\n";
    }
    if (rep.seeded_rows > 0) std::cout << "seeded " << rep.seeded_rows << " reference rows\n";
}

/// Loads the shipped ZIP centroids through load(csv) when count() says zip_codes is empty.
template <class Count, class Load>
int load_shipped_zips(Count count, Load load) {
    auto n = count();
    if (!n) return report(n.error());
    if (*n > 0) return exit_code::ok;
    const std::string csv = find_zip_csv();
    if (csv.empty()) {
        std::cerr << "olmd: warning: us-zip-centroids.csv not found; load ZIP centroids with "
                     "`olmd import-zips FILE` for the closest fulfillment rule\n";
        return exit_code::ok;
    }
    auto loaded = load(csv);
    if (!loaded) return report(loaded.error());
    std::cout << "loaded " << *loaded << " ZIP centroids from " << csv
              << " (ZIP code data (c) GeoNames, CC BY 4.0)\n";
    return exit_code::ok;
}

/// init-db on PostgreSQL (PG-1): the database must exist; concurrent runs wait on an advisory lock.
int init_db_pg(const config::Config& cfg, bool load_zips) {
    int status = 0;
    auto db = open_pg_database(cfg, false, status);
    if (!db) return status;
    auto rep = store::migrate_pg(*db);
    if (!rep) return report(rep.error());
    print_report(db->server(), *rep);
    if (!load_zips) return exit_code::ok;
    return load_shipped_zips([&] { return store::count_zip_codes_pg(*db); },
                             [&](const std::string& csv) { return store::import_zip_csv_pg(*db, csv); });
}

}  // namespace

int cmd_init_db(const Globals& g, std::vector<std::string> args) {
    cxxopts::Options options(
        "olmd init-db",
        "Create the database if missing, apply pending migrations and seed reference rows.\n"
        "Safe to run again: an up-to-date database is left unchanged. Existing rows that\n"
        "break a CHECK constraint a migration adds stop it: they are listed, that migration\n"
        "changes nothing, and init-db exits 1. On PostgreSQL (a postgresql:// database) the\n"
        "database must exist; init-db creates the tables in it.");
    options.add_options()("no-zips",
                          "do not load the shipped US ZIP centroids into an empty zip_codes table");
    int status = 0;
    auto r = parse_command(options, args, status);
    if (!r) return status;
    if (int e = reject_extra(*r, options.program()); e >= 0) return e;
    auto cfg = load_config(g, false);
    if (!cfg) return exit_code::failure;

    if (auto st = check_written_files(*cfg, g.config_path); !st) return report(st.error());
    if (is_postgres_uri(cfg->daemon.database)) return init_db_pg(*cfg, !r->count("no-zips"));
    store::OpenOptions o;
    o.create = true;
    o.busy_timeout_ms = cfg->daemon.busy_timeout_ms;
    auto db = store::Database::open(cfg->daemon.database, o);
    if (!db) return report(db.error());
    auto lock = InstanceLock::acquire(cfg->daemon.effective_lock_file());
    if (!lock) return report(lock.error());

    auto rep = store::migrate(**db);
    if (!rep) return report(rep.error());
    print_report(cfg->daemon.database, *rep);
    if (r->count("no-zips")) return exit_code::ok;
    return load_shipped_zips([&] { return store::count_zip_codes(**db); },
                             [&](const std::string& csv) { return store::import_zip_csv(**db, csv); });
}

}  // namespace olmd::cli
