// FR-7 via the KickFire company API: GET {url}/v2/company:(all)?ip={ip}&key={key}.
// The key travels in the query string, so it must never reach a detail or an Error.

#include <nlohmann/json.hpp>

#include "geoip/web_common.hpp"
#include "olmd/geoip/web_locators.hpp"
#include "olmd/http/client.hpp"

namespace olmd::geoip {
namespace {

using nlohmann::json;
using web::string_at;

domain::GeoAnswer not_found(std::string detail) { return {domain::GeoStatus::not_found, {}, std::move(detail)}; }

class KickfireLocator final : public domain::GeoLocator {
public:
    KickfireLocator(const config::FraudConfig::IpAddress& cfg, std::string key)
        : base_(web::trim_base_url(cfg.kickfire_url)), key_(std::move(key)), timeout_ms_(cfg.timeout_ms) {}

    domain::GeoAnswer lookup(const std::string& ip) override {
        if (!web::ip_chars_only(ip)) return not_found("KickFire: not an IP address");
        http::Request req;
        req.url = base_ + "/v2/company:(all)?ip=" + http::url_encode(ip) + "&key=" + http::url_encode(key_);
        req.headers = {{"Accept", "application/json"}};
        req.timeout_ms = timeout_ms_;
        req.connect_timeout_ms = timeout_ms_;
        const auto r = http::perform(req);
        if (!r) return error("KickFire lookup failed: " + r.error().message);
        return interpret(r->status, json::parse(r->body, nullptr, /*allow_exceptions=*/false));
    }

private:
    domain::GeoAnswer error(const std::string& detail) const {
        // Both the raw and the URL-encoded key are scrubbed.
        return {domain::GeoStatus::error, {}, web::scrubbed(web::scrubbed(detail, key_, 100000), http::url_encode(key_))};
    }

    domain::GeoAnswer interpret(long status, const json& j) const {
        const std::string http_status = "KickFire answered HTTP " + std::to_string(status);
        const bool object = !j.is_discarded() && j.is_object();
        const std::string api_status = object ? string_at(j, "status") : std::string();
        if (api_status == "error") {  // e.g. 401 with code 900 (bad key) or 901 (no key)
            const auto c = j.find("code");
            const std::string code = c == j.end() ? std::string("?") : c->is_string() ? c->get<std::string>() : c->dump();
            const bool auth = code == "900" || code == "901" || status == 401;
            return error(http_status + ", error code " + code + ": " + string_at(j, "message") +
                         (auth ? " (check [fraud.ip_address] key_file)" : ""));
        }
        if (status == 401 || status == 403) return error(http_status + " (check [fraud.ip_address] key_file)");
        if (api_status == "not found" && (status == 200 || status == 404)) return not_found("KickFire: not found");
        if (status != 200) return error(http_status);
        if (!object) return error(http_status + " with invalid JSON");
        if (api_status != "success") return error(http_status + " with status \"" + api_status + "\"");
        const json data = j.value("data", json::array());
        if (!data.is_array() || data.empty()) return not_found("KickFire: no company data");
        domain::Location loc{string_at(data.front(), "countryShort"), string_at(data.front(), "regionShort")};
        if (loc.country.empty()) return not_found("KickFire: no country for this IP");
        return {domain::GeoStatus::found, std::move(loc), {}};
    }

    std::string base_;
    std::string key_;
    long timeout_ms_;
};

}  // namespace

Result<std::unique_ptr<domain::GeoLocator>> make_kickfire_locator(const config::FraudConfig::IpAddress& cfg) {
    if (cfg.timeout_ms <= 0) return Error{"[fraud.ip_address] timeout_ms must be positive"};
    auto key = web::read_secret(cfg.key_file, "key_file", "KickFire key");
    if (!key) return key.error();
    return std::unique_ptr<domain::GeoLocator>(new KickfireLocator(cfg, std::move(*key)));
}

}  // namespace olmd::geoip
