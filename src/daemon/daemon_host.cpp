#include "olmd/daemon/daemon_host.hpp"

#include "olmd/daemon/run_resources.hpp"

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "olmd/jobs/job.hpp"
#include "olmd/metrics/textfile.hpp"
#include "olmd/pipeline/runner.hpp"
#include "olmd/store/retention.hpp"

namespace olmd::daemon {

namespace {

/// How often the loop thread looks at a run in progress (STATUS at most this often).
constexpr std::chrono::milliseconds kSuperviseTick{1000};

/// The result a job thread hands back to the loop thread.
struct Handoff {
    std::mutex mutex;
    std::condition_variable cv;
    std::optional<Result<pipeline::RunReport>> result;
};

}  // namespace

DaemonHost::DaemonHost(config::ConfigPtr cfg, store::Database& db, jobs::Progress& progress, const Clock& wall,
                       Control& control, Notifier& notifier, MonitorHooks hooks, HostSettings settings)
    : cfg_(std::move(cfg)),
      db_(db),
      progress_(progress),
      wall_(wall),
      control_(control),
      notifier_(notifier),
      hooks_(std::move(hooks)),
      settings_(std::move(settings)) {}

void DaemonHost::idle(const std::optional<schedule::FireTime>& next) {
    notifier_.watchdog();
    notifier_.status(idle_status(next));
}

void DaemonHost::execute(const Plan& plan) {
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
    RunResources resources(db_, *cfg, false);  // this run's store, gateway and locator
    pipeline::Runner runner(*cfg, db_, resources.services(), set, wall_, settings_.host_name);
    jobs::Progress& progress = progress_;
    Handoff handoff;
    const auto started = std::chrono::system_clock::now();
    std::thread job_thread([&] {
        std::optional<Result<pipeline::RunReport>> r;
        try {
            r.emplace(runner.run(req, progress, control_, hooks_.observer));
        } catch (const std::exception& e) {
            r.emplace(Error{std::string("unexpected error: ") + e.what()});
        }
        {
            std::lock_guard lock(handoff.mutex);
            handoff.result = std::move(r);
        }
        handoff.cv.notify_all();
    });

    // The loop thread stays free to tell systemd we are alive, however long the run.
    std::chrono::milliseconds tick = kSuperviseTick;
    if (auto p = notifier_.watchdog_period()) tick = std::min(tick, *p);
    notifier_.status(running_status(req.jobs.front(), 0, 0));
    for (;;) {
        {
            std::unique_lock lock(handoff.mutex);
            if (handoff.cv.wait_for(lock, tick, [&] { return handoff.result.has_value(); })) break;
        }
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

    const Result<pipeline::RunReport>& result = *handoff.result;
    if (!result) {
        spdlog::error("the run of slot {} (jobs {}) could not be recorded: {}", format_utc(req.fire_at),
                      pipeline::job_list(req.jobs), result.error().message);
        if (hooks_.run_abandoned) hooks_.run_abandoned();
        if (hooks_.failure)
            hooks_.failure("run of slot " + format_utc(req.fire_at) + " (" + pipeline::job_list(req.jobs) + ")",
                           result.error().message, "the run is not recorded; the next fire time runs as usual");
        return;
    }
    after_run(*result, started, finished);
}

void DaemonHost::after_run(const pipeline::RunReport& report, std::chrono::system_clock::time_point started,
                           std::chrono::system_clock::time_point finished) {
    // On the way out, leave housekeeping to the next start: exit promptly (OPS-2).
    if (!control_.stop_requested()) {
        auto purged = store::purge_finished_operations(db_, wall_.now(), cfg_->daemon.run_retention_days);
        if (!purged)
            spdlog::error("{}", purged.error().message);
        else if (purged->operations > 0 || purged->ledger_rows > 0)
            spdlog::info("purged {} finished gateway operation(s) and {} sandbox ledger row(s) older than {} days",
                         purged->operations, purged->ledger_rows, cfg_->daemon.run_retention_days);
    }
    if (auto st = metrics::write_after_run(*cfg_, db_, report, started, finished); !st)
        spdlog::error("{}", st.error().message);
}

}  // namespace olmd::daemon
