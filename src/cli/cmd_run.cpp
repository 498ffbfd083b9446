// olmd run: the daemon (SCH, MON, OPS) in the foreground, for systemd Type=notify.
#include <spdlog/spdlog.h>

#include <iostream>

#include "cli/command_options.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/job_args.hpp"
#include "olmd/core/instance_lock.hpp"
#include "olmd/core/logging.hpp"
#include "olmd/daemon/config_check.hpp"
#include "olmd/daemon/daemon.hpp"
#include "olmd/daemon/monitoring.hpp"
#include "olmd/daemon/signals.hpp"
#include "olmd/domain/clock.hpp"

namespace olmd::cli {

namespace {

/// Logs a start-up error through spdlog (journald keeps its priority) and returns its exit code.
int fail(const Error& e) {
    spdlog::critical("{}", e.message);
    return e.code;
}

/// True (and logged) when SIGTERM/SIGINT arrived while start-up was at `step`: exit 0, nothing run (OPS-2).
bool stopped_during_startup(const daemon::Control& control, const char* step) {
    if (!control.stop_requested()) return false;
    spdlog::info("stopped during start-up ({}); nothing was run", step);
    return true;
}

}  // namespace

int cmd_run(const Globals& g, std::vector<std::string> args) {
    cxxopts::Options options(
        "olmd run",
        "Run the daemon in the foreground: at each fire time, run the jobs due then (systemd Type=notify).\n"
        "SIGTERM/SIGINT: finish the order in hand, mark the run interrupted, exit 0.\n"
        "SIGHUP: reload the configuration (an invalid one is logged and the old one kept).");
    int status = 0;
    auto r = parse_command(options, args, status);
    if (!r) return status;
    if (int e = reject_extra(*r, options.program()); e >= 0) return e;

    // Before any thread exists, so that only the signal watcher ever sees these signals.
    if (auto st = daemon::block_daemon_signals(); !st) return fail(st.error());
    // Watching from the start: SIGTERM while start-up waits on a locked database cuts the wait (OPS-2).
    daemon::Control control;
    auto watcher = daemon::SignalWatcher::start(control);
    if (!watcher) return fail(watcher.error());

    auto loaded = config::load_config_file(g.config_path);
    daemon::log_diagnostics(loaded.diagnostics);
    if (!loaded.ok()) {
        spdlog::critical("the configuration {} is invalid; fix the errors above (olmd check-config lists them all)",
                         g.config_path);
        return exit_code::failure;
    }
    config::ConfigPtr cfg = loaded.config;
    if (!g.log_level) {
        if (auto st = set_log_level(cfg->daemon.log_level); !st) spdlog::error("{}", st.error().message);
    }

    // OPS-9: never lock (truncate) nor replace the database, its -wal/-shm, the config or a secret file.
    if (auto st = check_written_files(*cfg, g.config_path); !st) return fail(st.error());
    int open_status = 0;
    auto db = open_backend(*cfg, false, open_status, &control);
    if (!db) return stopped_during_startup(control, "opening the database") ? exit_code::ok : open_status;
    // OPS-4: the lock file on SQLite; on PostgreSQL the session's advisory lock, which run_daemon takes
    // or stands by for (PG-2).
    std::unique_ptr<InstanceLock> file_lock;
    if (!db->postgres()) {
        auto lock = InstanceLock::acquire(cfg->daemon.effective_lock_file());
        if (!lock) return fail(lock.error());
        file_lock = std::move(*lock);
    }
    spdlog::debug("start-up: database {} open, lock {} held", cfg->daemon.database, cfg->daemon.effective_lock_file());

    config::Diagnostics db_findings;
    daemon::check_against_database(*cfg, *db, db_findings);
    if (stopped_during_startup(control, "checking the configuration against the database")) return exit_code::ok;
    daemon::log_diagnostics(db_findings);
    if (db_findings.has_errors()) {
        spdlog::critical("the configuration {} does not match the database; fix it (olmd check-config) - "
                         "nothing was run",
                         g.config_path);
        return exit_code::failure;
    }

    // The running job's progress, read by the loop thread (STATUS) and the monitor (MON-2 email).
    jobs::Progress progress;
    domain::SystemClock clock;
    daemon::Monitoring monitoring(*cfg, progress, clock, host_name(), &control);

    daemon::DaemonSetup setup;
    setup.config_path = g.config_path;
    setup.config = cfg;
    setup.db = db.get();
    setup.clock = &clock;
    setup.progress = &progress;
    setup.log_level_from_cli = g.log_level.has_value();
    setup.hooks = monitoring.hooks();
    return daemon::run_daemon(setup, control);
}

}  // namespace olmd::cli
