#pragma once
// Reading a TOML file into a Config, with every error reported at once.

#include <string>
#include <vector>

#include "olmd/config/config.hpp"
#include "olmd/config/diagnostics.hpp"
#include "olmd/domain/catalog.hpp"

namespace olmd::config {

/// The result of loading: a config (defaults where the file had errors) and every finding.
struct LoadResult {
    ConfigPtr config;          ///< never null
    Diagnostics diagnostics;
    /// False when the file could not be read or is not TOML: the config is all defaults and
    /// nothing may be checked against it (no follow-on errors from what the file did not set).
    bool parsed = true;
    /// True when no finding is an error.
    bool ok() const { return !diagnostics.has_errors(); }
};

/// Reads and validates the file at path (OPS-10: a regular file of at most 1 MiB; syntax,
/// unknown keys, types, ranges, times, cron, time zone, files, cross-field warnings).
/// Names are checked later by check_names().
LoadResult load_config_file(const std::string& path);

/// Same as load_config_file but from TOML text; `path` is only used in messages.
LoadResult load_config_text(const std::string& text, const std::string& path);

/// Checks every status/channel/shipping-method/warehouse name in cfg against the
/// database's names; appends an error per unknown name listing the valid ones, and a
/// warning when a `closest` rule meets a warehouse without a location (SRC-8).
void check_names(const Config& cfg, const domain::NameCatalog& names, Diagnostics& out);

/// OPS-9: an error per file olmd writes (lock file, metrics textfile) that is not its own:
/// the database, its -wal/-shm/-journal, the config at config_path, a secret or the GeoIP file.
void check_written_files(const Config& cfg, const std::string& config_path, Diagnostics& out);

}  // namespace olmd::config
