#pragma once
// The production LoopHost: a run on a job thread while the loop thread keeps
// systemd informed (STATUS, WATCHDOG); retention and the metrics textfile
// after each run; the SIGHUP reload; the idle STATUS line.

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "olmd/config/config.hpp"
#include "olmd/core/time.hpp"
#include "olmd/daemon/control.hpp"
#include "olmd/daemon/monitor_hooks.hpp"
#include "olmd/daemon/notifier.hpp"
#include "olmd/daemon/scheduler.hpp"
#include "olmd/domain/clock.hpp"
#include "olmd/jobs/job.hpp"
#include "olmd/store/backend.hpp"

namespace olmd::daemon {

/// Fixed facts the host needs.
struct HostSettings {
    std::string config_path;          ///< re-read on SIGHUP
    std::string host_name;            ///< written to automation_runs.host
    bool log_level_from_cli = false;  ///< --log-level given: a reload keeps it
};

class DaemonHost final : public LoopHost {
public:
    /// cfg: the validated configuration in force; db: open and locked; progress: shared with the monitor.
    /// clock: the run's wall time and every wait of the host, the runner and the gateway.
    DaemonHost(config::ConfigPtr cfg, store::Backend& db, jobs::Progress& progress, const domain::Clock& clock,
               Control& control, Notifier& notifier, MonitorHooks hooks, HostSettings settings);

    /// Runs the plan's jobs on a job thread; meanwhile pings the watchdog and updates STATUS about
    /// once a second; then purges old gateway operations and writes the metrics textfile.
    void execute(const Plan& plan) override;
    /// OPS-3: re-reads and checks the config; invalid = every error logged, failure hook, nullopt.
    std::optional<ScheduleSettings> reload() override;
    /// STATUS=idle until … and a watchdog ping when due.
    void idle(const std::optional<schedule::FireTime>& next) override;
    /// True once the database connection was found lost (PG-2): a stop was requested then.
    bool lost_database() const { return lost_database_; }

    /// The configuration in force.
    const config::ConfigPtr& config() const { return cfg_; }

private:
    config::ConfigPtr cfg_;
    store::Backend& db_;
    bool lost_database_ = false;
    /// PG-2: false (and a stop requested, lost_database() set) when the connection is gone.
    bool database_alive();
    jobs::Progress& progress_;
    const domain::Clock& clock_;
    Control& control_;
    Notifier& notifier_;
    MonitorHooks hooks_;
    HostSettings settings_;
};

}  // namespace olmd::daemon
