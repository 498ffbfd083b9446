#pragma once
// The three implementations of the domain::GeoLocator port, chosen by
// [fraud.ip_address] kind: a local .mmdb file, MaxMind Insights, KickFire.

#include <memory>

#include "olmd/config/config.hpp"
#include "olmd/core/error.hpp"
#include "olmd/domain/geo_locator.hpp"

namespace olmd::geoip {

/// Builds the locator [fraud.ip_address] configures (mmdb, maxmind or kickfire); an Error
/// says why it cannot be used (missing file, unreadable key, corrupt database).
Result<std::unique_ptr<domain::GeoLocator>> make_locator(const config::FraudConfig::IpAddress& cfg);

}  // namespace olmd::geoip
