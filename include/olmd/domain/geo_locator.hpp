#pragma once
// The GeoLocator port: IP geolocation for the fraud job's FR-7. The geoip module
// implements it three ways (a local GeoIP2/GeoLite2 City .mmdb file, the MaxMind
// GeoIP2 Insights web service, the KickFire company API); tests use fakes.

#include <string>

namespace olmd::domain {

/// Where an IP is: ISO 3166-1 alpha-2 country and, when known, the ISO code of its
/// first subdivision (for the US, the two-letter state code).
struct Location {
    std::string country;
    std::string subdivision;  ///< "" when the service has none
};

/// How a lookup ended.
enum class GeoStatus {
    found,      ///< location holds the answer
    not_found,  ///< the service does not know the IP, or it is reserved/invalid: inconclusive
    error,      ///< the service failed (down, timeout, 5xx, bad credentials): [fraud.ip_address] on_error
};

/// One lookup's answer.
struct GeoAnswer {
    GeoStatus status = GeoStatus::error;
    Location location;
    std::string detail;  ///< why, for not_found and error (never contains a secret)
};

/// Geolocates IP addresses.
class GeoLocator {
public:
    virtual ~GeoLocator() = default;
    /// Looks up one syntactically valid, public IPv4 or IPv6 address.
    virtual GeoAnswer lookup(const std::string& ip) = 0;
};

}  // namespace olmd::domain
