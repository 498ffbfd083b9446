#pragma once
// One run: an automation_runs row, the selected jobs in the fixed order
// capture -> reauth -> fraud -> sourcing, and the row closed with a summary.

#include <atomic>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "olmd/config/config.hpp"
#include "olmd/core/error.hpp"
#include "olmd/core/time.hpp"
#include "olmd/jobs/job.hpp"
#include "olmd/store/catalog.hpp"
#include "olmd/store/database.hpp"
#include "olmd/store/runs.hpp"

namespace olmd::pipeline {

/// What to run.
struct RunRequest {
    std::vector<JobKind> jobs;          ///< any order; run in the fixed order
    Instant fire_at{};                  ///< the slot instant (or now for manual runs)
    Instant now{};                      ///< the run's now
    store::Trigger trigger = store::Trigger::manual;
    bool dry_run = false;               ///< no run row, no writes, no remote calls
    std::ostream* dry_out = nullptr;    ///< dry-run lines
};

/// What a run did.
struct RunReport {
    RunId run_id = 0;                   ///< 0 for a dry run
    store::Outcome outcome = store::Outcome::succeeded;
    std::vector<std::pair<JobKind, jobs::JobStats>> jobs;
    std::string summary_json;
    /// True when any job failed as a whole.
    bool failed() const { return outcome == store::Outcome::failed; }
};

/// Hooks for the daemon (watchdog, sd_notify STATUS) to follow a run.
class RunObserver {
public:
    virtual ~RunObserver() = default;
    /// Called once the run row exists.
    virtual void run_started(RunId, const RunRequest&) {}
    /// Called before each job starts.
    virtual void job_started(JobKind) {}
    /// Called after each job.
    virtual void job_finished(JobKind, const jobs::JobStats&) {}
    /// Called once the run row is closed (not called when the run could not be recorded).
    virtual void run_finished(const RunReport&) {}
};

/// Sorts and de-duplicates jobs into the fixed run order.
std::vector<JobKind> in_run_order(std::vector<JobKind> jobs);

/// Comma list of job names ("capture,fraud").
std::string job_list(const std::vector<JobKind>& jobs);

/// The JSON summary stored in automation_runs.summary.
std::string summary_json(const std::vector<std::pair<JobKind, jobs::JobStats>>& stats);

/// Executes runs against one database.
class Runner {
public:
    /// wall: for started_at/finished_at; host: written to the run row.
    Runner(const config::Config& cfg, store::Database& db, const jobs::JobSet& jobs, const Clock& wall,
           std::string host);
    /// Runs the request; an Error only when the run could not be recorded at all.
    Result<RunReport> run(const RunRequest& request, jobs::Progress& progress, const std::atomic<bool>& stop,
                          RunObserver* observer = nullptr);

private:
    const config::Config& cfg_;
    store::Database& db_;
    const jobs::JobSet& jobs_;
    const Clock& wall_;
    std::string host_;
};

}  // namespace olmd::pipeline
