// FR-7 via the MaxMind GeoIP2 Insights web service:
// GET {url}/geoip/v2.1/insights/{ip}, HTTP Basic account_id:license_key.

#include <nlohmann/json.hpp>

#include "geoip/web_common.hpp"
#include "olmd/geoip/web_locators.hpp"
#include "olmd/http/client.hpp"

namespace olmd::geoip {
namespace {

using nlohmann::json;
using web::string_at;

domain::GeoAnswer not_found(std::string detail) { return {domain::GeoStatus::not_found, {}, std::move(detail)}; }

class MaxmindLocator final : public domain::GeoLocator {
public:
    MaxmindLocator(const config::FraudConfig::IpAddress& cfg, std::string license_key)
        : base_(web::trim_base_url(cfg.maxmind_url)),
          account_id_(cfg.account_id),
          license_key_(std::move(license_key)),
          timeout_ms_(cfg.timeout_ms) {}

    domain::GeoAnswer lookup(const std::string& ip) override {
        if (!web::ip_chars_only(ip)) return not_found("MaxMind: not an IP address");
        http::Request req;
        req.url = base_ + "/geoip/v2.1/insights/" + ip;
        req.headers = {{"Accept", "application/json"}};
        req.timeout_ms = timeout_ms_;
        req.connect_timeout_ms = timeout_ms_;
        req.basic_auth = std::pair{account_id_, license_key_};
        const auto r = http::perform(req);
        if (!r) return error("MaxMind Insights lookup failed: " + r.error().message);
        const json j = json::parse(r->body, nullptr, /*allow_exceptions=*/false);
        if (r->status == 200) return located(j);
        return answer_error(r->status, j);
    }

private:
    domain::GeoAnswer error(const std::string& detail) const {
        return {domain::GeoStatus::error, {}, web::scrubbed(detail, license_key_)};
    }

    /// A 200 answer: the country and first subdivision.
    domain::GeoAnswer located(const json& j) const {
        if (j.is_discarded() || !j.is_object()) return error("MaxMind Insights answered 200 with invalid JSON");
        domain::Location loc;
        loc.country = string_at(j.value("country", json::object()), "iso_code");
        if (loc.country.empty()) return not_found("MaxMind: no country for this IP");
        const json subs = j.value("subdivisions", json::array());
        if (subs.is_array() && !subs.empty()) loc.subdivision = string_at(subs.front(), "iso_code");
        return {domain::GeoStatus::found, std::move(loc), {}};
    }

    /// A 4xx/5xx answer, {"code": "...", "error": "..."}.
    domain::GeoAnswer answer_error(long status, const json& j) const {
        const std::string code = string_at(j, "code");
        const std::string text = string_at(j, "error");
        const std::string what = "MaxMind Insights answered HTTP " + std::to_string(status) +
                                 (code.empty() ? std::string() : " " + code) +
                                 (text.empty() ? std::string() : ": " + text);
        if ((status == 404 && code == "IP_ADDRESS_NOT_FOUND") ||
            (status == 400 && (code == "IP_ADDRESS_INVALID" || code == "IP_ADDRESS_RESERVED")))
            return not_found(web::scrubbed(what, license_key_));
        if (status == 401) return error(what + " (check [fraud.ip_address] account_id and license_key_file)");
        if (status == 402) return error(what + " (the MaxMind account has no queries left)");
        if (status == 403) return error(what + " (the MaxMind account may not use GeoIP2 Insights)");
        return error(what);
    }

    std::string base_;
    std::string account_id_;
    std::string license_key_;
    long timeout_ms_;
};

}  // namespace

Result<std::unique_ptr<domain::GeoLocator>> make_maxmind_locator(const config::FraudConfig::IpAddress& cfg) {
    if (cfg.account_id.empty())
        return Error{"[fraud.ip_address] account_id is not set; put your MaxMind account id there"};
    if (cfg.timeout_ms <= 0) return Error{"[fraud.ip_address] timeout_ms must be positive"};
    auto key = web::read_secret(cfg.license_key_file, "license_key_file", "MaxMind license key");
    if (!key) return key.error();
    return std::unique_ptr<domain::GeoLocator>(new MaxmindLocator(cfg, std::move(*key)));
}

}  // namespace olmd::geoip
