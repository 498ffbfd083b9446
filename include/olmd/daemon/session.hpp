#pragma once
// What `olmd run` and `olmd run-once` share around their runs, so both do it
// one way: marking the runs a dead process left 'running' as crashed (OPS-12,
// MON-3), making one run with its services built for it (RunResources, the
// Runner), and the writes after a run (gateway-operation retention, the
// [metrics] textfile). The monitor both use is daemon::Monitoring.

#include <chrono>
#include <string>
#include <vector>

#include "olmd/config/config.hpp"
#include "olmd/core/error.hpp"
#include "olmd/core/ids.hpp"
#include "olmd/core/stop_token.hpp"
#include "olmd/daemon/monitor_hooks.hpp"
#include "olmd/domain/clock.hpp"
#include "olmd/jobs/job.hpp"
#include "olmd/pipeline/runner.hpp"
#include "olmd/store/backend.hpp"

namespace olmd::daemon {

/// With the instance lock held: marks every run still 'running' crashed (its process died), logs a warning
/// and calls hooks.crashed_run for each; the ids marked.
Result<std::vector<RunId>> mark_crashed_runs(store::Backend& db, const domain::Clock& clock,
                                             const MonitorHooks& hooks);

/// The process-wide things a run needs; each must outlive the runs made with it.
struct RunEnvironment {
    store::Backend& db;            ///< open, schema current, locked (unless the run is a dry run)
    const domain::Clock& clock;    ///< the run's wall time and every wait below it
    const StopToken& stop;         ///< SIGTERM: cuts the jobs, the gateway's retries and the close retries
    jobs::Progress& progress;      ///< the running job's progress (STATUS, MON-2)
    std::string host;              ///< written to automation_runs.host
};

/// Makes one run of request under cfg: this run's store, gateway and locator (RunResources; the dry-run
/// gateway for a dry run) and the Runner; observer (may be null) follows it. An Error only when the run
/// could not be recorded.
Result<pipeline::RunReport> make_run(const config::Config& cfg, const RunEnvironment& env,
                                     const pipeline::RunRequest& request, pipeline::RunObserver* observer);

/// After a recorded run: purges finished gateway operations past [daemon] run_retention_days when purge
/// is set (the daemon; never on the way out after a stop), then writes the [metrics] textfile. Failures
/// are logged, never fail the run.
void after_run(const config::Config& cfg, store::Backend& db, const domain::Clock& clock,
               const pipeline::RunReport& report, std::chrono::system_clock::time_point started,
               std::chrono::system_clock::time_point finished, bool purge);

}  // namespace olmd::daemon
