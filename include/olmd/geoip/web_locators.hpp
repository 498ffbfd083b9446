#pragma once
// The two web-service locators of FR-7 (MaxMind GeoIP2 Insights, KickFire),
// built by make_locator() when [fraud.ip_address] service names them.

#include <memory>

#include "olmd/config/config.hpp"
#include "olmd/core/error.hpp"
#include "olmd/geoip/locator.hpp"

namespace olmd::geoip {

/// The MaxMind GeoIP2 Insights locator; an Error says why it cannot be used (e.g. unreadable key file).
Result<std::unique_ptr<domain::GeoLocator>> make_maxmind_locator(const config::FraudConfig::IpAddress& cfg);
/// The KickFire locator; an Error says why it cannot be used (e.g. unreadable key file).
Result<std::unique_ptr<domain::GeoLocator>> make_kickfire_locator(const config::FraudConfig::IpAddress& cfg);

}  // namespace olmd::geoip
