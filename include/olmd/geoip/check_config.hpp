#pragma once
// check-config's FR-7 checks: the locator [fraud.ip_address] names must be usable.

#include "olmd/config/config.hpp"
#include "olmd/config/diagnostics.hpp"

namespace olmd::geoip {

/// With [fraud.ip_address] enabled: an error when the .mmdb file does not open as a MaxMind DB
/// (a warning when it is not a City one), or when the web locator cannot be built.
void check_locator_config(const config::Config& cfg, config::Diagnostics& out);

}  // namespace olmd::geoip
