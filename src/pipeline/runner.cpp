#include "olmd/pipeline/runner.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>

namespace olmd::pipeline {

std::vector<JobKind> in_run_order(std::vector<JobKind> jobs) {
    std::sort(jobs.begin(), jobs.end());
    jobs.erase(std::unique(jobs.begin(), jobs.end()), jobs.end());
    return jobs;
}

std::string job_list(const std::vector<JobKind>& jobs) {
    std::string out;
    for (JobKind k : jobs) {
        if (!out.empty()) out += ',';
        out += job_name(k);
    }
    return out;
}

std::string summary_json(const std::vector<std::pair<JobKind, jobs::JobStats>>& stats) {
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    for (const auto& [kind, s] : stats) {
        nlohmann::ordered_json o;
        o["selected"] = s.selected;
        o["changed"] = s.changed;
        o["skipped_concurrent"] = s.skipped_concurrent;
        o["deferred"] = s.deferred;
        o["errors"] = s.errors;
        o["seconds"] = std::round(s.seconds * 1000.0) / 1000.0;
        if (!s.failure.empty()) o["failure"] = s.failure;
        j[std::string(job_name(kind))] = std::move(o);
    }
    return j.dump();
}

std::chrono::milliseconds close_retry_delay(int attempt) {
    constexpr std::chrono::milliseconds first{1000};
    constexpr std::chrono::milliseconds most{30000};
    auto d = first;
    for (int i = 1; i < attempt && d < most; ++i) d *= 2;
    return std::min(d, most);
}

Status close_run_row(store::RunLog& runs, const RunReport& report, Instant finished_at,
                     const domain::Clock& clock, const StopToken& stop) {
    bool last = false;
    for (int attempt = 1;; ++attempt) {
        auto r = runs.try_close(report.run_id, report.outcome, finished_at, report.summary_json);
        if (!r) return r.error();
        if (*r == store::CloseAttempt::closed) {
            if (attempt > 1)
                spdlog::info("run {}: automation_runs row closed ({}) at attempt {}", report.run_id,
                             store::to_string(report.outcome), attempt);
            return ok_status();
        }
        if (last)
            // The summary goes to the log, so that the run's failure reasons survive (OPS-12).
            return Error{"run " + std::to_string(report.run_id) + " ended " + store::to_string(report.outcome) +
                         " but the database was still locked when olmd was stopped (" + std::to_string(attempt) +
                         " attempts to close its automation_runs row); the row stays 'running' and the next "
                         "start marks it crashed; its summary was " + report.summary_json};
        const auto delay = close_retry_delay(attempt);
        if (stop.stop_requested()) {
            spdlog::warn("run {} ended {} but the database is locked (attempt {} to close its automation_runs "
                         "row); stopping: one last attempt",
                         report.run_id, store::to_string(report.outcome), attempt);
            last = true;
            continue;
        }
        spdlog::warn("run {} ended {} but the database is locked past [daemon] busy_timeout_ms (attempt {} to "
                     "close its automation_runs row); retrying in {} s",
                     report.run_id, store::to_string(report.outcome), attempt, delay.count() / 1000.0);
        if (clock.wait_for(delay, stop)) {
            spdlog::warn("run {}: stop requested while waiting to close its automation_runs row; one last attempt",
                         report.run_id);
            last = true;
        }
    }
}

Runner::Runner(const config::Config& cfg, store::Backend& db, jobs::RunServices& services,
               const jobs::JobSet& jobs, const domain::Clock& clock, std::string host)
    : cfg_(cfg), db_(db), services_(services), jobs_(jobs), clock_(clock), host_(std::move(host)) {}

Runner::Runner(const config::Config& cfg, store::Database& db, jobs::RunServices& services,
               const jobs::JobSet& jobs, const domain::Clock& clock, std::string host)
    : cfg_(cfg),
      own_(store::sqlite_backend(db)),
      db_(*own_),
      services_(services),
      jobs_(jobs),
      clock_(clock),
      host_(std::move(host)) {}

Result<RunReport> Runner::run(const RunRequest& request, jobs::Progress& progress, const std::atomic<bool>& stop,
                              RunObserver* observer) {
    const FlagStopToken token(stop);
    return run(request, progress, token, observer);
}

Result<RunReport> Runner::run(const RunRequest& request, jobs::Progress& progress, const StopToken& stop_token,
                              RunObserver* observer) {
    const std::atomic<bool>& stop = stop_token.flag();
    const std::vector<JobKind> order = in_run_order(request.jobs);
    for (JobKind k : order)
        if (jobs_.get(k) == nullptr)
            return Error{"job " + std::string(job_name(k)) + " is not available in this build of olmd",
                         exit_code::usage};

    auto catalog = db_.catalog();
    if (!catalog) return catalog.error();

    RunReport report;
    store::RunLog& runs = db_.runs();
    if (!request.dry_run) {
        auto id = runs.open(request.fire_at, clock_.now(), job_list(order), request.trigger, host_);
        if (!id) return id.error();
        report.run_id = *id;
        spdlog::info("run {} started: jobs {}, slot {}, now {}", report.run_id, job_list(order),
                     format_utc(request.fire_at), format_utc(request.now));
    }
    if (observer) observer->run_started(report.run_id, request);

    bool any_failed = false;
    bool interrupted = false;
    for (std::size_t i = 0; i < order.size(); ++i) {
        const JobKind kind = order[i];
        if (stop.load()) {
            interrupted = true;
            break;
        }
        progress.job_index = static_cast<int>(i);
        progress.done = 0;
        progress.selected = 0;
        if (observer) observer->job_started(kind);
        jobs::JobContext ctx{cfg_, services_, *catalog, report.run_id, request.now, request.dry_run,
                             request.dry_out, &progress, &stop};
        jobs::JobStats stats;
        const auto t0 = clock_.steady_now();
        try {
            jobs_.get(kind)->run(ctx, stats);
        } catch (const std::exception& e) {
            // A job must not throw; if one does, the run records it instead of dying.
            stats.failure = std::string("unexpected error: ") + e.what();
        }
        stats.seconds = std::chrono::duration<double>(clock_.steady_now() - t0).count();
        if (!stats.failure.empty()) {
            any_failed = true;
            spdlog::error("job {} failed: {}", job_name(kind), stats.failure);
        }
        spdlog::info("job {}: selected {}, changed {}, skipped_concurrent {}, deferred {}, errors {}, {:.3f}s",
                     job_name(kind), stats.selected, stats.changed, stats.skipped_concurrent, stats.deferred,
                     stats.errors, stats.seconds);
        if (observer) observer->job_finished(kind, stats);
        report.jobs.emplace_back(kind, std::move(stats));
        if (stop.load()) {
            interrupted = true;
            break;
        }
    }
    progress.job_index = -1;

    report.outcome = interrupted  ? store::Outcome::interrupted
                     : any_failed ? store::Outcome::failed
                                  : store::Outcome::succeeded;
    report.summary_json = summary_json(report.jobs);
    if (!request.dry_run) {
        if (auto st = close_run_row(runs, report, clock_.now(), clock_, stop_token); !st) return st.error();
        spdlog::info("run {} {}", report.run_id, store::to_string(report.outcome));
    }
    if (observer) observer->run_finished(report);
    return report;
}

}  // namespace olmd::pipeline
