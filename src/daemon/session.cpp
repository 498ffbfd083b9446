// The run steps `olmd run` and `olmd run-once` share (see session.hpp).
#include "olmd/daemon/session.hpp"

#include <spdlog/spdlog.h>

#include "olmd/daemon/run_resources.hpp"
#include "olmd/metrics/textfile.hpp"

namespace olmd::daemon {

Result<std::vector<RunId>> mark_crashed_runs(store::Backend& db, const domain::Clock& clock,
                                             const MonitorHooks& hooks) {
    auto crashed = db.runs().mark_abandoned_as_crashed(clock.now());
    if (!crashed) return crashed.error();
    for (RunId id : *crashed) {
        spdlog::warn("run {} was left running by an olmd that died; marked crashed", id);
        if (hooks.crashed_run) hooks.crashed_run(id);
    }
    return crashed;
}

Result<pipeline::RunReport> make_run(const config::Config& cfg, const RunEnvironment& env,
                                     const pipeline::RunRequest& request, pipeline::RunObserver* observer) {
    const jobs::JobSet set = jobs::make_job_set();
    RunResources resources(env.db, cfg, request.dry_run, env.clock, env.stop);
    pipeline::Runner runner(cfg, env.db, resources.services(), set, env.clock, env.host);
    return runner.run(request, env.progress, env.stop, observer);
}

void after_run(const config::Config& cfg, store::Backend& db, const domain::Clock& clock,
               const pipeline::RunReport& report, std::chrono::system_clock::time_point started,
               std::chrono::system_clock::time_point finished, bool purge) {
    if (purge) {
        auto purged = db.purge_finished_operations(clock.now(), cfg.daemon.run_retention_days);
        if (!purged)
            spdlog::error("{}", purged.error().message);
        else if (purged->operations > 0 || purged->ledger_rows > 0)
            spdlog::info("purged {} finished gateway operation(s) and {} sandbox ledger row(s) older than {} days",
                         purged->operations, purged->ledger_rows, cfg.daemon.run_retention_days);
    }
    if (auto st = metrics::write_after_run(cfg, db, report, started, finished); !st)
        spdlog::error("{}", st.error().message);
}

}  // namespace olmd::daemon
