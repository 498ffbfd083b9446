#include "olmd/metrics/textfile.hpp"
#include "olmd/store/retention.hpp"

namespace olmd::metrics {

Status write_after_run(const config::Config& cfg, store::Database& db, const pipeline::RunReport& report,
                       std::chrono::system_clock::time_point started, std::chrono::system_clock::time_point finished) {
    if (cfg.metrics.textfile.empty()) return ok_status();
    auto warnings = store::count_runs_with_warning(db);
    if (!warnings) return warnings.error().with_context("metrics textfile " + cfg.metrics.textfile);
    return write_atomically(cfg.metrics.textfile, render(RunSample{report, started, finished, *warnings}));
}

}  // namespace olmd::metrics
