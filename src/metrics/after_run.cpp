#include "olmd/metrics/textfile.hpp"

namespace olmd::metrics {

Status write_after_run(const config::Config& cfg, store::Backend& db, const pipeline::RunReport& report,
                       std::chrono::system_clock::time_point started, std::chrono::system_clock::time_point finished) {
    if (cfg.metrics.textfile.empty()) return ok_status();
    auto warnings = db.count_runs_with_warning();
    if (!warnings) return warnings.error().with_context("metrics textfile " + cfg.metrics.textfile);
    return write_atomically(cfg.metrics.textfile, render(RunSample{report, started, finished, *warnings}));
}

}  // namespace olmd::metrics
