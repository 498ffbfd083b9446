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

Runner::Runner(const config::Config& cfg, store::Database& db, const jobs::JobSet& jobs, const Clock& wall,
               std::string host)
    : cfg_(cfg), db_(db), jobs_(jobs), wall_(wall), host_(std::move(host)) {}

Result<RunReport> Runner::run(const RunRequest& request, jobs::Progress& progress, const std::atomic<bool>& stop,
                              RunObserver* observer) {
    const std::vector<JobKind> order = in_run_order(request.jobs);
    for (JobKind k : order)
        if (jobs_.get(k) == nullptr)
            return Error{"job " + std::string(job_name(k)) + " is not available in this build of olmd",
                         exit_code::usage};

    auto catalog = store::Catalog::load(db_);
    if (!catalog) return catalog.error();

    RunReport report;
    store::RunRepository runs(db_);
    if (!request.dry_run) {
        auto id = runs.open(request.fire_at, wall_.now(), job_list(order), request.trigger, host_);
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
        jobs::JobContext ctx{cfg_, db_, *catalog, report.run_id, request.now, request.dry_run,
                             request.dry_out, &progress, &stop};
        jobs::JobStats stats;
        const auto t0 = std::chrono::steady_clock::now();
        try {
            jobs_.get(kind)->run(ctx, stats);
        } catch (const std::exception& e) {
            // A job must not throw; if one does, the run records it instead of dying.
            stats.failure = std::string("unexpected error: ") + e.what();
        }
        stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
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
        if (auto st = runs.close(report.run_id, report.outcome, wall_.now(), report.summary_json); !st)
            return st.error();
        spdlog::info("run {} {}", report.run_id, store::to_string(report.outcome));
    }
    if (observer) observer->run_finished(report);
    return report;
}

}  // namespace olmd::pipeline
