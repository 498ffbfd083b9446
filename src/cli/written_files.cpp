// OPS-9 at run time: before any command takes the lock, the files olmd writes (the
// lock file, truncated when the lock is taken, and the metrics textfile, renamed over)
// are checked once more not to be a file it reads — the same check check-config makes
// (config::check_written_files), so `run-once` never truncates the database whatever
// config object it was handed.
#include <string>

#include "cli/common.hpp"
#include "olmd/config/loader.hpp"

namespace olmd::cli {

Status check_written_files(const config::Config& cfg, const std::string& config_path) {
    config::Diagnostics found;
    config::check_written_files(cfg, config_path, found);
    if (!found.has_errors()) return ok_status();
    return Error{found.items.front().to_string() + " - nothing was done", exit_code::failure};
}

}  // namespace olmd::cli
