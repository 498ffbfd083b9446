// olmd check-config: every error and warning of the configuration, at once,
// including names checked against the database; exit 0 valid, 1 invalid.
#include <iostream>

#include "cli/command_options.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "olmd/core/database_uri.hpp"
#include "olmd/geoip/check_config.hpp"
#include "olmd/jobs/job.hpp"
#include "olmd/store/pg_migrations.hpp"
#include "olmd/store/pg_reference.hpp"

namespace olmd::cli {

namespace {

/// The configured database's schema check and, when it passed, its reference names.
struct CheckedCatalog {
    Status schema;
    Result<domain::Catalog> names = Error{"not read"};
};

/// Opens the configured database read-only (SQLite) or connects to it (PostgreSQL, PG-1), checks its
/// schema version and loads its catalog.
CheckedCatalog load_checked_catalog(const config::Config& cfg) {
    CheckedCatalog out;
    if (is_postgres_uri(cfg.daemon.database)) {
        store::PgOpenOptions o;
        o.busy_timeout_ms = cfg.daemon.busy_timeout_ms;
        o.password_file = cfg.daemon.password_file;
        auto db = store::PgDatabase::open(cfg.daemon.database, o);
        out.schema = db ? store::require_current_pg_schema(**db) : Status(db.error());
        if (out.schema) out.names = store::load_pg_catalog(**db);
        return out;
    }
    store::OpenOptions o;
    o.read_only = true;
    o.busy_timeout_ms = cfg.daemon.busy_timeout_ms;
    auto db = store::Database::open(cfg.daemon.database, o);
    out.schema = db ? store::require_current_schema(**db) : Status(db.error());
    if (out.schema) out.names = store::load_catalog(**db);
    return out;
}

}  // namespace

int cmd_check_config(const Globals& g, std::vector<std::string> args) {
    cxxopts::Options options(
        "olmd check-config",
        "Load and validate the configuration against the database; print every error and "
        "warning.\nExit 0 if valid (warnings allowed), 1 if not.");
    int status = 0;
    auto r = parse_command(options, args, status);
    if (!r) return status;
    if (int e = reject_extra(*r, options.program()); e >= 0) return e;

    auto loaded = config::load_config_file(g.config_path);
    config::Diagnostics& diags = loaded.diagnostics;
    const config::Config& cfg = *loaded.config;
    int db_status = exit_code::ok;
    // No follow-on errors: a file that is not TOML, or a database key that is wrong, leaves
    // defaults the operator never wrote; checking names against them would mislead. A PostgreSQL
    // password file already reported as wrong would only fail the connection a second time.
    bool database_known = loaded.parsed;
    for (const auto& d : diags.items)
        if (d.severity == config::Severity::error &&
            (d.key == "daemon.database" || d.key == "daemon.password_file"))
            database_known = false;

    if (database_known) {
        // The schema version first: names read from a database of another version would mislead.
        auto catalog = load_checked_catalog(cfg);
        if (!catalog.schema) {
            diags.error(g.config_path, cfg.pos("daemon.database").line, cfg.pos("daemon.database").column,
                        "daemon.database", catalog.schema.error().message + "; names cannot be checked");
            db_status = catalog.schema.error().code;
        } else if (!catalog.names) {
            diags.error(g.config_path, 0, 0, "daemon.database", catalog.names.error().message);
        } else {
            config::check_names(cfg, catalog.names->name_catalog(), diags);
        }
        // FR-7: the locator the fraud job would use must be usable.
        if (cfg.job(JobKind::fraud).enabled) geoip::check_locator_config(cfg, diags);
    }

    int errors = 0, warnings = 0;
    for (const auto& d : diags.items) {
        std::cerr << d.to_string() << "\n";
        (d.severity == config::Severity::error ? errors : warnings)++;
    }
    if (errors > 0) {
        std::cerr << g.config_path << ": " << errors << " error(s), " << warnings << " warning(s)\n";
        return db_status != exit_code::ok ? db_status : exit_code::failure;
    }
    std::cout << g.config_path << ": configuration OK";
    if (warnings > 0) std::cout << " (" << warnings << " warning(s))";
    std::cout << "\n";
    return exit_code::ok;
}

}  // namespace olmd::cli
