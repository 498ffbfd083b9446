#pragma once
// The contract every job (capture, reauth, fraud, sourcing) implements.
// Jobs are rules: they read and write through the domain ports (RunServices) and
// evaluate age rules against the run's `now`, never the wall clock.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "olmd/config/config.hpp"
#include "olmd/config/diagnostics.hpp"
#include "olmd/core/ids.hpp"
#include "olmd/core/time.hpp"
#include "olmd/domain/catalog.hpp"
#include "olmd/domain/gateway.hpp"
#include "olmd/domain/geo_locator.hpp"
#include "olmd/domain/order_ref.hpp"
#include "olmd/domain/run_store.hpp"

namespace olmd::jobs {

/// Per-job counts of one run (the automation_runs.summary fields).
struct JobStats {
    std::int64_t selected = 0;            ///< orders (or payments) the job picked
    std::int64_t changed = 0;             ///< status transitions written
    std::int64_t skipped_concurrent = 0;  ///< orders the back office moved meanwhile
    std::int64_t deferred = 0;            ///< left untouched for the next run (e.g. lookup error)
    std::int64_t errors = 0;              ///< orders sent to an exception status for bad data, or failed writes
    double seconds = 0;
    std::string failure;                  ///< non-empty: the job failed as a whole (MON-3), and why
};

/// Live progress of the running job, written by the job thread, read by the watchdog.
struct Progress {
    std::atomic<int> job_index{-1};          ///< index into the run's job list, -1 = none yet
    std::atomic<std::int64_t> done{0};
    std::atomic<std::int64_t> selected{0};
};

/// The infrastructure one run's jobs use, built by the composition root (daemon::RunSession):
/// jobs never build a store, a gateway or a locator themselves.
struct RunServices {
    domain::RunStore& store;
    /// The run's payment gateway, built at first use and kept for the run; an Error (the job
    /// fails, MON-3) when it cannot be built. Never called in a dry run.
    std::function<Result<domain::Gateway*>()> gateway;
    /// The run's FR-7 locator of [fraud.ip_address], built at first use and kept for the run.
    std::function<Result<domain::GeoLocator*>()> locator;
};

/// Everything a job may use during one run.
struct JobContext {
    const config::Config& cfg;
    RunServices& services;
    const domain::Catalog& catalog;
    RunId run_id = 0;                   ///< 0 in dry run and explain
    Instant now{};                      ///< the run's now (slot instant or --now)
    bool dry_run = false;               ///< evaluate only: write nothing, call no remote service
    std::ostream* out = nullptr;        ///< where dry-run lines go
    Progress* progress = nullptr;       ///< may be null
    const std::atomic<bool>* stop = nullptr;  ///< set on SIGTERM: finish the order in hand, then return

    /// True when the run was asked to stop.
    bool stopping() const { return stop != nullptr && stop->load(std::memory_order_relaxed); }
};

using domain::OrderRef;

/// One automation job.
class Job {
public:
    virtual ~Job() = default;
    /// Which job this is.
    virtual JobKind kind() const = 0;
    /// Processes every eligible order, filling stats; a failure of the whole job goes in stats.failure.
    virtual void run(JobContext& ctx, JobStats& stats) = 0;
    /// Writes, without writing to the database, whether the job selects the order and what it would do.
    virtual void explain(JobContext& ctx, const OrderRef& order, std::ostream& out) = 0;
};

/// The jobs this build implements, indexed by JobKind; missing ones are null.
struct JobSet {
    std::unique_ptr<Job> jobs[4];
    /// The job of that kind, or null when this build has none.
    Job* get(JobKind k) const { return jobs[static_cast<int>(k)].get(); }
};

/// Builds the jobs this build implements (the composition of the job modules).
JobSet make_job_set();

}  // namespace olmd::jobs
