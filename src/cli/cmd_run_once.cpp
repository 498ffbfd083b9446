// olmd run-once: run the listed (default: enabled) jobs once, now, in the fixed order.
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <iomanip>
#include <memory>
#include <iostream>

#include "cli/command_options.hpp"
#include "cli/commands.hpp"
#include "olmd/daemon/run_resources.hpp"
#include "cli/common.hpp"
#include "cli/job_args.hpp"
#include "olmd/core/instance_lock.hpp"
#include "olmd/core/zone.hpp"
#include "olmd/metrics/textfile.hpp"
#include "olmd/mail/async_mailer.hpp"
#include "olmd/mail/smtp_mailer.hpp"
#include "olmd/monitor/run_monitor.hpp"
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

/// The run monitor of one run-once (MON-1..MON-4), present only when [monitor] is on and
/// the run is not a dry run. Its destructor waits for queued email, bounded by [smtp] timeout_ms.
class Monitoring {
public:
    Monitoring(const config::Config& cfg, const jobs::Progress& progress, const Clock& wall,
               const date::time_zone* zone, const std::string& host, bool dry_run)
        : timeout_(cfg.smtp.timeout_ms) {
        if (dry_run || !cfg.monitor.enabled()) return;
        smtp_ = std::make_unique<mail::SmtpMailer>(cfg.smtp, host);
        queue_ = std::make_unique<mail::AsyncMailer>(*smtp_);
        monitor::MonitorOptions o;
        o.zone = zone;
        o.busy_timeout_ms = cfg.daemon.busy_timeout_ms;
        monitor_ = std::make_unique<monitor::RunMonitor>(cfg.monitor, *queue_, progress, cfg.daemon.database, wall,
                                                         host, o);
    }
    ~Monitoring() {
        monitor_.reset();
        if (queue_ && !queue_->flush(std::chrono::milliseconds(std::max(timeout_, 1))))
            spdlog::warn("mail: queued email not sent within [smtp] timeout_ms = {}; exiting without it", timeout_);
    }
    Monitoring(const Monitoring&) = delete;
    Monitoring& operator=(const Monitoring&) = delete;

    /// The observer to give the runner (null when monitoring is off).
    monitor::RunMonitor* get() const { return monitor_.get(); }

private:
    int timeout_;
    std::unique_ptr<mail::SmtpMailer> smtp_;
    std::unique_ptr<mail::AsyncMailer> queue_;
    std::unique_ptr<monitor::RunMonitor> monitor_;
};

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
    SystemClock wall;
    Instant now = wall.now();
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
    Monitoring monitoring(*cfg, progress, wall, *tz, host, dry_run);

    int open_status = 0;
    auto db = open_database(*cfg, dry_run, open_status);
    if (!db) {
        if (monitoring.get() && open_status == exit_code::database)
            monitoring.get()->notify_failure("run-once", "cannot open the database " + cfg->daemon.database,
                                             "nothing was run (exit status 4; the error is on stderr)");
        return open_status;
    }
    std::unique_ptr<InstanceLock> lock;
    if (!dry_run) {
        auto l = InstanceLock::acquire(cfg->daemon.effective_lock_file());
        if (!l) return report(l.error());
        lock = std::move(*l);
    }
    auto catalog = store::load_catalog(*db);
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
        store::RunRepository runs(*db);
        auto crashed = runs.mark_abandoned_as_crashed(wall.now());
        if (!crashed) return report(crashed.error());
        for (RunId id : *crashed) {
            spdlog::warn("run {} was left running by a process that died; marked crashed", id);
            if (monitoring.get()) monitoring.get()->notify_crashed_run(id);
        }
    }

    const jobs::JobSet set = jobs::make_job_set();
    daemon::RunResources resources(*db, *cfg, dry_run);
    pipeline::Runner runner(*cfg, *db, resources.services(), set, wall, host);
    pipeline::RunRequest req;
    req.jobs = *jobs;
    req.fire_at = now;
    req.now = now;
    req.trigger = store::Trigger::manual;
    req.dry_run = dry_run;
    req.dry_out = &std::cout;
    std::atomic<bool> stop{false};
    const auto started = std::chrono::system_clock::now();
    auto rep = runner.run(req, progress, stop, monitoring.get());
    if (!rep) return report(rep.error());
    if (!dry_run) {
        // [metrics] textfile; a failure to write it is reported, never fails the run.
        if (auto st = metrics::write_after_run(*cfg, *db, *rep, started, std::chrono::system_clock::now()); !st)
            spdlog::error("{}", st.error().message);
    }
    print_report(*rep, dry_run, std::cout);
    return rep->failed() ? exit_code::failure : exit_code::ok;
}

}  // namespace olmd::cli
