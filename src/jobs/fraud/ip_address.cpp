// FR-7 ip_address: the IP's country must be bill_country, and when that is
// [fraud] home_country its first subdivision (ISO code) must be the bill state
// normalized to its code; other countries pass on a country match.
// Inconclusive (does not fail; the reason lists ip_unknown): no IP, unparseable
// or non-public IP, an IP the service does not know, a home-country location
// without a subdivision. A lookup error follows [fraud.ip_address] on_error.
// Both countries compare as ISO alpha-2 codes (olmd/core/country.hpp): a bill
// country written "USA" or "United States" is US; one that is no country is
// compared as written (not bad data); no bill country matches no IP country.
#include <utility>

#include "detail.hpp"
#include "olmd/core/country.hpp"
#include "olmd/jobs/fraud/ip_address.hpp"
#include "olmd/jobs/fraud/normalize.hpp"

namespace olmd::jobs::fraud {

namespace {

std::string_view class_text(IpClass c) {
    switch (c) {
        case IpClass::empty: return "the order has no IP address";
        case IpClass::unparseable: return "not an IPv4 or IPv6 address";
        case IpClass::non_public: return "a private, loopback, link-local or reserved address";
        case IpClass::public_address: break;
    }
    return "";
}

/// An inconclusive result: it does not fail, and the reason lists ip_unknown.
template <class TextFn>
TestResult inconclusive(bool detail, TextFn&& text) {
    TestResult t = detail::result(Outcome::inconclusive, detail, std::forward<TextFn>(text));
    t.note = "ip_unknown";
    return t;
}

TestResult on_lookup_error(const std::string& ip, const domain::GeoAnswer& l, const Rules& r, bool detail) {
    const Outcome o = r.on_error == config::OnError::pass   ? Outcome::pass
                      : r.on_error == config::OnError::fail ? Outcome::fail
                                                            : Outcome::deferred;
    return detail::result(o, detail, [&] {
        const char* policy = r.on_error == config::OnError::pass   ? "pass"
                             : r.on_error == config::OnError::fail ? "fail"
                                                                   : "defer";
        return "IP " + ip + ": lookup error (" + l.detail + "); on_error = \"" + policy + "\"";
    });
}

}  // namespace

TestResult check_ip_address(const FraudOrder& o, const Rules& r, domain::GeoLocator* locator, bool detail) {
    std::string ip;
    normalize_into(o.ip_address, ip);  // trims; IP text is case-insensitive (IPv6 hex digits)
    if (const IpClass c = classify_ip(ip); c != IpClass::public_address)
        return inconclusive(detail, [&] {
            return (ip.empty() ? std::string() : "IP " + ip + ": ") + std::string(class_text(c));
        });
    if (locator == nullptr)
        return detail::result(Outcome::deferred, detail, [&] {
            return "IP " + ip + ": not looked up (no remote lookup in a dry run or explain)";
        });

    const domain::GeoAnswer l = locator->lookup(ip);
    if (l.status == domain::GeoStatus::error) return on_lookup_error(ip, l, r, detail);
    std::string ip_country;
    country_code_into(l.location.country, ip_country);
    if (l.status == domain::GeoStatus::not_found || ip_country.empty())
        return inconclusive(detail, [&] {
            return "IP " + ip + ": not found" + (l.detail.empty() ? std::string() : " (" + l.detail + ")");
        });

    std::string bill_country;
    country_code_into(o.bill.country, bill_country);
    if (ip_country != bill_country)
        return detail::result(Outcome::fail, detail, [&] {
            return "IP " + ip + " is in " + ip_country + ", bill country " + detail::q(o.bill.country) +
                   (bill_country.empty() ? " (none)" : " (" + bill_country + ")");
        });
    if (ip_country != r.home_country)
        return detail::result(Outcome::pass, detail, [&] {
            return "IP " + ip + " is in " + ip_country + " = bill country (not the home country: no state check)";
        });

    std::string ip_state, bill_state;
    normalize_into(l.location.subdivision, ip_state);
    if (ip_state.empty())
        return inconclusive(detail, [&] {
            return "IP " + ip + " is in " + ip_country + " = bill country, without a subdivision";
        });
    normalize_state_into(o.bill.state, bill_state);
    const bool differ = ip_state != bill_state;
    return detail::result(differ ? Outcome::fail : Outcome::pass, detail, [&] {
        return "IP " + ip + " is in " + ip_country + "-" + ip_state + (differ ? ", bill state " : " = bill state ") +
               detail::q(o.bill.state) + " (" + bill_state + ")";
    });
}

}  // namespace olmd::jobs::fraud
