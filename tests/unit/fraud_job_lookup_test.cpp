// FR-7 inside the fraud job: on_error with a fake service, lookups cached within a run, the
// real .mmdb, the whole-job failure, dry run and explain without a web-service call; and
// check_config on the .mmdb file.

#include <filesystem>
#include <sstream>

#include "olmd/geoip/check_config.hpp"
#include "unit/fraud_job_fixture.hpp"

namespace olmd::jobs::fraud {
namespace {

using olmd::test::sql_quote;
using olmd::test::TestDb;
using testing::FakeLocator;

TEST_F(FraudJobTest, FR7_LookupErrorDefersTheOrderAndFailsTheJob) {
    cfg.fraud.ip_address.enabled = true;
    cfg.fraud.ip_address.service = config::IpService::maxmind;
    testing::DownLocator down;
    order("A");
    order("B", "ip_address = '10.0.0.1'");  // private: no lookup needed
    FraudJob job;
    fake_locator = &down;
    const auto s = run_job(job);
    EXPECT_EQ(s.deferred, 1);
    EXPECT_EQ(s.changed, 1);
    EXPECT_EQ(status_of("A"), "Ready to Process");
    EXPECT_EQ(reason_of("A"), "");
    EXPECT_EQ(reason_of("B"), "fraud_passed:ip_unknown");
    EXPECT_NE(s.failure.find("ip_address lookups failed: connection refused; 1 orders deferred"),
              std::string::npos)
        << s.failure;
}

TEST_F(FraudJobTest, FR7_OnErrorPassAndFail) {
    cfg.fraud.ip_address.enabled = true;
    testing::FakeLocator fake;
    fake.found("216.160.83.56", "US", "WA");
    fake.error("8.8.8.8");
    order("OK");
    order("ERR", "ip_address = '8.8.8.8'");
    cfg.fraud.ip_address.on_error = config::OnError::pass;
    {
        FraudJob job;
        fake_locator = &fake;
        const auto s = run_job(job);
        EXPECT_EQ(s.deferred, 0);
        EXPECT_EQ(reason_of("ERR"), "fraud_passed");
        EXPECT_TRUE(s.failure.empty()) << s.failure;  // one error among successes is not a job failure
    }
    t.exec("UPDATE orders SET status_id = " + std::to_string(t.status_id("Ready to Process")));
    cfg.fraud.ip_address.on_error = config::OnError::fail;
    {
        FraudJob job;
        fake_locator = &fake;
        run_job(job);
        EXPECT_EQ(status_of("ERR"), "Non Compliant");
        EXPECT_EQ(reason_of("ERR"), "fraud_failed:ip_address");
        EXPECT_EQ(status_of("OK"), "Ready to Source");
    }
}

TEST_F(FraudJobTest, FR7_LookupsAreCachedWithinARun) {
    cfg.fraud.ip_address.enabled = true;
    testing::FakeLocator fake;
    fake.found("216.160.83.56", "US", "WA");
    for (int i = 0; i < 7; ++i) order("O" + std::to_string(i));
    FraudJob job;
    fake_locator = &fake;
    run_job(job);
    EXPECT_EQ(fake.calls["216.160.83.56"], 1);
}

TEST_F(FraudJobTest, FR7_RealMmdbInTheJob) {
    cfg.fraud.ip_address.enabled = true;
    cfg.fraud.ip_address.database = testing::test_mmdb();
    order("WA");
    order("GB", "ip_address = '81.2.69.142'");
    order("V6", "ip_address = '2001:480:10::1', bill_state = 'California'");
    FraudJob job;
    const auto s = run_job(job);
    EXPECT_TRUE(s.failure.empty()) << s.failure;
    EXPECT_EQ(reason_of("WA"), "fraud_passed");
    EXPECT_EQ(reason_of("GB"), "fraud_failed:ip_address");
    EXPECT_EQ(reason_of("V6"), "fraud_passed");
}

TEST_F(FraudJobTest, FR7_UnopenableMmdbFailsTheJobAndDefers) {
    cfg.fraud.ip_address.enabled = true;
    cfg.fraud.ip_address.database = "/nonexistent/GeoIP2-City.mmdb";
    order("A");
    FraudJob job;
    const auto s = run_job(job);
    EXPECT_EQ(s.deferred, 1);
    EXPECT_NE(s.failure.find("ip_address lookups failed"), std::string::npos) << s.failure;
    EXPECT_EQ(status_of("A"), "Ready to Process");
}

TEST_F(FraudJobTest, FR7_DryRunWithWebServiceDefersWithoutCalling) {
    cfg.fraud.ip_address.enabled = true;
    cfg.fraud.ip_address.service = config::IpService::kickfire;
    testing::FakeLocator fake;
    order("A");
    FraudJob job;
    fake_locator = &fake;
    std::ostringstream out;
    const auto s = run_job(job, true, &out);
    EXPECT_EQ(fake.total_calls, 0);
    EXPECT_EQ(s.deferred, 1);
    EXPECT_NE(out.str().find("would defer order A"), std::string::npos) << out.str();
}

TEST_F(FraudJobTest, FR7_ExplainDoesNotCallAWebService) {
    cfg.fraud.grand_total = {true, 50000};
    cfg.fraud.ip_address.enabled = true;
    cfg.fraud.ip_address.service = config::IpService::maxmind;
    testing::FakeLocator fake;
    const OrderId id = order("X", "grand_total_cents = 70000");
    fake_locator = &fake;
    FraudJob job;
    const std::string text = explain(job, OrderRef{id, "X", t.status_id("Ready to Process"), 0});
    EXPECT_EQ(fake.total_calls, 0);
    EXPECT_NE(text.find("FR-7 ip_address: deferred"), std::string::npos) << text;
    EXPECT_NE(text.find("depends on FR-7"), std::string::npos) << text;
    EXPECT_NE(text.find("reason fraud_failed:grand_total"), std::string::npos) << text;
}

// --- check_config ---------------------------------------------------------------------

config::Config mmdb_config(const std::string& path) {
    config::Config c;
    c.source_path = "olmd.toml";
    c.fraud.enabled = true;
    c.fraud.ip_address.enabled = true;
    c.fraud.ip_address.database = path;
    c.positions["fraud.ip_address.database"] = {12, 1};
    return c;
}

TEST(FraudCheckConfig, FR7_CorruptMmdbIsAConfigError) {
    TestDb t;  // a scratch directory
    const std::string corrupt = t.dir().file("corrupt.mmdb");
    olmd::test::write_file(corrupt, "garbage, not a MaxMind DB");
    config::Diagnostics d;
    geoip::check_locator_config(mmdb_config(corrupt), d);
    ASSERT_EQ(d.items.size(), 1u);
    EXPECT_EQ(d.items[0].severity, config::Severity::error);
    EXPECT_EQ(d.items[0].key, "fraud.ip_address.database");
    EXPECT_EQ(d.items[0].line, 12);
    EXPECT_NE(d.items[0].message.find(corrupt), std::string::npos);
}

TEST(FraudCheckConfig, FR7_ValidMmdbPassesTheCheck) {
    config::Diagnostics d;
    geoip::check_locator_config(mmdb_config(testing::test_mmdb()), d);
    EXPECT_TRUE(d.items.empty());
    geoip::check_locator_config(mmdb_config(testing::test_data("maxmind/GeoLite2-City-Test.mmdb")), d);
    EXPECT_TRUE(d.items.empty());
}

TEST(FraudCheckConfig, FR7_AlreadyReportedFileIsNotReportedTwice) {
    config::Diagnostics d;
    d.error("olmd.toml", 12, 1, "fraud.ip_address.database", "cannot read GeoIP database");
    geoip::check_locator_config(mmdb_config("/nonexistent.mmdb"), d);
    EXPECT_EQ(d.items.size(), 1u);
}

}  // namespace
}  // namespace olmd::jobs::fraud
