#pragma once
// What every command shares: the global options and the steps that load the
// configuration and open the database, each reporting its own error.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "olmd/config/loader.hpp"
#include "olmd/core/error.hpp"
#include "olmd/core/stop_token.hpp"
#include "olmd/store/catalog.hpp"
#include "olmd/core/instance_lock.hpp"
#include "olmd/store/backend.hpp"
#include "olmd/store/database.hpp"
#include "olmd/store/pg_database.hpp"

namespace olmd::cli {

/// Options given before the command.
struct Globals {
    std::string config_path;        ///< --config, else $OLMD_CONFIG, else the installed default
    std::optional<std::string> log_level;  ///< --log-level
};

/// A command: its name, one-line help, and its entry point taking the arguments after it.
struct Command {
    const char* name;
    const char* summary;
    int (*main)(const Globals& globals, std::vector<std::string> args);
};

/// The files installed with olmd, as this binary finds them.
struct InstallPaths {
    std::string config_file;  ///< the default --config
    std::string sql_dir;      ///< the installed sql/ (migrations, seed, ZIP centroids)
};

/// The paths compiled in for the prefix olmd was configured with, or, for a binary installed under
/// another prefix (cmake --install --prefix P: P/bin/olmd), the same places under P, as
/// GNUInstallDirs puts them (P = /usr: /etc/olmd/olmd.toml, /usr/share/olmd/sql).
InstallPaths install_paths();

/// Every command, in help order.
const std::vector<Command>& commands();

/// Prints an error line "olmd: <message>" on stderr and returns its exit code.
int report(const Error& e);

/// Loads and validates the config (not the names); prints findings; nullptr on errors.
config::ConfigPtr load_config(const Globals& g, bool print_warnings);

/// Opens the configured database and checks its schema version; prints and returns nullptr on error.
/// stop (may be null) cuts its busy waits short (OPS-2) and must outlive the database.
std::unique_ptr<store::Database> open_database(const config::Config& cfg, bool read_only, int& exit_status,
                                               const StopToken* stop = nullptr);

/// Opens the configured database of either backend (a file or a PostgreSQL URI, PG-1) and checks its
/// schema version; prints and returns nullptr on error, exit_status then set. stop (may be null) cuts
/// SQLite's busy waits short (OPS-2) and must outlive the database.
std::unique_ptr<store::Backend> open_backend(const config::Config& cfg, bool read_only, int& exit_status,
                                             const StopToken* stop = nullptr);

/// OPS-4 / PG-2 for one command: on PostgreSQL the session-level advisory lock of backend (an Error with
/// exit code 3 naming the holder when another session has it), else the lock file of [daemon]
/// lock_file; the lock file is returned (null on PostgreSQL, whose lock lasts as long as the session).
Result<std::unique_ptr<InstanceLock>> take_instance_lock(const config::Config& cfg, store::Backend& backend);

/// OPS-9 before the lock is taken: the lock file and [metrics] textfile must not be the database, its
/// -wal/-shm, the config file, a secret or GeoIP file (nor each other); an Error (exit 1) names both.
Status check_written_files(const config::Config& cfg, const std::string& config_path);

/// Connects to the configured PostgreSQL database (PG-1) and, with require_schema, checks its schema
/// version; prints and returns nullptr on error, exit_status then set (4).
std::unique_ptr<store::PgDatabase> open_pg_database(const config::Config& cfg, bool require_schema,
                                                    int& exit_status);

/// Checks config names against the database; prints findings; false when any is an error.
bool check_config_names(const config::Config& cfg, const domain::Catalog& catalog);


}  // namespace olmd::cli
