// libFuzzer target: the MaxMind GeoIP2 Insights reader (src/geoip/maxmind_locator.cpp), driven
// through domain::GeoLocator::lookup with the answer scripted by the http seam (geoip_seam.hpp).
// Input: "STATUS\nBODY", a bare BODY (a 200), or "!MESSAGE" (a transport error).
// Properties: nothing escapes; a found location is a 200 with a country; a transport error or
// a 200 that is not a JSON object is an error; no detail carries the license key; the request
// goes to the Insights path with HTTP Basic authentication.

#include <memory>

#include "fuzz_check.hpp"
#include "geoip_seam.hpp"
#include "olmd/geoip/web_locators.hpp"

namespace {

using namespace olmd;

constexpr const char* kKey = "mm-FUZZ0license0key";

domain::GeoLocator& locator() {
    static const std::unique_ptr<domain::GeoLocator> loc = [] {
        config::FraudConfig::IpAddress cfg;
        cfg.service = config::IpService::maxmind;
        cfg.account_id = "123456";
        cfg.license_key_file = fuzz::key_file(kKey);
        cfg.maxmind_url = "https://geoip.example.test/";
        auto made = geoip::make_maxmind_locator(cfg);
        FUZZ_CHECK(made.ok(), made.ok() ? std::string() : made.error().message);
        return std::move(*made);
    }();
    return *loc;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto& answer = fuzz::script_answer(fuzz::as_text(data, size));
    const domain::GeoAnswer r = locator().lookup("2001:db8::1");
    const std::string seen = "status " + std::to_string(static_cast<int>(r.status)) + ": " + r.detail;
    const http::Request& req = fuzz::last_request();
    FUZZ_CHECK(req.url == "https://geoip.example.test/geoip/v2.1/insights/2001:db8::1", req.url);
    FUZZ_CHECK(req.basic_auth && req.basic_auth->first == "123456" && req.basic_auth->second == kKey, req.url);
    FUZZ_CHECK(r.detail.find(kKey) == std::string::npos, seen);
    if (!answer.ok()) FUZZ_CHECK(r.status == domain::GeoStatus::error, seen);
    if (r.status == domain::GeoStatus::found) {
        FUZZ_CHECK(answer.ok() && answer->status == 200 && !r.location.country.empty(), seen);
        FUZZ_CHECK(r.detail.empty(), seen);
    } else {
        FUZZ_CHECK(!r.detail.empty() && r.location.country.empty(), seen);
    }
    return 0;
}
