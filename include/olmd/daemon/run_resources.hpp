#pragma once
// The composition of one run's (or one command's) services: the SQLite
// RunStore on the open database, the gateway of [gateway] and the locator of
// [fraud.ip_address] (or a dry run's gateway), each built at first use and kept
// until the end.

#include <memory>
#include <optional>

#include "olmd/config/config.hpp"
#include "olmd/core/error.hpp"
#include "olmd/core/stop_token.hpp"
#include "olmd/domain/clock.hpp"
#include "olmd/domain/gateway.hpp"
#include "olmd/domain/geo_locator.hpp"
#include "olmd/domain/run_store.hpp"
#include "olmd/jobs/job.hpp"
#include "olmd/store/backend.hpp"
#include "olmd/store/database.hpp"

namespace olmd::daemon {

/// Owns what jobs::RunServices hands out; db, cfg, clock and stop must outlive it.
class RunResources {
public:
    /// The services of a run on db configured by cfg; nothing is built yet. dry_run: the gateway is
    /// the dry-run one (gateway::make_dry_run_gateway), which sends and writes nothing. clock and stop:
    /// the gateway's retry waits (a stop ends them, and the retries).
    RunResources(store::Backend& db, const config::Config& cfg, bool dry_run, const domain::Clock& clock,
                 const StopToken& stop);
    /// The same on an open SQLite database.
    RunResources(store::Database& db, const config::Config& cfg, bool dry_run, const domain::Clock& clock,
                 const StopToken& stop);
    ~RunResources();
    RunResources(const RunResources&) = delete;
    RunResources& operator=(const RunResources&) = delete;

    /// The services to put in the jobs' context.
    jobs::RunServices& services() { return services_; }

private:
    /// db, or (null) own, which the result keeps.
    RunResources(std::unique_ptr<store::Backend> own, store::Backend* db, const config::Config& cfg, bool dry_run,
                 const domain::Clock& clock, const StopToken& stop);
    Result<domain::Gateway*> gateway();
    Result<domain::GeoLocator*> locator();

    std::unique_ptr<store::Backend> own_;  ///< the SQLite constructor's wrapper
    store::Backend& db_;
    const config::Config& cfg_;
    bool dry_run_;
    const domain::Clock& clock_;
    const StopToken& stop_;
    std::unique_ptr<domain::RunStore> store_;
    std::unique_ptr<domain::Gateway> gateway_;
    std::optional<Error> gateway_error_;
    std::unique_ptr<domain::GeoLocator> locator_;
    std::optional<Error> locator_error_;
    jobs::RunServices services_;
};

}  // namespace olmd::daemon
