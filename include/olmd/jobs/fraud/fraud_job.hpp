#pragma once
// The fraud job (FR-1..FR-13): selects orders by status and channel, runs the
// enabled tests, and sets the passed / failed / avs / cvv / non-compliant status.

#include <functional>
#include <memory>

#include "olmd/domain/geo_locator.hpp"
#include "olmd/jobs/job.hpp"

namespace olmd::jobs::fraud {

/// Builds the FR-7 locator for a run (geoip::make_locator in production, a fake in tests).
using LocatorFactory = std::function<Result<std::unique_ptr<domain::GeoLocator>>(const config::FraudConfig::IpAddress&)>;

/// The fraud job.
class FraudJob final : public Job {
public:
    /// make_locator: how FR-7's locator is built (default geoip::make_locator).
    explicit FraudJob(LocatorFactory make_locator = {});
    /// JobKind::fraud.
    JobKind kind() const override { return JobKind::fraud; }
    /// Decides every eligible order in batches; a geolocation service down for the whole job
    /// is recorded in stats.failure while the run goes on.
    void run(JobContext& ctx, JobStats& stats) override;
    /// FR-1 selection, each enabled test with the values compared, and the resulting status
    /// and reason; no remote lookup (a local .mmdb is read).
    void explain(JobContext& ctx, const OrderRef& order, std::ostream& out) override;
    /// [fraud.ip_address]: the .mmdb file must open as a MaxMind DB (the web locators must build).
    void check_config(const config::Config& cfg, config::Diagnostics& out) const override;

private:
    LocatorFactory make_locator_;
};

}  // namespace olmd::jobs::fraud

namespace olmd::jobs {

/// The fraud job as the registry adds it.
std::unique_ptr<Job> make_fraud_job();

}  // namespace olmd::jobs
