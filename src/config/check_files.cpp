// OPS-9: the files olmd writes (lock file, metrics textfile) are its own: never the
// database, its -wal/-shm, the config file or a secret file; the metrics directory exists.

#include <filesystem>
#include <string>
#include <vector>

#include "checks.hpp"
#include "olmd/config/loader.hpp"
#include "olmd/core/database_uri.hpp"
#include "olmd/core/files.hpp"
#include "suggest.hpp"

namespace olmd::config::detail {

namespace {

/// A file olmd must never write, and what it is.
struct Guarded {
    std::string path;
    std::string what;
};

std::vector<Guarded> guarded_files(const Config& c, const std::string& config_path) {
    std::vector<Guarded> out;
    const std::string& db = c.daemon.database;
    if (!is_postgres_uri(db)) {
        out.push_back({db, "the database ([daemon] database)"});
        out.push_back({db + "-wal", "the database's write-ahead log"});
        out.push_back({db + "-shm", "the database's shared-memory index"});
        out.push_back({db + "-journal", "the database's rollback journal"});
    }
    out.push_back({config_path, "the configuration file"});
    const auto& ip = c.fraud.ip_address;
    const std::pair<const std::string*, const char*> secrets[] = {
        {&c.gateway.api_key_file, "[gateway] api_key_file"},
        {&c.smtp.password_file, "[smtp] password_file"},
        {&c.daemon.password_file, "[daemon] password_file"},
        {&ip.license_key_file, "[fraud.ip_address] license_key_file"},
        {&ip.key_file, "[fraud.ip_address] key_file"},
        {&ip.database, "[fraud.ip_address] database (the GeoIP database)"}};
    for (const auto& [path, what] : secrets)
        if (!path->empty()) out.push_back({*path, std::string("the file of ") + what});
    return out;
}

/// Errors when the file written at `key` is one olmd does not own.
void check_written(const Config& c, Diagnostics& out, const std::string& key, const std::string& path,
                   const std::vector<Guarded>& guarded) {
    SourcePos p = c.pos(key);
    if (p.line == 0) p = c.pos("daemon.database");
    for (const auto& g : guarded) {
        if (g.path.empty() || !files::same_file(path, g.path)) continue;
        out.error(c.source_path, p.line, p.column, key,
                  quote_value(path) + " is " + g.what + " " + quote_value(g.path) + "; olmd would overwrite it. Point " +
                      key + " at a file of olmd's own (OPS-9)");
        return;
    }
}

bool is_sqlite(const Config& c) {
    return !is_postgres_uri(c.daemon.database);
}

}  // namespace

}  // namespace olmd::config::detail

namespace olmd::config {

void check_written_files(const Config& c, const std::string& config_path, Diagnostics& out) {
    using namespace detail;
    const std::vector<Guarded> guarded = guarded_files(c, config_path);
    const std::string lock = c.daemon.effective_lock_file();
    if (is_sqlite(c)) check_written(c, out, "daemon.lock_file", lock, guarded);
    if (c.metrics.textfile.empty()) return;
    std::vector<Guarded> for_metrics = guarded;
    if (is_sqlite(c)) for_metrics.push_back({lock, "the lock file ([daemon] lock_file)"});
    check_written(c, out, "metrics.textfile", c.metrics.textfile, for_metrics);
}

}  // namespace olmd::config

namespace olmd::config::detail {

void check_files(LoadContext& ctx) {
    check_written_files(ctx.cfg, ctx.file, ctx.diags);
    const std::string& textfile = ctx.cfg.metrics.textfile;
    if (textfile.empty()) return;
    std::string dir = std::filesystem::path(textfile).parent_path().string();
    if (dir.empty()) dir = ".";
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        ctx.warning("metrics.textfile", ctx.pos("metrics.textfile"),
                    "its directory " + quote_value(dir) +
                        " does not exist: every metrics write will fail until it is created (node_exporter's "
                        "textfile collector directory, e.g. /var/lib/prometheus/node-exporter)");
}

}  // namespace olmd::config::detail
