// olmd run-once: run the listed (default: enabled) jobs once, now, in the fixed order.
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <iomanip>
#include <memory>
#include <iostream>

#include "cli/command_options.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/job_args.hpp"
#include "olmd/core/instance_lock.hpp"
#include "olmd/core/zone.hpp"
#include "olmd/daemon/monitoring.hpp"
#include "olmd/daemon/session.hpp"
#include "olmd/domain/clock.hpp"
#include "olmd/pipeline/runner.hpp"

namespace olmd::cli {

namespace {

void print_report(const pipeline::RunReport& rep, bool dry_run, std::ostream& out) {
    if (dry_run)
        out << "dry run: nothing was written\n";
    else
        out << "run " << rep.run_id << ": " << store::to_string(rep.outcome) << "\n";
    out << std::left << std::setw(10) << "job" << std::right << std::setw(10) << "selected" << std::setw(10)
        << "changed" << std::setw(12) << "concurrent" << std::setw(10) << "deferred" << std::setw(8) << "errors"
        << std::setw(10) << "seconds" << "\n";
    for (const auto& [kind, s] : rep.jobs) {
        out << std::left << std::setw(10) << job_name(kind) << std::right << std::setw(10) << s.selected
            << std::setw(10) << s.changed << std::setw(12) << s.skipped_concurrent << std::setw(10) << s.deferred
            << std::setw(8) << s.errors << std::setw(10) << std::fixed << std::setprecision(3) << s.seconds << "\n";
        if (!s.failure.empty()) out << "  " << job_name(kind) << " failed: " << s.failure << "\n";
    }
}

}  // namespace

std::string host_name() {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0) return "localhost";
    return buf;
}

int cmd_run_once(const Globals& g, std::vector<std::string> args) {
    cxxopts::Options options("olmd run-once",
                             "Run the listed jobs (default: every enabled job) once, right away, in the fixed order\n"
                             "capture, reauth, fraud, sourcing, as of --now; records a manual automation_runs row.");
    options.add_options()("j,jobs", "comma list of capture,reauth,fraud,sourcing", cxxopts::value<std::string>())(
        "n,now", "the run's now (TIME; default: the wall clock)", cxxopts::value<std::string>())(
        "dry-run", "evaluate and print what would change; write nothing, call no gateway");
    int status = 0;
    auto r = parse_command(options, args, status);
    if (!r) return status;
    if (int e = reject_extra(*r, options.program()); e >= 0) return e;

    // Usage errors that need no config first: unknown job names.
    std::optional<std::vector<JobKind>> listed;
    if (r->count("jobs")) {
        auto parsed = parse_job_list(r->operator[]("jobs").as<std::string>());
        if (!parsed) return report(parsed.error());
        listed = *parsed;
    }
    auto cfg = load_config(g, false);
    if (!cfg) return exit_code::failure;

    auto jobs = select_jobs(*cfg, listed);
    if (!jobs) return report(jobs.error());

    auto tz = resolve_zone(cfg->daemon.timezone);
    if (!tz) return report(tz.error());
    domain::SystemClock clock;
    Instant now = clock.now();
    if (r->count("now")) {
        auto t = parse_time_arg(r->operator[]("now").as<std::string>(), *tz);
        if (!t) return report(t.error());
        now = *t;
    }
    const bool dry_run = r->count("dry-run") > 0;
    // OPS-9: a dry run writes nothing; a run must never lock (truncate) or replace a file olmd reads.
    if (!dry_run) {
        if (auto st = check_written_files(*cfg, g.config_path); !st) return report(st.error());
    }

    jobs::Progress progress;
    const std::string host = host_name();
    // The daemon's monitor (MON-1..MON-4); a dry run records and sends nothing, so it has none.
    std::optional<daemon::Monitoring> monitoring;
    daemon::MonitorHooks hooks;
    if (!dry_run) hooks = monitoring.emplace(*cfg, progress, clock, host).hooks();

    int open_status = 0;
    auto db = open_backend(*cfg, dry_run, open_status);
    if (!db) {
        if (hooks.failure && open_status == exit_code::database)
            hooks.failure("run-once", "cannot open the database " + cfg->daemon.database,
                          "nothing was run (exit status 4; the error is on stderr)");
        return open_status;
    }
    std::unique_ptr<InstanceLock> lock;
    if (!dry_run) {
        auto l = take_instance_lock(*cfg, *db);
        if (!l) return report(l.error());
        lock = std::move(*l);
    }
    auto catalog = db->catalog();
    if (!catalog) return report(catalog.error());
    if (!check_config_names(*cfg, *catalog)) {
        std::cerr << "olmd: the configuration " << g.config_path << " names rows the database does not have; "
                     "fix it (olmd check-config) - nothing was run\n";
        return exit_code::failure;
    }
    if (jobs->empty()) {
        std::cout << "nothing to run: no job is enabled in " << g.config_path << "\n";
        return exit_code::ok;
    }
    if (!dry_run) {
        // We hold the lock, so a run still marked 'running' belongs to a process that died.
        if (auto crashed = daemon::mark_crashed_runs(*db, clock, hooks); !crashed) return report(crashed.error());
    }

    pipeline::RunRequest req;
    req.jobs = *jobs;
    req.fire_at = now;
    req.now = now;
    req.trigger = store::Trigger::manual;
    req.dry_run = dry_run;
    req.dry_out = &std::cout;
    // SIGTERM/SIGINT keep their default action here: run-once has nothing to stop it but the end.
    const daemon::RunEnvironment env{*db, clock, never_stopped(), progress, host};
    const auto started = std::chrono::system_clock::now();
    auto rep = daemon::make_run(*cfg, env, req, hooks.observer);
    if (!rep) return report(rep.error());
    // [metrics] textfile; a failure to write it is reported, never fails the run. Retention is the daemon's.
    if (!dry_run) daemon::after_run(*cfg, *db, clock, *rep, started, std::chrono::system_clock::now(), false);
    print_report(*rep, dry_run, std::cout);
    return rep->failed() ? exit_code::failure : exit_code::ok;
}

}  // namespace olmd::cli
