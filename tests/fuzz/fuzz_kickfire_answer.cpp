// libFuzzer target: the KickFire company API reader (src/geoip/kickfire_locator.cpp), driven
// through domain::GeoLocator::lookup with the answer scripted by the http seam (geoip_seam.hpp).
// Input: "STATUS\nBODY", a bare BODY (a 200), or "!MESSAGE" (a transport error).
// Properties: nothing escapes; a found location is a 200 "success" with a country; 401/403
// and transport errors are errors; no detail carries the key, raw or URL-encoded (it travels
// in the query string); the request carries the IP and the encoded key.

#include <memory>

#include "fuzz_check.hpp"
#include "geoip_seam.hpp"
#include "olmd/geoip/web_locators.hpp"

namespace {

using namespace olmd;

const std::string kKey = "kf FUZZ0key+/=&0";  ///< URL encoding changes it

domain::GeoLocator& locator() {
    static const std::unique_ptr<domain::GeoLocator> loc = [] {
        config::FraudConfig::IpAddress cfg;
        cfg.service = config::IpService::kickfire;
        cfg.key_file = fuzz::key_file(kKey);
        cfg.kickfire_url = "https://api.example.test";
        auto made = geoip::make_kickfire_locator(cfg);
        FUZZ_CHECK(made.ok(), made.ok() ? std::string() : made.error().message);
        return std::move(*made);
    }();
    return *loc;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string encoded = http::url_encode(kKey);
    const auto& answer = fuzz::script_answer(fuzz::as_text(data, size));
    const domain::GeoAnswer r = locator().lookup("8.8.8.8");
    const std::string seen = "status " + std::to_string(static_cast<int>(r.status)) + ": " + r.detail;
    const http::Request& req = fuzz::last_request();
    FUZZ_CHECK(req.url == "https://api.example.test/v2/company:(all)?ip=8.8.8.8&key=" + encoded, req.url);
    FUZZ_CHECK(r.detail.find(kKey) == std::string::npos && r.detail.find(encoded) == std::string::npos, seen);
    const long status = answer.ok() ? answer->status : 0;
    if (!answer.ok() || status == 401 || status == 403) FUZZ_CHECK(r.status == domain::GeoStatus::error, seen);
    if (r.status == domain::GeoStatus::found) {
        FUZZ_CHECK(status == 200 && !r.location.country.empty() && r.detail.empty(), seen);
        FUZZ_CHECK(answer->body.find("success") != std::string::npos, seen);
    } else {
        FUZZ_CHECK(!r.detail.empty() && r.location.country.empty(), seen);
    }
    return 0;
}
