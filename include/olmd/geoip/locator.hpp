#pragma once
// IP geolocation for the fraud job's FR-7, behind one interface with three
// implementations: a local GeoIP2/GeoLite2 City .mmdb file, the MaxMind GeoIP2
// Insights web service, and the KickFire company API.

#include <memory>
#include <string>

#include "olmd/config/config.hpp"
#include "olmd/core/error.hpp"

namespace olmd::geoip {

/// Where an IP is: ISO 3166-1 alpha-2 country and, when known, the ISO code of its
/// first subdivision (for the US, the two-letter state code).
struct Location {
    std::string country;
    std::string subdivision;  ///< "" when the service has none
};

enum class LookupStatus {
    found,      ///< location holds the answer
    not_found,  ///< the service does not know the IP, or it is reserved/invalid: inconclusive
    error,      ///< the service failed (down, timeout, 5xx, bad credentials): [fraud.ip_address] on_error
};

/// One lookup's answer.
struct LookupResult {
    LookupStatus status = LookupStatus::error;
    Location location;
    std::string detail;  ///< why, for not_found and error (never contains a secret)
};

/// Geolocates IP addresses.
class Locator {
public:
    virtual ~Locator() = default;
    /// Looks up one syntactically valid, public IPv4 or IPv6 address.
    virtual LookupResult lookup(const std::string& ip) = 0;
};

/// Builds the locator [fraud.ip_address] configures (mmdb, maxmind or kickfire); an Error
/// says why it cannot be used (missing file, unreadable key, corrupt database).
Result<std::unique_ptr<Locator>> make_locator(const config::FraudConfig::IpAddress& cfg);

}  // namespace olmd::geoip
