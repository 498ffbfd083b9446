#pragma once
// Helpers shared by the fraud_*_test.cpp files: a plain US order that passes
// every test, rules with chosen tests switched on, and a scripted fake locator.

#include <map>
#include <string>
#include <vector>

#include "olmd/geoip/locator.hpp"
#include "olmd/domain/fraud_order.hpp"
#include "olmd/jobs/fraud/rules.hpp"

namespace olmd::jobs::fraud::testing {

/// An order that passes every fraud test with default settings: billed and shipped to
/// the same Seattle address, $100.00, Ground, a card payment, a Washington IP.
inline FraudOrder clean_order() {
    FraudOrder o;
    o.id = 1;
    o.number = "A-1";
    o.status_id = 6;
    o.channel_id = 3;
    o.shipping_method_id = 1;
    o.shipping_method_name = "Ground";
    o.grand_total_cents = 10000;
    o.ip_address = "216.160.83.56";
    o.bill = Address{"Ann", "Lee", "1 Pike St", "Seattle", "WA", "98101", "US", "ann@example.com"};
    o.ship = o.bill;
    o.has_live_card_payment = true;
    return o;
}

/// The path of a file under tests/data.
inline std::string test_data(const std::string& rel) { return std::string(OLMD_SOURCE_DIR) + "/tests/data/" + rel; }

/// The GeoIP2 City test database (MaxMind's test fixtures).
inline std::string test_mmdb() { return test_data("maxmind/GeoIP2-City-Test.mmdb"); }

/// A locator answering from a script; unknown IPs are not_found. Counts calls per IP.
class FakeLocator final : public domain::GeoLocator {
public:
    std::map<std::string, domain::GeoAnswer> answers;
    std::map<std::string, int> calls;
    int total_calls = 0;

    /// Scripts a found answer.
    void found(const std::string& ip, const std::string& country, const std::string& subdivision = "") {
        answers[ip] = domain::GeoAnswer{domain::GeoStatus::found, {country, subdivision}, ""};
    }
    /// Scripts an error answer.
    void error(const std::string& ip, const std::string& why = "service down") {
        answers[ip] = domain::GeoAnswer{domain::GeoStatus::error, {}, why};
    }
    domain::GeoAnswer lookup(const std::string& ip) override {
        ++calls[ip];
        ++total_calls;
        if (auto it = answers.find(ip); it != answers.end()) return it->second;
        return domain::GeoAnswer{domain::GeoStatus::not_found, {}, "unknown"};
    }
};

/// A locator that always fails (service down).
class DownLocator final : public domain::GeoLocator {
public:
    int total_calls = 0;
    domain::GeoAnswer lookup(const std::string&) override {
        ++total_calls;
        return domain::GeoAnswer{domain::GeoStatus::error, {}, "connection refused"};
    }
};

}  // namespace olmd::jobs::fraud::testing
