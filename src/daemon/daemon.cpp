#include "olmd/daemon/daemon.hpp"

#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>

#include "olmd/daemon/daemon_host.hpp"
#include "olmd/daemon/notifier.hpp"
#include "olmd/daemon/scheduler.hpp"
#include "olmd/daemon/session.hpp"
#include "olmd/daemon/standby.hpp"
#include "olmd/store/runs.hpp"

namespace olmd::daemon {

namespace {

std::string this_host() {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0) return "localhost";
    return buf;
}

}  // namespace

int run_daemon(const DaemonSetup& setup, Control& control) {
    store::Backend& db = *setup.db;
    const config::Config& cfg = *setup.config;
    const domain::Clock& clock = *setup.clock;
    Notifier notifier;

    // PG-2: on PostgreSQL the instance lock is the session's advisory lock; without it, stand by.
    auto held = hold_instance_lock(db, cfg, control, clock, notifier);
    if (!held) {
        spdlog::critical("{}", held.error().message);
        return held.error().code;
    }
    if (*held == LockWait::stopped) {
        notifier.stopping();
        spdlog::info("olmd stopped while standing by; nothing was run");
        return exit_code::ok;
    }

    // We hold the instance lock, so a run still marked 'running' belongs to a process that died.
    auto crashed = mark_crashed_runs(db, clock, setup.hooks);
    if (!crashed && control.stop_requested()) {
        // The database is opened with `control`: SIGTERM cut the busy wait short (OPS-2).
        spdlog::info("stopped during start-up (marking abandoned runs crashed: {}); nothing was run",
                     crashed.error().message);
        return exit_code::ok;
    }
    if (!crashed) {
        spdlog::critical("{}", crashed.error().message);
        return crashed.error().code;
    }
    std::optional<Instant> last_completed;
    if (control.stop_requested()) {
        spdlog::info("stopped during start-up; nothing was run");
        return exit_code::ok;
    }
    if (auto last = db.runs().last_completed_fire_at(); last)
        last_completed = *last;
    else
        spdlog::error("{}; no catch-up run at start", last.error().message);

    auto calc = schedule::FireTimeCalculator::create(cfg);
    if (!calc) {
        spdlog::critical("{}", calc.error().message);
        return calc.error().code;
    }
    if (calc->empty())
        spdlog::warn("no enabled job has a schedule in {}: olmd will idle until the configuration changes "
                     "(systemctl reload olmd)",
                     setup.config_path);

    DaemonHost host(setup.config, db, *setup.progress, clock, control, notifier, setup.hooks,
                    HostSettings{setup.config_path, this_host(), setup.log_level_from_cli});
    SchedulerOptions options;
    if (auto p = notifier.watchdog_period()) options.max_sleep = std::min(options.max_sleep, *p);
    // PG-2: the connection (and with it the lock) is checked before every sleep, at least this often.
    if (db.postgres())
        options.max_sleep = std::min<std::chrono::milliseconds>(
            options.max_sleep, std::chrono::seconds(std::max(1, cfg.daemon.standby_poll_seconds)));
    Scheduler scheduler(clock, control, host, options);

    notifier.ready("started");
    const auto next = calc->next_after(clock.now());
    spdlog::info("olmd started (pid {}): database {}, time zone {}, next fire time {}", ::getpid(), cfg.daemon.database,
                 calc->zone()->name(), next ? schedule::format_fire_time(*next) : std::string("none"));

    scheduler.run(ScheduleSettings{std::move(*calc), cfg.daemon.catch_up_hours}, last_completed);

    notifier.stopping();
    if (host.lost_database()) {
        spdlog::critical("olmd stopped: the connection to {} was lost, and with it the instance lock; "
                         "another instance may take over (systemd restarts this one as a standby)",
                         db.name());
        return exit_code::database;
    }
    spdlog::info("olmd stopped");
    return exit_code::ok;
}

}  // namespace olmd::daemon
