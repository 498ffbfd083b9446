#pragma once
// The fraud job (FR-1..FR-13): selects orders by status and channel, runs the
// enabled tests, and sets the passed / failed / avs / cvv / non-compliant status.

#include <functional>
#include <memory>

#include "olmd/domain/geo_locator.hpp"
#include "olmd/jobs/job.hpp"

namespace olmd::jobs::fraud {

/// The fraud job.
class FraudJob final : public Job {
public:
    /// JobKind::fraud.
    JobKind kind() const override { return JobKind::fraud; }
    /// Decides every eligible order in batches; a geolocation service down for the whole job
    /// is recorded in stats.failure while the run goes on.
    void run(JobContext& ctx, JobStats& stats) override;
    /// FR-1 selection, each enabled test with the values compared, and the resulting status
    /// and reason; no remote lookup (a local .mmdb is read).
    void explain(JobContext& ctx, const OrderRef& order, std::ostream& out) override;
};

}  // namespace olmd::jobs::fraud

namespace olmd::jobs {

/// The fraud job as the registry adds it.
std::unique_ptr<Job> make_fraud_job();

}  // namespace olmd::jobs
