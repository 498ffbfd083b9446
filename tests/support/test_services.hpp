#pragma once
// The run services a job test hands its jobs: the production composition over
// the test database (daemon::RunResources), with the gateway or the locator
// replaced where a test says so.

#include <memory>

#include "olmd/daemon/run_resources.hpp"
#include "support/test_clock.hpp"

namespace olmd::test {

/// jobs::RunServices for one test run; db and cfg must outlive it.
class TestServices {
public:
    /// The production services of db and cfg (for a dry run: with the dry-run gateway); the gateway's
    /// retry waits pass at once (test::instant_clock).
    TestServices(store::Database& db, const config::Config& cfg, bool dry_run = false)
        : resources_(db, cfg, dry_run, instant_clock(), never_stopped()), services_(resources_.services()) {}
    /// The same on either backend (the PostgreSQL twin of pg_mirror.hpp); db and cfg must outlive it.
    TestServices(store::Backend& db, const config::Config& cfg, bool dry_run = false)
        : resources_(db, cfg, dry_run, instant_clock(), never_stopped()), services_(resources_.services()) {}

    /// Jobs get g (kept here) as the run's gateway.
    void use_gateway(std::unique_ptr<domain::Gateway> g) {
        gateway_ = std::move(g);
        services_.gateway = [this]() -> Result<domain::Gateway*> { return gateway_.get(); };
    }
    /// Jobs get l (kept here) as the run's locator.
    void use_locator(std::unique_ptr<domain::GeoLocator> l) {
        locator_ = std::move(l);
        services_.locator = [this]() -> Result<domain::GeoLocator*> { return locator_.get(); };
    }
    /// Jobs get l (the caller's) as the run's locator.
    void use_locator(domain::GeoLocator& l) {
        services_.locator = [&l]() -> Result<domain::GeoLocator*> { return &l; };
    }

    /// The services to put in a JobContext.
    jobs::RunServices& get() { return services_; }

private:
    daemon::RunResources resources_;
    jobs::RunServices services_;
    std::unique_ptr<domain::Gateway> gateway_;
    std::unique_ptr<domain::GeoLocator> locator_;
};

}  // namespace olmd::test
