#pragma once
// One run: an automation_runs row, the selected jobs in the fixed order
// capture -> reauth -> fraud -> sourcing, and the row closed with a summary.

#include <atomic>
#include <chrono>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "olmd/config/config.hpp"
#include "olmd/core/error.hpp"
#include "olmd/core/stop_token.hpp"
#include "olmd/core/time.hpp"
#include "olmd/domain/clock.hpp"
#include "olmd/jobs/job.hpp"
#include "olmd/store/backend.hpp"
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

/// The wait before the attempt after `attempt` to close a run row on a locked database: 1 s, doubling, at
/// most 30 s (each attempt also waits [daemon] busy_timeout_ms inside SQLite).
std::chrono::milliseconds close_retry_delay(int attempt);

/// OPS-12: closes the run row of report (outcome, finished_at, summary), retrying while the database is
/// locked, each wait through clock and cut by stop, until it is closed; once a stop is requested, one last attempt, and
/// if that fails too an Error (with the summary, for the log): the row stays 'running' and the next
/// start marks it crashed. Every retry is a warning with its attempt count.
Status close_run_row(store::RunLog& runs, const RunReport& report, Instant finished_at,
                     const domain::Clock& clock, const StopToken& stop);

/// Executes runs against one database.
class Runner {
public:
    /// db: the run rows and the catalog (either backend); services: what the jobs use (built by the
    /// composition root); clock: started_at/finished_at, the jobs' durations and the close retries' waits;
    /// host: written to the run row.
    Runner(const config::Config& cfg, store::Backend& db, jobs::RunServices& services, const jobs::JobSet& jobs,
           const domain::Clock& clock, std::string host);
    /// The same on an open SQLite database.
    Runner(const config::Config& cfg, store::Database& db, jobs::RunServices& services, const jobs::JobSet& jobs,
           const domain::Clock& clock, std::string host);
    /// Runs the request; an Error only when the run could not be recorded at all. stop: polled by the jobs
    /// between orders (OPS-2); it also cuts the waits of closing the run row (OPS-12, close_run_row).
    Result<RunReport> run(const RunRequest& request, jobs::Progress& progress, const StopToken& stop,
                          RunObserver* observer = nullptr);
    /// The same with a bare stop flag (the close retries' waits poll it).
    Result<RunReport> run(const RunRequest& request, jobs::Progress& progress, const std::atomic<bool>& stop,
                          RunObserver* observer = nullptr);

private:
    const config::Config& cfg_;
    std::unique_ptr<store::Backend> own_;  ///< the SQLite constructor's wrapper
    store::Backend& db_;
    jobs::RunServices& services_;
    const jobs::JobSet& jobs_;
    const domain::Clock& clock_;
    std::string host_;
};

}  // namespace olmd::pipeline
