#include "olmd/daemon/run_resources.hpp"

#include "olmd/gateway/gateway.hpp"
#include "olmd/geoip/locator.hpp"

namespace olmd::daemon {

RunResources::RunResources(store::Database& db, const config::Config& cfg, bool dry_run,
                           const domain::Clock& clock, const StopToken& stop)
    : RunResources(store::sqlite_backend(db), nullptr, cfg, dry_run, clock, stop) {}

RunResources::RunResources(store::Backend& db, const config::Config& cfg, bool dry_run,
                           const domain::Clock& clock, const StopToken& stop)
    : RunResources(nullptr, &db, cfg, dry_run, clock, stop) {}

RunResources::RunResources(std::unique_ptr<store::Backend> own, store::Backend* db, const config::Config& cfg,
                           bool dry_run, const domain::Clock& clock, const StopToken& stop)
    : own_(std::move(own)),
      db_(db ? *db : *own_),
      cfg_(cfg),
      dry_run_(dry_run),
      clock_(clock),
      stop_(stop),
      store_(db_.run_store()),
      services_{*store_, [this] { return gateway(); }, [this] { return locator(); }} {}

RunResources::~RunResources() = default;

Result<domain::Gateway*> RunResources::gateway() {
    if (gateway_) return gateway_.get();
    if (gateway_error_) return *gateway_error_;  // one attempt per run: a bad key file stays bad
    if (dry_run_) {
        gateway_ = gateway::make_dry_run_gateway(cfg_.gateway);
        return gateway_.get();
    }
    auto made = gateway::make_gateway(cfg_.gateway, db_.sqlite(), clock_, stop_);
    if (!made) {
        gateway_error_ = made.error();
        return made.error();
    }
    gateway_ = std::move(*made);
    return gateway_.get();
}

Result<domain::GeoLocator*> RunResources::locator() {
    if (locator_) return locator_.get();
    if (locator_error_) return *locator_error_;
    auto made = geoip::make_locator(cfg_.fraud.ip_address);
    if (!made) {
        locator_error_ = made.error();
        return made.error();
    }
    locator_ = std::move(*made);
    return locator_.get();
}

}  // namespace olmd::daemon
