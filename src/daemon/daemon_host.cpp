#include "olmd/daemon/daemon_host.hpp"

#include <spdlog/spdlog.h>

#include <thread>

#include "olmd/daemon/session.hpp"
#include "olmd/jobs/job.hpp"
#include "olmd/pipeline/runner.hpp"

namespace olmd::daemon {

namespace {

/// How often the loop thread looks at a run in progress (STATUS at most this often).
constexpr std::chrono::milliseconds kSuperviseTick{1000};

}  // namespace

DaemonHost::DaemonHost(config::ConfigPtr cfg, store::Backend& db, jobs::Progress& progress,
                       const domain::Clock& clock, Control& control, Notifier& notifier, MonitorHooks hooks, HostSettings settings)
    : cfg_(std::move(cfg)),
      db_(db),
      progress_(progress),
      clock_(clock),
      control_(control),
      notifier_(notifier),
      hooks_(std::move(hooks)),
      settings_(std::move(settings)) {}

bool DaemonHost::database_alive() {
    if (lost_database_) return false;
    if (db_.alive()) return true;
    lost_database_ = true;
    spdlog::critical("lost the connection to {}: this instance can no longer prove it holds the instance lock; "
                     "stopping at once",
                     db_.name());
    if (hooks_.failure)
        hooks_.failure("olmd on " + settings_.host_name, "lost the connection to the database " + db_.name(),
                       "this instance stopped; a standby takes over, or systemd restarts it");
    control_.request_stop();
    return false;
}

void DaemonHost::idle(const std::optional<schedule::FireTime>& next) {
    notifier_.watchdog();
    if (!database_alive()) return;
    notifier_.status(idle_status(next));
}

void DaemonHost::execute(const Plan& plan) {
    if (!database_alive()) return;
    const jobs::JobSet set = jobs::make_job_set();
    pipeline::RunRequest req;
    for (JobKind k : plan.jobs) {
        if (set.get(k) != nullptr)
            req.jobs.push_back(k);
        else
            spdlog::warn("job {} is scheduled but not available in this build of olmd; skipped", job_name(k));
    }
    if (req.jobs.empty()) return;
    req.jobs = pipeline::in_run_order(std::move(req.jobs));
    req.fire_at = plan.fire_at;
    req.now = plan.now;
    req.trigger = plan.trigger;

    // The runner holds a reference to the config: keep this one alive for the whole run.
    const config::ConfigPtr cfg = cfg_;
    const RunEnvironment env{db_, clock_, control_, progress_, settings_.host_name};
    jobs::Progress& progress = progress_;
    // The job thread's result, and the token it "stops" once the result is there: it ends the loop
    // thread's wait at once.
    std::optional<Result<pipeline::RunReport>> result;
    StopSource handed_over;
    const auto started = std::chrono::system_clock::now();
    std::thread job_thread([&] {
        try {
            result.emplace(make_run(*cfg, env, req, hooks_.observer));
        } catch (const std::exception& e) {
            result.emplace(Error{std::string("unexpected error: ") + e.what()});
        }
        handed_over.request_stop();
    });

    // The loop thread stays free to tell systemd we are alive, however long the run.
    std::chrono::milliseconds tick = kSuperviseTick;
    if (auto p = notifier_.watchdog_period()) tick = std::min(tick, *p);
    notifier_.status(running_status(req.jobs.front(), 0, 0));
    while (!clock_.wait_for(tick, handed_over)) {
        notifier_.watchdog();
        if (control_.stop_requested()) notifier_.stopping();
        const int index = progress.job_index.load();
        if (index >= 0 && static_cast<std::size_t>(index) < req.jobs.size())
            notifier_.status(running_status(req.jobs[static_cast<std::size_t>(index)], progress.done.load(),
                                            progress.selected.load()));
    }
    job_thread.join();
    notifier_.watchdog();
    const auto finished = std::chrono::system_clock::now();

    const Result<pipeline::RunReport>& report = *result;
    if (!report) {
        spdlog::error("the run of slot {} (jobs {}) could not be recorded: {}", format_utc(req.fire_at),
                      pipeline::job_list(req.jobs), report.error().message);
        if (hooks_.run_abandoned) hooks_.run_abandoned();
        if (hooks_.failure)
            hooks_.failure("run of slot " + format_utc(req.fire_at) + " (" + pipeline::job_list(req.jobs) + ")",
                           report.error().message, "the run is not recorded; the next fire time runs as usual");
        return;
    }
    if (!database_alive()) return;
    // On the way out, leave housekeeping to the next start: exit promptly (OPS-2).
    after_run(*cfg, db_, clock_, *report, started, finished, !control_.stop_requested());
}

}  // namespace olmd::daemon
