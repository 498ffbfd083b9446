// FR-7 ip_address: IP classification, the .mmdb locator against MaxMind's test
// database, the comparison rules, on_error, and the per-run cache and breaker.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "fraud_test_util.hpp"
#include "olmd/geoip/mmdb_locator.hpp"
#include "olmd/jobs/fraud/ip_address.hpp"

namespace olmd::jobs::fraud {
namespace {

using testing::clean_order;
using testing::DownLocator;
using testing::FakeLocator;

Rules ip_rules(config::OnError on_error = config::OnError::defer) {
    Rules r;
    r.enabled[static_cast<int>(TestId::ip_address)] = true;
    r.on_error = on_error;
    return r;
}

std::unique_ptr<geoip::MmdbLocator> open_test_mmdb(const std::string& path = testing::test_mmdb()) {
    auto db = geoip::MmdbLocator::open(path);
    if (!db) ADD_FAILURE() << db.error().message;
    return db ? std::move(*db) : nullptr;
}

// --- which IPs are looked up -----------------------------------------------------

TEST(FraudIpAddress, FR7_PrivateAndReservedIpv4AreNotPublic) {
    for (const char* ip : {"10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "127.0.0.1", "169.254.10.1",
                           "100.64.0.1", "0.0.0.0", "192.0.2.5", "198.51.100.7", "203.0.113.9", "224.0.0.1",
                           "240.0.0.1", "255.255.255.255", "198.18.0.1"}) {
        SCOPED_TRACE(ip);
        EXPECT_EQ(classify_ip(ip), IpClass::non_public);
    }
}

TEST(FraudIpAddress, FR7_PrivateAndReservedIpv6AreNotPublic) {
    for (const char* ip : {"::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "2001:db8::1",
                           "::ffff:192.168.1.1", "::ffff:10.0.0.1", "100::1", "fec0::1"}) {
        SCOPED_TRACE(ip);
        EXPECT_EQ(classify_ip(ip), IpClass::non_public);
    }
}

TEST(FraudIpAddress, FR7_PublicAddressesAreLookedUp) {
    for (const char* ip : {"216.160.83.56", "81.2.69.142", "8.8.8.8", "172.32.0.1", "2001:480:10::1",
                           "2600:1f18::1", "::ffff:216.160.83.56", "2001:DB9::1"}) {
        SCOPED_TRACE(ip);
        EXPECT_EQ(classify_ip(ip), IpClass::public_address);
    }
}

TEST(FraudIpAddress, FR7_GarbageIsUnparseable) {
    for (const char* ip : {"not an ip", "256.1.1.1", "1.2.3", "1.2.3.4.5", "2001:::1", "fe80::1%eth0", "1.2.3.4/24"}) {
        SCOPED_TRACE(ip);
        EXPECT_EQ(classify_ip(ip), IpClass::unparseable);
    }
    EXPECT_EQ(classify_ip(""), IpClass::empty);
}

// --- the .mmdb locator --------------------------------------------------------------

TEST(FraudIpAddress, FR7_MmdbFindsCountryAndSubdivision) {
    auto db = open_test_mmdb();
    ASSERT_TRUE(db);
    EXPECT_NE(db->database_type().find("City"), std::string::npos);
    auto us = db->lookup("216.160.83.56");
    ASSERT_EQ(us.status, domain::GeoStatus::found) << us.detail;
    EXPECT_EQ(us.location.country, "US");
    EXPECT_EQ(us.location.subdivision, "WA");
    auto gb = db->lookup("81.2.69.142");
    ASSERT_EQ(gb.status, domain::GeoStatus::found);
    EXPECT_EQ(gb.location.country, "GB");
    EXPECT_EQ(gb.location.subdivision, "ENG");
}

TEST(FraudIpAddress, FR7_MmdbLooksUpIpv6) {
    auto db = open_test_mmdb();
    ASSERT_TRUE(db);
    auto r = db->lookup("2001:480:10::1");
    ASSERT_EQ(r.status, domain::GeoStatus::found) << r.detail;
    EXPECT_EQ(r.location.country, "US");
    EXPECT_EQ(r.location.subdivision, "CA");
    auto jp = db->lookup("2001:218::1");
    ASSERT_EQ(jp.status, domain::GeoStatus::found);
    EXPECT_EQ(jp.location.country, "JP");
    EXPECT_EQ(jp.location.subdivision, "");
}

TEST(FraudIpAddress, FR7_MmdbUnknownIpIsNotFound) {
    auto db = open_test_mmdb();
    ASSERT_TRUE(db);
    EXPECT_EQ(db->lookup("1.2.3.4").status, domain::GeoStatus::not_found);
    EXPECT_EQ(db->lookup("2001:480::1").status, domain::GeoStatus::not_found);
    EXPECT_EQ(db->lookup("nonsense").status, domain::GeoStatus::not_found);
}

TEST(FraudIpAddress, FR7_GeoLiteDatabaseWorksToo) {
    auto db = open_test_mmdb(testing::test_data("maxmind/GeoLite2-City-Test.mmdb"));
    ASSERT_TRUE(db);
    auto r = db->lookup("216.160.83.56");
    ASSERT_EQ(r.status, domain::GeoStatus::found);
    EXPECT_EQ(r.location.country, "US");
}

TEST(FraudIpAddress, FR7_CorruptOrMissingMmdbDoesNotOpen) {
    const auto dir = std::filesystem::temp_directory_path() / ("olmd-fraud-mmdb-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto corrupt = (dir / "corrupt.mmdb").string();
    std::ofstream(corrupt) << "this is not a MaxMind database";
    auto bad = geoip::MmdbLocator::open(corrupt);
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find(corrupt), std::string::npos);
    EXPECT_FALSE(geoip::MmdbLocator::open((dir / "missing.mmdb").string()));
    std::filesystem::remove_all(dir);
}

// --- the comparison against the real test database ------------------------------------

TEST(FraudIpAddress, FR7_IpInBillStatePasses) {
    auto db = open_test_mmdb();
    ASSERT_TRUE(db);
    auto o = clean_order();  // 216.160.83.56 = US/WA, billed in WA
    EXPECT_EQ(check_ip_address(o, ip_rules(), db.get(), false).outcome, Outcome::pass);
    o.bill.state = " washington ";
    EXPECT_EQ(check_ip_address(o, ip_rules(), db.get(), false).outcome, Outcome::pass);
}

TEST(FraudIpAddress, FR7_IpInOtherStateFails) {
    auto db = open_test_mmdb();
    ASSERT_TRUE(db);
    auto o = clean_order();
    o.bill.state = "Oregon";
    const auto r = check_ip_address(o, ip_rules(), db.get(), true);
    EXPECT_EQ(r.outcome, Outcome::fail);
    EXPECT_NE(r.compared.find("US-WA"), std::string::npos) << r.compared;
}

TEST(FraudIpAddress, FR7_IpCountryDiffersFromBillCountryFails) {
    auto db = open_test_mmdb();
    ASSERT_TRUE(db);
    auto o = clean_order();
    o.ip_address = "81.2.69.142";  // GB
    EXPECT_EQ(check_ip_address(o, ip_rules(), db.get(), false).outcome, Outcome::fail);
}

TEST(FraudIpAddress, FR7_ForeignCountryMatchPassesWithoutStateCheck) {
    auto db = open_test_mmdb();
    ASSERT_TRUE(db);
    auto o = clean_order();
    o.ip_address = "81.2.69.142";  // GB, subdivision ENG
    o.bill.country = "gb";
    o.bill.state = "Kent";
    EXPECT_EQ(check_ip_address(o, ip_rules(), db.get(), false).outcome, Outcome::pass);
}

TEST(FraudIpAddress, FR7_Ipv6InBillStatePasses) {
    auto db = open_test_mmdb();
    ASSERT_TRUE(db);
    auto o = clean_order();
    o.ip_address = "2001:480:10::1";  // US/CA
    o.bill.state = "California";
    EXPECT_EQ(check_ip_address(o, ip_rules(), db.get(), false).outcome, Outcome::pass);
    o.bill.state = "WA";
    EXPECT_EQ(check_ip_address(o, ip_rules(), db.get(), false).outcome, Outcome::fail);
}

TEST(FraudIpAddress, FR7_HomeCountryWithoutSubdivisionIsInconclusive) {
    auto db = open_test_mmdb();
    ASSERT_TRUE(db);
    auto o = clean_order();
    o.ip_address = "149.101.100.1";  // US, no subdivision
    EXPECT_EQ(check_ip_address(o, ip_rules(), db.get(), false).outcome, Outcome::inconclusive);
    o.bill.country = "GB";  // the country alone already disagrees
    EXPECT_EQ(check_ip_address(o, ip_rules(), db.get(), false).outcome, Outcome::fail);
}

TEST(FraudIpAddress, FR7_UnknownIpIsInconclusive) {
    auto db = open_test_mmdb();
    ASSERT_TRUE(db);
    auto o = clean_order();
    o.ip_address = "1.2.3.4";
    EXPECT_EQ(check_ip_address(o, ip_rules(), db.get(), false).outcome, Outcome::inconclusive);
}

TEST(FraudIpAddress, FR7_PrivateIpIsInconclusiveWithoutLookup) {
    FakeLocator fake;
    auto o = clean_order();
    for (const char* ip : {"192.168.1.20", "10.0.0.1", "::1", "fe80::1", "", "   ", "garbage"}) {
        SCOPED_TRACE(ip);
        o.ip_address = ip;
        EXPECT_EQ(check_ip_address(o, ip_rules(), &fake, false).outcome, Outcome::inconclusive);
    }
    EXPECT_EQ(fake.total_calls, 0);
}

TEST(FraudIpAddress, FR7_BillCountryComparesAsIsoCode) {
    auto db = open_test_mmdb();
    ASSERT_TRUE(db);
    auto o = clean_order();  // a US/WA IP
    for (const char* us : {"USA", "United States", "united states of america"}) {
        SCOPED_TRACE(us);
        o.bill.country = us;  // the home country: the state is compared too
        EXPECT_EQ(check_ip_address(o, ip_rules(), db.get(), false).outcome, Outcome::pass);
    }
    o.ip_address = "81.2.69.142";  // GB
    o.bill.country = "United Kingdom";
    EXPECT_EQ(check_ip_address(o, ip_rules(), db.get(), false).outcome, Outcome::pass);
}

TEST(FraudIpAddress, FR7_NonCountryOrMissingBillCountryFailsWithoutBadData) {
    auto db = open_test_mmdb();
    ASSERT_TRUE(db);
    auto o = clean_order();
    for (const char* bill : {"Narnia", ""}) {
        SCOPED_TRACE(bill);
        o.bill.country = bill;
        const auto r = check_ip_address(o, ip_rules(), db.get(), false);
        EXPECT_EQ(r.outcome, Outcome::fail);  // the IP's US is not that bill country
        EXPECT_EQ(r.bad_field, "");
    }
}

TEST(FraudIpAddress, FR7_IpCountryFromTheServiceIsNormalizedToo) {
    FakeLocator fake;
    fake.found("216.160.83.56", "usa", "wa");  // a service answering in another form
    auto o = clean_order();
    EXPECT_EQ(check_ip_address(o, ip_rules(), &fake, false).outcome, Outcome::pass);
}

TEST(FraudIpAddress, FR7_InconclusiveCarriesTheIpUnknownNote) {
    auto o = clean_order();
    o.ip_address = "10.0.0.1";
    EXPECT_EQ(check_ip_address(o, ip_rules(), nullptr, false).note, "ip_unknown");
}

TEST(FraudIpAddress, FR7_IpIsTrimmedBeforeLookup) {
    FakeLocator fake;
    fake.found("216.160.83.56", "US", "WA");
    auto o = clean_order();
    o.ip_address = "  216.160.83.56 ";
    EXPECT_EQ(check_ip_address(o, ip_rules(), &fake, false).outcome, Outcome::pass);
    EXPECT_EQ(fake.calls["216.160.83.56"], 1);
}

// --- lookup errors: [fraud.ip_address] on_error -----------------------------------------

TEST(FraudIpAddress, FR7_LookupErrorDefersByDefault) {
    FakeLocator fake;
    fake.error("216.160.83.56");
    EXPECT_EQ(check_ip_address(clean_order(), ip_rules(config::OnError::defer), &fake, false).outcome,
              Outcome::deferred);
}

TEST(FraudIpAddress, FR7_LookupErrorWithOnErrorPassPasses) {
    FakeLocator fake;
    fake.error("216.160.83.56");
    EXPECT_EQ(check_ip_address(clean_order(), ip_rules(config::OnError::pass), &fake, false).outcome, Outcome::pass);
}

TEST(FraudIpAddress, FR7_LookupErrorWithOnErrorFailFails) {
    FakeLocator fake;
    fake.error("216.160.83.56");
    EXPECT_EQ(check_ip_address(clean_order(), ip_rules(config::OnError::fail), &fake, false).outcome, Outcome::fail);
}

TEST(FraudIpAddress, FR7_NoLocatorDefers) {
    // A dry run with a web service: no remote call, the order is deferred.
    EXPECT_EQ(check_ip_address(clean_order(), ip_rules(config::OnError::pass), nullptr, false).outcome,
              Outcome::deferred);
}

// --- the per-run cache and breaker ---------------------------------------------------------

TEST(FraudIpAddress, FR7_LookupsAreCachedPerIp) {
    FakeLocator fake;
    fake.found("216.160.83.56", "US", "WA");
    RunLocator cached(fake);
    for (int i = 0; i < 5; ++i) EXPECT_EQ(cached.lookup("216.160.83.56").location.subdivision, "WA");
    cached.lookup("1.2.3.4");
    cached.lookup("1.2.3.4");
    EXPECT_EQ(fake.calls["216.160.83.56"], 1);
    EXPECT_EQ(fake.calls["1.2.3.4"], 1);  // not_found is an answer too
    EXPECT_EQ(cached.calls(), 2);
    EXPECT_EQ(cached.cache_hits(), 5);
    EXPECT_FALSE(cached.failing());
}

TEST(FraudIpAddress, FR7_CacheStaysBoundedAndKeepsRecentIps) {
    FakeLocator fake;
    RunLocator cached(fake, 2);
    for (const char* ip : {"1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5", "6.6.6.6"}) cached.lookup(ip);
    EXPECT_EQ(fake.total_calls, 6);
    cached.lookup("6.6.6.6");  // still cached
    EXPECT_EQ(fake.total_calls, 6);
    cached.lookup("1.1.1.1");  // rotated out: asked again
    EXPECT_EQ(fake.total_calls, 7);
}

TEST(FraudIpAddress, FR7_ErrorsAreNotCached) {
    FakeLocator fake;
    fake.error("216.160.83.56");
    RunLocator cached(fake);
    cached.lookup("216.160.83.56");
    fake.found("216.160.83.56", "US", "WA");
    EXPECT_EQ(cached.lookup("216.160.83.56").status, domain::GeoStatus::found);
    EXPECT_EQ(fake.total_calls, 2);
    EXPECT_FALSE(cached.failing());  // it recovered
}

TEST(FraudIpAddress, FR7_ServiceDownTripsTheBreaker) {
    DownLocator down;
    RunLocator cached(down, 1024, 20);
    for (int i = 0; i < 100; ++i) {
        const std::string ip = "8.8.8." + std::to_string(i);
        EXPECT_EQ(cached.lookup(ip).status, domain::GeoStatus::error);
    }
    EXPECT_EQ(down.total_calls, 20);  // then it stops calling a dead service
    EXPECT_TRUE(cached.tripped());
    EXPECT_TRUE(cached.failing());
    EXPECT_EQ(cached.errors(), 100);
    EXPECT_EQ(cached.last_error(), "connection refused");
}

TEST(FraudIpAddress, FR7_FewErrorsAmongSuccessesAreNotAFailure) {
    FakeLocator fake;
    fake.found("216.160.83.56", "US", "WA");
    fake.error("8.8.8.8");
    RunLocator cached(fake);
    cached.lookup("216.160.83.56");
    cached.lookup("8.8.8.8");
    EXPECT_FALSE(cached.failing());
    EXPECT_EQ(cached.errors(), 1);
}

}  // namespace
}  // namespace olmd::jobs::fraud
