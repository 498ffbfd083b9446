// FR-7 web-service locators (MaxMind GeoIP2 Insights, KickFire) against a fake
// serving the recorded bodies in tests/data/, a silent server and a closed port.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "olmd/geoip/web_locators.hpp"
#include "support/fake_geo_server.hpp"
#include "support/silent_server.hpp"
#include "support/temp_dir.hpp"
#include "support/scoped_env.hpp"

namespace olmd::geoip {
namespace {

using Cfg = config::FraudConfig::IpAddress;

using olmd::test::ScopedEnv;

std::string describe(const domain::GeoAnswer& r) {
    const char* s = r.status == domain::GeoStatus::found ? "found" : r.status == domain::GeoStatus::not_found ? "not_found" : "error";
    return std::string(s) + " " + r.location.country + "/" + r.location.subdivision + " detail: " + r.detail;
}

class GeoipWeb : public ::testing::Test {
protected:
    test::FakeGeoServer server;
    test::TempDir dir;
    ScopedEnv no_credentials_dir{"CREDENTIALS_DIRECTORY", std::nullopt};

    Cfg maxmind_cfg(const std::string& key) {
        Cfg c;
        c.enabled = true;
        c.service = config::IpService::maxmind;
        c.account_id = server.credentials().account_id;
        c.license_key_file = dir.file("maxmind.key");
        test::write_file(c.license_key_file, key + "\n");
        c.maxmind_url = server.url() + "/";
        c.timeout_ms = 3000;
        return c;
    }
    Cfg kickfire_cfg(const std::string& key) {
        Cfg c;
        c.enabled = true;
        c.service = config::IpService::kickfire;
        c.key_file = dir.file("kickfire.key");
        test::write_file(c.key_file, key + "\n");
        c.kickfire_url = server.url();
        c.timeout_ms = 3000;
        return c;
    }
    std::unique_ptr<domain::GeoLocator> maxmind() { return build(make_maxmind_locator(maxmind_cfg(server.credentials().license_key))); }
    std::unique_ptr<domain::GeoLocator> kickfire() { return build(make_kickfire_locator(kickfire_cfg(server.credentials().kickfire_key))); }
    static std::unique_ptr<domain::GeoLocator> build(Result<std::unique_ptr<domain::GeoLocator>> r) {
        EXPECT_TRUE(r.ok()) << r.error().message;
        return r.ok() ? std::move(r.value()) : nullptr;
    }
};

// --- MaxMind ------------------------------------------------------------------------

TEST_F(GeoipWeb, FR7_MaxmindUsStateFound) {
    auto loc = maxmind();
    ASSERT_TRUE(loc);
    const auto r = loc->lookup("1.2.3.4");
    ASSERT_EQ(r.status, domain::GeoStatus::found) << describe(r);
    EXPECT_EQ(r.location.country, "US");
    EXPECT_EQ(r.location.subdivision, "MN");  // subdivisions[0], not the second one
    EXPECT_EQ(server.last_target(), "/geoip/v2.1/insights/1.2.3.4");
}

TEST_F(GeoipWeb, MaxmindOtherCountryFoundWithItsFirstSubdivision) {
    const auto r = maxmind()->lookup("81.2.69.160");
    ASSERT_EQ(r.status, domain::GeoStatus::found) << describe(r);
    EXPECT_EQ(r.location.country, "GB");
    EXPECT_EQ(r.location.subdivision, "ENG");
}

TEST_F(GeoipWeb, MaxmindMissingSubdivisionIsFoundWithoutOne) {
    server.answer_maxmind_raw("5.6.7.8", 200, R"({"country":{"iso_code":"FR"},"traits":{"ip_address":"5.6.7.8"}})");
    const auto r = maxmind()->lookup("5.6.7.8");
    ASSERT_EQ(r.status, domain::GeoStatus::found) << describe(r);
    EXPECT_EQ(r.location.country, "FR");
    EXPECT_EQ(r.location.subdivision, "");
}

TEST_F(GeoipWeb, MaxmindMissingCountryIsInconclusive) {
    server.answer_maxmind_raw("5.6.7.8", 200, R"({"continent":{"code":"EU"},"traits":{"ip_address":"5.6.7.8"}})");
    EXPECT_EQ(maxmind()->lookup("5.6.7.8").status, domain::GeoStatus::not_found);
}

TEST_F(GeoipWeb, FR7_MaxmindNotFoundIsInconclusive) {
    const auto r = maxmind()->lookup("203.0.113.9");  // the fake answers 404 IP_ADDRESS_NOT_FOUND
    EXPECT_EQ(r.status, domain::GeoStatus::not_found) << describe(r);
    EXPECT_NE(r.detail.find("IP_ADDRESS_NOT_FOUND"), std::string::npos) << r.detail;
}

TEST_F(GeoipWeb, FR7_MaxmindReservedIsInconclusive) {
    server.answer_maxmind("10.0.0.1", 400, "IP_ADDRESS_RESERVED", "The value 10.0.0.1 belongs to a reserved or private range.");
    server.answer_maxmind("1.2.3", 400, "IP_ADDRESS_INVALID", "The value 1.2.3 is not a valid IP address.");
    auto loc = maxmind();
    EXPECT_EQ(loc->lookup("10.0.0.1").status, domain::GeoStatus::not_found);
    EXPECT_EQ(loc->lookup("1.2.3").status, domain::GeoStatus::not_found);
}

TEST_F(GeoipWeb, FR7_MaxmindBadCredentialsIsLookupError) {
    auto loc = build(make_maxmind_locator(maxmind_cfg("WRONG-license-key")));
    ASSERT_TRUE(loc);
    const auto r = loc->lookup("1.2.3.4");
    EXPECT_EQ(r.status, domain::GeoStatus::error) << describe(r);
    EXPECT_NE(r.detail.find("401"), std::string::npos) << r.detail;
    EXPECT_NE(r.detail.find("AUTHORIZATION_INVALID"), std::string::npos) << r.detail;
    EXPECT_EQ(r.detail.find("WRONG-license-key"), std::string::npos) << r.detail;
}

TEST_F(GeoipWeb, FR7_MaxmindAccountAndServerFailuresAreLookupErrors) {
    server.answer_maxmind("9.9.9.1", 402, "OUT_OF_QUERIES", "The license key you have provided is out of queries.");
    server.answer_maxmind("9.9.9.2", 403, "PERMISSION_REQUIRED", "You do not have permission to use this service.");
    server.answer_maxmind("9.9.9.3", 500, "INTERNAL", "oops");
    server.answer_maxmind_raw("9.9.9.4", 503, "<html>busy</html>");
    server.answer_maxmind_raw("9.9.9.5", 200, "{not json");
    server.answer_maxmind("9.9.9.6", 404, "SOMETHING_ELSE", "not the IP");   // 404 without IP_ADDRESS_NOT_FOUND
    server.answer_maxmind("9.9.9.7", 400, "ACCOUNT_ID_REQUIRED", "bad");     // 400 that is not about the IP
    server.answer_maxmind_raw("9.9.9.8", 302, "");
    auto loc = maxmind();
    for (const std::string ip : {"9.9.9.1", "9.9.9.2", "9.9.9.3", "9.9.9.4", "9.9.9.5", "9.9.9.6", "9.9.9.7", "9.9.9.8"}) {
        const auto r = loc->lookup(ip);
        EXPECT_EQ(r.status, domain::GeoStatus::error) << ip << ": " << describe(r);
        EXPECT_FALSE(r.detail.empty()) << ip;
    }
}

TEST_F(GeoipWeb, FR7_MaxmindTimeoutIsLookupError) {
    test::SilentServer silent;
    Cfg cfg = maxmind_cfg(server.credentials().license_key);
    cfg.maxmind_url = silent.url();
    cfg.timeout_ms = 300;
    auto loc = build(make_maxmind_locator(cfg));
    ASSERT_TRUE(loc);
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = loc->lookup("1.2.3.4");
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
    EXPECT_EQ(r.status, domain::GeoStatus::error) << describe(r);
    EXPECT_NE(r.detail.find("Timeout"), std::string::npos) << r.detail;
}

TEST_F(GeoipWeb, FR7_MaxmindServiceDownIsLookupError) {
    Cfg cfg = maxmind_cfg(server.credentials().license_key);
    cfg.maxmind_url = "http://127.0.0.1:" + std::to_string(test::closed_port());
    const auto r = build(make_maxmind_locator(cfg))->lookup("1.2.3.4");
    EXPECT_EQ(r.status, domain::GeoStatus::error) << describe(r);
}

// --- KickFire -----------------------------------------------------------------------

TEST_F(GeoipWeb, FR7_KickfireRegionShortFound) {
    auto loc = kickfire();
    ASSERT_TRUE(loc);
    auto r = loc->lookup("8.8.8.8");
    ASSERT_EQ(r.status, domain::GeoStatus::found) << describe(r);
    EXPECT_EQ(r.location.country, "US");
    EXPECT_EQ(r.location.subdivision, "CA");
    EXPECT_EQ(server.last_kickfire_key(), server.credentials().kickfire_key);
    r = loc->lookup("38.140.7.60");
    ASSERT_EQ(r.status, domain::GeoStatus::found) << describe(r);
    EXPECT_EQ(r.location.country, "US");
    EXPECT_EQ(r.location.subdivision, "GA");
}

TEST_F(GeoipWeb, KickfireEmptyRegionShortIsFoundWithoutSubdivision) {
    const auto r = kickfire()->lookup("1.1.1.1");  // regionShort "" (region "QLD" is not a code)
    ASSERT_EQ(r.status, domain::GeoStatus::found) << describe(r);
    EXPECT_EQ(r.location.country, "AU");
    EXPECT_EQ(r.location.subdivision, "");
}

TEST_F(GeoipWeb, FR7_KickfireNotFoundIsInconclusive) {
    auto loc = kickfire();
    EXPECT_EQ(loc->lookup("241.241.241.241").status, domain::GeoStatus::not_found);
    server.answer_kickfire("5.5.5.5", 200, R"({"status":"success","results":0,"data":[]})");
    EXPECT_EQ(loc->lookup("5.5.5.5").status, domain::GeoStatus::not_found);
}

TEST_F(GeoipWeb, FR7_KickfireInvalidKeyIsLookupError) {
    auto loc = build(make_kickfire_locator(kickfire_cfg("not-the-right-key")));
    ASSERT_TRUE(loc);
    const auto r = loc->lookup("8.8.8.8");  // 401 with code 900, as recorded
    EXPECT_EQ(r.status, domain::GeoStatus::error) << describe(r);
    EXPECT_NE(r.detail.find("900"), std::string::npos) << r.detail;
    EXPECT_EQ(r.detail.find("not-the-right-key"), std::string::npos) << r.detail;
}

TEST_F(GeoipWeb, FR7_KickfireServiceFailuresAreLookupErrors) {
    server.answer_kickfire("9.9.9.1", 200, test::FakeGeoServer::data("kickfire/no_api_key.json"));  // code 901
    server.answer_kickfire("9.9.9.2", 500, "Internal Server Error");
    server.answer_kickfire("9.9.9.3", 502, R"({"status":"not found"})");
    server.answer_kickfire("9.9.9.4", 200, "{bad json");
    server.answer_kickfire("9.9.9.5", 200, R"({"status":"maintenance"})");
    server.answer_kickfire("9.9.9.6", 403, "");
    auto loc = kickfire();
    for (const std::string ip : {"9.9.9.1", "9.9.9.2", "9.9.9.3", "9.9.9.4", "9.9.9.5", "9.9.9.6"}) {
        const auto r = loc->lookup(ip);
        EXPECT_EQ(r.status, domain::GeoStatus::error) << ip << ": " << describe(r);
    }
}

TEST_F(GeoipWeb, FR7_KickfireTimeoutIsLookupError) {
    test::SilentServer silent;
    Cfg cfg = kickfire_cfg(server.credentials().kickfire_key);
    cfg.kickfire_url = silent.url();
    cfg.timeout_ms = 300;
    const auto r = build(make_kickfire_locator(cfg))->lookup("8.8.8.8");
    EXPECT_EQ(r.status, domain::GeoStatus::error) << describe(r);
    EXPECT_EQ(r.detail.find(server.credentials().kickfire_key), std::string::npos) << r.detail;
}

TEST_F(GeoipWeb, KickfireKeyIsUrlEncoded) {
    test::FakeGeoServer odd({"1", "2", "k y&z=1+2/é"});
    Cfg cfg = kickfire_cfg(odd.credentials().kickfire_key);
    cfg.kickfire_url = odd.url();
    const auto r = build(make_kickfire_locator(cfg))->lookup("8.8.8.8");
    EXPECT_EQ(r.status, domain::GeoStatus::found) << describe(r);
    EXPECT_EQ(odd.last_kickfire_key(), "k y&z=1+2/é");
}

// --- secrets and credentials ------------------------------------------------------------

TEST_F(GeoipWeb, SecretsNeverInDetail) {
    test::SilentServer silent;
    const std::string mm_key = server.credentials().license_key;
    const std::string kf_key = server.credentials().kickfire_key;
    server.answer_maxmind("9.9.9.1", 401, "AUTHORIZATION_INVALID", "bad key " + mm_key);  // even if echoed back
    server.answer_kickfire("9.9.9.1", 401, R"({"status":"error","code":900,"message":"bad key )" + kf_key + "\"}");
    std::vector<domain::GeoAnswer> results;
    results.push_back(maxmind()->lookup("9.9.9.1"));
    results.push_back(kickfire()->lookup("9.9.9.1"));
    for (const auto& url : {silent.url(), "http://127.0.0.1:" + std::to_string(test::closed_port())}) {
        Cfg m = maxmind_cfg(mm_key);
        m.maxmind_url = url;
        m.timeout_ms = 200;
        results.push_back(build(make_maxmind_locator(m))->lookup("1.2.3.4"));
        Cfg k = kickfire_cfg(kf_key);
        k.kickfire_url = url;
        k.timeout_ms = 200;
        results.push_back(build(make_kickfire_locator(k))->lookup("8.8.8.8"));
    }
    ASSERT_EQ(results.size(), 6u);
    for (const auto& r : results) {
        EXPECT_EQ(r.status, domain::GeoStatus::error) << describe(r);
        EXPECT_FALSE(r.detail.empty());
        EXPECT_EQ(r.detail.find(mm_key), std::string::npos) << r.detail;
        EXPECT_EQ(r.detail.find(kf_key), std::string::npos) << r.detail;
        EXPECT_EQ(r.detail.find("key="), std::string::npos) << r.detail;
    }
}

TEST_F(GeoipWeb, CredentialsDirectoryFallback) {
    test::TempDir creds;
    test::write_file(creds.file("maxmind.key"), server.credentials().license_key + " \r\n");  // blank trimmed
    test::write_file(creds.file("kickfire.key"), server.credentials().kickfire_key + "\n");
    ScopedEnv env("CREDENTIALS_DIRECTORY", creds.path().string());
    Cfg m = maxmind_cfg("unused");
    m.license_key_file = "/nonexistent/olmd/maxmind.key";  // missing: falls back to $CREDENTIALS_DIRECTORY/maxmind.key
    const auto mr = build(make_maxmind_locator(m))->lookup("1.2.3.4");
    EXPECT_EQ(mr.status, domain::GeoStatus::found) << describe(mr);
    Cfg k = kickfire_cfg("unused");
    k.key_file = "/nonexistent/olmd/kickfire.key";
    const auto kr = build(make_kickfire_locator(k))->lookup("8.8.8.8");
    EXPECT_EQ(kr.status, domain::GeoStatus::found) << describe(kr);
}

TEST_F(GeoipWeb, OPS8_KeyFileMustHoldOneLine) {
    test::TempDir creds;
    test::write_file(creds.file("maxmind.key"), server.credentials().license_key + "\n\n");
    ScopedEnv env("CREDENTIALS_DIRECTORY", creds.path().string());
    Cfg m = maxmind_cfg("unused");
    m.license_key_file = "/nonexistent/olmd/maxmind.key";  // read from $CREDENTIALS_DIRECTORY, same rules
    auto r = make_maxmind_locator(m);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("more than one line"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find(creds.file("maxmind.key")), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().message.find(server.credentials().license_key), std::string::npos) << r.error().message;
}

TEST_F(GeoipWeb, ExistingKeyFileWinsOverCredentialsDirectory) {
    test::TempDir creds;
    test::write_file(creds.file("maxmind.key"), "stale-key\n");
    ScopedEnv env("CREDENTIALS_DIRECTORY", creds.path().string());
    const auto r = maxmind()->lookup("1.2.3.4");  // dir/maxmind.key holds the right key
    EXPECT_EQ(r.status, domain::GeoStatus::found) << describe(r);
}

TEST_F(GeoipWeb, MissingKeyFileIsAFactoryErrorNamingTheFile) {
    Cfg m = maxmind_cfg("x");
    m.license_key_file = "/nonexistent/olmd/maxmind.key";
    auto mr = make_maxmind_locator(m);
    ASSERT_FALSE(mr.ok());
    EXPECT_NE(mr.error().message.find("/nonexistent/olmd/maxmind.key"), std::string::npos) << mr.error().message;
    EXPECT_NE(mr.error().message.find("LoadCredential"), std::string::npos) << mr.error().message;

    test::TempDir creds;  // a credentials directory without the file
    ScopedEnv env("CREDENTIALS_DIRECTORY", creds.path().string());
    Cfg k = kickfire_cfg("x");
    k.key_file = "/nonexistent/olmd/kickfire.key";
    auto kr = make_kickfire_locator(k);
    ASSERT_FALSE(kr.ok());
    EXPECT_NE(kr.error().message.find("/nonexistent/olmd/kickfire.key"), std::string::npos) << kr.error().message;
    EXPECT_NE(kr.error().message.find(creds.file("kickfire.key")), std::string::npos) << kr.error().message;
}

TEST_F(GeoipWeb, EmptyOrUnreadableKeyIsAFactoryError) {
    Cfg empty = kickfire_cfg("   ");
    auto r = make_kickfire_locator(empty);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("empty"), std::string::npos) << r.error().message;

    Cfg dir_as_key = maxmind_cfg("x");
    dir_as_key.license_key_file = dir.path().string();
    EXPECT_FALSE(make_maxmind_locator(dir_as_key).ok());

    Cfg unset = maxmind_cfg("x");
    unset.license_key_file = "";
    EXPECT_FALSE(make_maxmind_locator(unset).ok());

    Cfg no_account = maxmind_cfg("x");
    no_account.account_id = "";
    auto na = make_maxmind_locator(no_account);
    ASSERT_FALSE(na.ok());
    EXPECT_NE(na.error().message.find("account_id"), std::string::npos) << na.error().message;
}

}  // namespace
}  // namespace olmd::geoip
