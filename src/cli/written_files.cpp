// OPS-9 at run time: the files olmd writes (the lock file, truncated when the
// lock is taken, and the metrics textfile, renamed over) are never a file it
// reads: the database and its -wal/-shm, the config, a secret or the GeoIP
// database. check-config reports the same; this keeps `run-once` without
// check-config from truncating the database.
#include <string>
#include <utility>
#include <vector>

#include "cli/common.hpp"
#include "olmd/core/files.hpp"

namespace olmd::cli {

namespace {

/// A file olmd reads, and what it is.
using Named = std::pair<std::string, std::string>;

std::vector<Named> files_read(const config::Config& cfg, const std::string& config_path) {
    const std::string& db = cfg.daemon.database;
    std::vector<Named> out{{db, "the database ([daemon] database)"},
                           {db + "-wal", "the database's write-ahead log"},
                           {db + "-shm", "the database's shared-memory index"},
                           {config_path, "the configuration file"},
                           {cfg.gateway.api_key_file, "[gateway] api_key_file"},
                           {cfg.smtp.password_file, "[smtp] password_file"},
                           {cfg.fraud.ip_address.license_key_file, "[fraud.ip_address] license_key_file"},
                           {cfg.fraud.ip_address.key_file, "[fraud.ip_address] key_file"},
                           {cfg.fraud.ip_address.database, "the GeoIP database ([fraud.ip_address] database)"}};
    return out;
}

/// An Error when the written file at path is one of `read`.
Status refuse_if_read(const std::string& path, const std::string& key, const std::string& what_is_done,
                      const std::vector<Named>& read) {
    for (const auto& [other, what] : read) {
        if (other.empty() || !files::same_file(path, other)) continue;
        return Error{key + " " + path + " is the same file as " + what + " " + other + ": " + what_is_done +
                         "; set " + key + " to a file of olmd's own - nothing was done",
                     exit_code::failure};
    }
    return ok_status();
}

}  // namespace

Status check_written_files(const config::Config& cfg, const std::string& config_path) {
    const std::vector<Named> read = files_read(cfg, config_path);
    const std::string lock = cfg.daemon.effective_lock_file();
    if (auto st = refuse_if_read(lock, "[daemon] lock_file", "taking the lock truncates it", read); !st) return st;
    if (cfg.metrics.textfile.empty()) return ok_status();
    std::vector<Named> not_metrics = read;
    not_metrics.emplace_back(lock, "the lock file ([daemon] lock_file)");
    return refuse_if_read(cfg.metrics.textfile, "[metrics] textfile", "every run replaces it",
                          not_metrics);
}

}  // namespace olmd::cli
