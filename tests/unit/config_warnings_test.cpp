// Legal but risky configurations: warnings, never errors.

#include <gtest/gtest.h>

#include "config_test_util.hpp"

namespace olmd::config {
namespace {

using testing::dump;
using testing::has;
using testing::load;
using testing::only_warning;
using testing::warnings;

constexpr const char* kFraudAndSourcing = R"([fraud]
enabled = true
slots = ["08:00"]
statuses = ["Ready to Process", "Review"]
[sourcing]
enabled = true
slots = ["09:00"]
)";

TEST(ConfigWarnings, CleanPipelineHasNoWarnings) {
    const auto r = load(std::string(kFraudAndSourcing) + "statuses = [\"Ready to Source\"]\n");
    EXPECT_TRUE(r.diagnostics.items.empty()) << dump(r);
}

TEST(ConfigWarnings, FR13_StatusInFraudAndSourcingWarns) {
    const auto d = only_warning(std::string(kFraudAndSourcing) + "statuses = [\"Ready to Source\", \"review\"]\n");
    EXPECT_EQ(d.severity, Severity::warning);
    EXPECT_EQ(d.key, "sourcing.statuses");
    EXPECT_EQ(d.line, 8);
    EXPECT_TRUE(has(d.message, "\"review\"")) << d.message;  // matched case-insensitively
    EXPECT_TRUE(has(d.message, "FR-13")) << d.message;
    EXPECT_TRUE(has(d.to_string(), "test.toml:8:1: warning: sourcing.statuses: ")) << d.to_string();
}

TEST(ConfigWarnings, FR13_NoWarningWhenOneJobIsDisabled) {
    const auto r = load("[fraud]\nstatuses = [\"X\"]\n[sourcing]\nenabled = true\nslots = [\"09:00\"]\n"
                        "statuses = [\"X\"]\n");
    EXPECT_TRUE(r.diagnostics.items.empty()) << dump(r);
}

TEST(ConfigWarnings, SRC4_FullyPaidChannelWhileCaptureWaitsForShipmentWarns) {
    const auto d = only_warning(R"([capture]
enabled = true
slots = ["06:00"]
statuses = ["Shipped"]
available_when = "order_fully_shipped"
[sourcing]
fully_paid_channels = ["Wholesale"]
)");
    EXPECT_EQ(d.key, "sourcing.fully_paid_channels");
    EXPECT_EQ(d.line, 7);
    EXPECT_TRUE(has(d.message, "\"Wholesale\"")) << d.message;
    EXPECT_TRUE(has(d.message, "never be sourced")) << d.message;
}

TEST(ConfigWarnings, SRC4_NoWarningWhenCaptureIsOnCreation) {
    const auto r = load("[capture]\nenabled = true\nslots = [\"06:00\"]\nstatuses = [\"Shipped\"]\n"
                        "[sourcing]\nfully_paid_channels = [\"Wholesale\"]\n");
    EXPECT_TRUE(r.diagnostics.items.empty()) << dump(r);
}

TEST(ConfigWarnings, SCH1_EnabledJobWithoutScheduleWarns) {
    const auto d = only_warning("[reauth]\nenabled = true\nstatuses = [\"Club\"]\n");
    EXPECT_EQ(d.key, "reauth.enabled");
    EXPECT_EQ(d.line, 2);
    EXPECT_TRUE(has(d.message, "neither slots nor cron")) << d.message;
    // A cron schedule counts.
    const auto r = load("[reauth]\nenabled = true\nstatuses = [\"Club\"]\ncron = \"0 3 * * *\"\n");
    EXPECT_TRUE(r.diagnostics.items.empty()) << dump(r);
}

TEST(ConfigWarnings, SCH1_BadScheduleIsOnlyTheError) {
    const auto r = load("[reauth]\nenabled = true\nstatuses = [\"Club\"]\nslots = [\"25:00\"]\n");
    EXPECT_EQ(testing::errors(r).size(), 1u) << dump(r);
    EXPECT_TRUE(warnings(r).empty()) << dump(r);
}

TEST(ConfigWarnings, FR3_ShippingMethodTestWithEmptyListWarns) {
    const auto d = only_warning("[fraud.shipping_method]\nenabled = true\n");
    EXPECT_EQ(d.key, "fraud.shipping_method.enabled");
    EXPECT_EQ(d.line, 2);
    EXPECT_TRUE(has(d.message, "never fails")) << d.message;
}

TEST(ConfigWarnings, FR4_CombinedTestWithEmptyMethodsWarns) {
    const auto d = only_warning("[fraud.grand_total]\nthreshold = 100\n"
                                "[fraud.grand_total_and_shipping_method]\nenabled = true\n");
    EXPECT_EQ(d.key, "fraud.grand_total_and_shipping_method.enabled");
}

TEST(ConfigWarnings, FR9_BlacklistFlagWithEmptyListWarns) {
    const auto r = load("[fraud.blacklist]\ncheck_zips = true\ncheck_emails = true\nemails = \"a@b.c\"\n"
                        "check_states = true\nstates = \"\"\n");
    ASSERT_TRUE(r.ok()) << dump(r);
    const auto w = warnings(r);
    ASSERT_EQ(w.size(), 2u) << dump(r);
    EXPECT_EQ(w[0].key, "fraud.blacklist.check_zips");
    EXPECT_EQ(w[0].line, 2);
    EXPECT_TRUE(has(w[0].message, "\"zips\" list is empty")) << w[0].message;
    EXPECT_EQ(w[1].key, "fraud.blacklist.check_states");
    EXPECT_EQ(w[1].line, 5);
}

TEST(ConfigWarnings, CAP2_CaptureOfEveryStatusOnCreationWarns) {
    const auto d = only_warning("[capture]\nenabled = true\nslots = [\"06:00\"]\n");
    EXPECT_EQ(d.key, "capture.statuses");
    EXPECT_EQ(d.line, 2);  // at `enabled`, the statuses key is absent
    EXPECT_TRUE(has(d.message, "every status")) << d.message;
    // Waiting for full shipment limits capture by itself.
    const auto r = load("[capture]\nenabled = true\nslots = [\"06:00\"]\navailable_when = \"order_fully_shipped\"\n");
    EXPECT_TRUE(r.diagnostics.items.empty()) << dump(r);
}

TEST(ConfigWarnings, MON1_OnlyEmailsWithoutTimeoutWarns) {
    const auto d = only_warning("[monitor]\nwarning_emails = \"ops@example.com\"\n");
    EXPECT_EQ(d.key, "monitor.warning_emails");
    EXPECT_EQ(d.line, 2);
    EXPECT_TRUE(has(d.message, "no monitor email will ever be sent")) << d.message;
}

TEST(ConfigWarnings, MON1_OnlyTimeoutWithoutEmailsWarns) {
    const auto d = only_warning("[monitor]\nwarning_emails = []\nwarning_timeout_minutes = 10\n");
    EXPECT_EQ(d.key, "monitor.warning_timeout_minutes");
    EXPECT_EQ(d.line, 3);
    EXPECT_TRUE(has(d.message, "MON-1")) << d.message;
}

TEST(ConfigWarnings, MON1_BothSetIsClean) {
    const auto r = load("[monitor]\nwarning_emails = \"ops@example.com\"\nwarning_timeout_minutes = 10\n");
    EXPECT_TRUE(r.diagnostics.items.empty()) << dump(r);
    EXPECT_TRUE(r.config->monitor.enabled());
}

TEST(ConfigWarnings, SecretFileReadableByOthersWarns) {
    testing::TempDir dir;
    using std::filesystem::perms;
    const auto key = dir.write("stripe.key", "sk\n", perms::owner_read | perms::owner_write | perms::group_read |
                                                         perms::others_read);
    const auto d = only_warning("[gateway]\nkind = \"stripe\"\napi_key_file = \"" + key + "\"\n");
    EXPECT_EQ(d.key, "gateway.api_key_file");
    EXPECT_EQ(d.line, 3);
    EXPECT_TRUE(has(d.message, "0644")) << d.message;
    EXPECT_TRUE(has(d.message, "group or others")) << d.message;

    const auto pw = dir.write("smtp.pw", "pw\n", perms::owner_read | perms::group_read);
    const auto p = only_warning("[smtp]\npassword_file = \"" + pw + "\"\n");
    EXPECT_EQ(p.key, "smtp.password_file");
}

TEST(ConfigWarnings, MmdbUrlHasNoEffect) {
    const auto d = only_warning("[fraud.ip_address]\nurl = \"https://geoip.example\"\n");
    EXPECT_EQ(d.key, "fraud.ip_address.url");
}

}  // namespace
}  // namespace olmd::config
