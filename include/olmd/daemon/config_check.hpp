#pragma once
// The configuration checks of `olmd run`, at start and on SIGHUP (OPS-3): the
// same as check-config (file, names against the database, each enabled job's
// own checks), with every finding logged through spdlog (so journald keeps
// its priority).

#include <string>

#include "olmd/config/config.hpp"
#include "olmd/config/diagnostics.hpp"
#include "olmd/config/loader.hpp"
#include "olmd/core/error.hpp"
#include "olmd/store/backend.hpp"

namespace olmd::daemon {

/// Logs each finding: errors at error level, warnings at warning level.
void log_diagnostics(const config::Diagnostics& diagnostics);

/// Adds the findings that need the database (names) and the jobs' own checks to `out`.
void check_against_database(const config::Config& cfg, store::Backend& db, config::Diagnostics& out);

/// Loads path and runs every check; logs every finding. An Error (exit 1) summarises the errors
/// when there is any, else the config.
Result<config::ConfigPtr> load_checked_config(const std::string& path, store::Backend& db);

/// One line naming the errors of `d` ("3 error(s): first message; ..."), for failure emails.
std::string summarize_errors(const config::Diagnostics& d);

}  // namespace olmd::daemon
