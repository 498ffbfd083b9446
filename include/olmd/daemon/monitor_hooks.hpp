#pragma once
// Where the monitor (MON-2 long-run watchdog, MON-3 failure emails) plugs
// into the daemon. Every hook is optional: the daemon runs without one.

#include <functional>
#include <string>

#include "olmd/config/config.hpp"
#include "olmd/core/ids.hpp"
#include "olmd/pipeline/runner.hpp"

namespace olmd::daemon {

/// The monitor's entry points, as the daemon calls them.
struct MonitorHooks {
    /// Follows every run (MON-2, and MON-3 for jobs failing as a whole); may be null.
    pipeline::RunObserver* observer = nullptr;
    /// A failure outside a job (MON-3): what failed, the error, what was done about it; may be empty.
    std::function<void(const std::string& what, const std::string& error, const std::string& action)> failure;
    /// A run found 'running' at start and marked crashed (MON-3); may be empty.
    std::function<void(RunId)> crashed_run;
    /// A run whose row could not be closed ended without run_finished: stop its watchdog; may be empty.
    std::function<void()> run_abandoned;
    /// Hands a reloaded configuration to the monitor (recipients, timeouts); may be empty.
    std::function<void(const config::ConfigPtr&)> reconfigure;
};

}  // namespace olmd::daemon
