#pragma once
// FR-7 ip_address: geolocate orders.ip_address and compare it with the billing
// address. Addresses that cannot be looked up (none, unparseable, private,
// loopback, link-local, reserved) are inconclusive without a lookup.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "olmd/domain/geo_locator.hpp"
#include "olmd/jobs/fraud/rules.hpp"

namespace olmd::jobs::fraud {

/// What kind of address an orders.ip_address value is.
enum class IpClass {
    public_address,  ///< a global unicast IPv4 or IPv6 address: worth a lookup
    empty,           ///< no IP on the order
    unparseable,     ///< not an IPv4 or IPv6 address
    non_public,      ///< private, loopback, link-local, multicast, documentation or otherwise reserved
};

/// Classifies a (trimmed) IP text with inet_pton and the IANA special-purpose ranges.
IpClass classify_ip(std::string_view ip);

/// The locator as one run uses it: answers cached per IP (bounded memory), and a
/// breaker that stops calling a service that failed `trip_after` times in a row.
class RunLocator final : public domain::GeoLocator {
public:
    /// Generation size for a web service (MaxMind Insights, KickFire): every hit saves a paid,
    /// ~50 ms call; two generations hold about 10 MB of answers at most.
    static constexpr std::size_t kServiceGeneration = 32768;
    /// Generation size for the local .mmdb file: a lookup is a few microseconds in a memory map,
    /// so the cache only spares repeated addresses and stays small (a few hundred KB).
    static constexpr std::size_t kLocalFileGeneration = 1024;

    /// Wraps inner (not owned); at most about 2 x generation_size answers are kept.
    explicit RunLocator(domain::GeoLocator& inner, std::size_t generation_size = kServiceGeneration,
                        int trip_after = 20);
    /// The cached answer, or the inner locator's (an error without calling once tripped).
    domain::GeoAnswer lookup(const std::string& ip) override;

    std::int64_t calls() const { return calls_; }          ///< lookups sent to the inner locator
    std::int64_t cache_hits() const { return hits_; }      ///< lookups answered from the cache
    std::int64_t errors() const { return errors_; }        ///< lookups that ended in error (incl. not sent)
    std::int64_t successes() const { return successes_; }  ///< found or not_found answers from the inner locator
    bool tripped() const { return tripped_; }               ///< the breaker opened: the service is failing
    const std::string& last_error() const { return last_error_; }
    /// True when the service failed for the whole job (MON-3): errors and no success, or the breaker opened.
    bool failing() const { return errors_ > 0 && (successes_ == 0 || tripped_); }

private:
    using Map = std::unordered_map<std::string, domain::GeoAnswer>;
    domain::GeoLocator& inner_;
    std::size_t generation_size_;
    int trip_after_;
    Map current_, previous_;  ///< two generations: a cheap approximation of LRU
    std::int64_t calls_ = 0, hits_ = 0, errors_ = 0, successes_ = 0;
    int consecutive_errors_ = 0;
    bool tripped_ = false;
    std::string last_error_;
};

/// FR-7: locator null = no lookup allowed (dry run with a web service): the test is deferred.
/// Inconclusive: no/unparseable/non-public IP, not found, or home-country location without a
/// subdivision. Fails: IP country != bill_country, or (country = home_country) subdivision !=
/// bill state code. A lookup error follows r.on_error. Countries compare as ISO alpha-2 codes
/// (olmd/core/country.hpp); no bill_country differs from any IP country. Inconclusive results
/// carry the note "ip_unknown".
TestResult check_ip_address(const FraudOrder& o, const Rules& r, domain::GeoLocator* locator, bool detail);

}  // namespace olmd::jobs::fraud
