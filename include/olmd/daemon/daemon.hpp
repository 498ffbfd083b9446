#pragma once
// `olmd run` once the configuration is loaded, the database open and the
// instance lock held: crash recovery, READY=1, the scheduler loop until
// SIGTERM/SIGINT, STOPPING=1.

#include <string>

#include "olmd/config/config.hpp"
#include "olmd/daemon/control.hpp"
#include "olmd/daemon/monitor_hooks.hpp"
#include "olmd/domain/clock.hpp"
#include "olmd/jobs/job.hpp"
#include "olmd/store/backend.hpp"

namespace olmd::daemon {

/// What the daemon starts from.
struct DaemonSetup {
    std::string config_path;          ///< re-read on SIGHUP
    config::ConfigPtr config;         ///< loaded and checked
    store::Backend* db = nullptr;    ///< open (its busy waits cut by the Control), schema current, locked
    const domain::Clock* clock = nullptr;  ///< wall time, and every wait of the daemon (cut by the Control)
    jobs::Progress* progress = nullptr;  ///< the running job's progress (the monitor reads it too)
    bool log_level_from_cli = false;  ///< --log-level given: reloads keep it
    MonitorHooks hooks;               ///< MON-2/MON-3; empty until the monitor is wired
};

/// Runs the daemon until a stop is requested on `control` (by the signal watcher): marks abandoned runs
/// crashed (a MON-3 failure), notifies READY, catches up (SCH-5), then runs every fire time.
/// Returns the process exit status: 0 after a requested stop, the error's code when start-up fails.
int run_daemon(const DaemonSetup& setup, Control& control);

}  // namespace olmd::daemon
