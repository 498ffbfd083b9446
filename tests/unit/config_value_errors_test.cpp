// Invalid configuration values: integers past a bound (both bounds said), amounts, enums,
// slots, cron expressions, time zones, addresses, country and currency codes, URLs, names
// that must not be empty.

#include <gtest/gtest.h>

#include "config_test_util.hpp"

namespace olmd::config {
namespace {

using testing::dump;
using testing::errors;
using testing::has;
using testing::load;
using testing::only_error;

TEST(ConfigErrors, IntegersOutOfRangeSayBothBounds) {
    struct Case {
        const char* toml;
        const char* said;
    };
    // config.md: "every range is stated in the message with both bounds"; past a bound is an error, never wrapped.
    const Case cases[] = {
        {"[daemon]\nbatch_size = 0\n", "must be 1..100000, got 0"},
        {"[daemon]\nbatch_size = 100001\n", "must be 1..100000, got 100001"},
        {"[daemon]\ncatch_up_hours = -1\n", "must be 0..720, got -1"},
        {"[daemon]\ncatch_up_hours = 99999999999\n", "must be 0..720, got 99999999999"},
        {"[daemon]\nbusy_timeout_ms = -1\n", "must be 0..600000, got -1"},
        {"[daemon]\nbusy_timeout_ms = 9223372036854775807\n", "must be 0..600000, got 9223372036854775807"},
        {"[daemon]\nrun_retention_days = 0\n", "must be 1..3650, got 0"},
        {"[daemon]\nstandby_poll_seconds = 301\n", "must be 1..300, got 301"},
        {"[gateway]\nconcurrency = 0\n", "must be 1..256, got 0"},
        {"[gateway]\nconcurrency = 257\n", "must be 1..256, got 257"},
        {"[gateway]\ntimeout_ms = 0\n", "must be 1..600000, got 0"},
        {"[gateway]\nmax_retries = -1\n", "must be 0..10, got -1"},
        {"[gateway]\nauthorization_valid_days = 31\n", "must be 1..30, got 31"},
        {"[smtp]\ntimeout_ms = 0\n", "must be 1..600000, got 0"},
        {"[fraud.ip_address]\ntimeout_ms = 0\n", "must be 1..60000, got 0"},
        {"[reauth]\nafter_days = -1\n", "must be 0..365, got -1"},
        {"[orders]\nclub_reauth_attempts = -1\n", "must be 0..100, got -1"},
        {"[orders]\nclub_reauth_interval_days = 0\n", "must be 1..365, got 0"},
        {"[sourcing.manual_review]\nmax_line_items = -1\n", "must be 0..100000, got -1"},
        {"[monitor]\nrepeat_minutes = 0\n", "greater than 0 and at most 10080"},
        {"[monitor]\nrepeat_minutes = 10081\n", "greater than 0 and at most 10080"},
        {"[monitor]\nwarning_emails = \"a@b.c\"\nwarning_timeout_minutes = -0.5\n", "greater than 0 and at most 10080"},
        {"[monitor]\nwarning_emails = \"a@b.c\"\nwarning_timeout_minutes = nan\n", "greater than 0 and at most 10080"},
        {"[monitor]\nwarning_emails = \"a@b.c\"\nwarning_timeout_minutes = 1e18\n", "greater than 0 and at most 10080"},
        {"[monitor]\nwarning_emails = \"a@b.c\"\nwarning_timeout_minutes = inf\n", "greater than 0 and at most 10080"},
    };
    for (const auto& c : cases) {
        const auto e = only_error(c.toml);
        EXPECT_TRUE(has(e.message, c.said)) << c.toml << " -> " << e.message;
        EXPECT_GT(e.line, 0) << c.toml;
    }
    // The bounds themselves are accepted.
    for (const char* ok : {"[daemon]\nbatch_size = 100000\ncatch_up_hours = 720\nbusy_timeout_ms = 600000\n",
                           "[monitor]\nwarning_emails = \"a@b.c\"\nwarning_timeout_minutes = 10080\n",
                           "[monitor]\nwarning_emails = \"a@b.c\"\nwarning_timeout_minutes = 0.01\n"}) {
        const auto r = load(ok);
        EXPECT_TRUE(errors(r).empty()) << ok << dump(r);
    }
}

TEST(ConfigErrors, BadAmountsAreErrors) {
    const auto d = only_error("[fraud.grand_total]\nthreshold = \"500.505\"\n");
    EXPECT_EQ(d.key, "fraud.grand_total.threshold");
    EXPECT_EQ(d.line, 2);
    EXPECT_TRUE(has(d.message, "500.505")) << d.message;
    EXPECT_TRUE(has(d.message, "two decimals")) << d.message;
    EXPECT_TRUE(has(only_error("[fraud.grand_total]\nthreshold = \"abc\"\n").message, "not a number"));
    EXPECT_TRUE(has(only_error("[fraud.grand_total]\nthreshold = 500.5\n").message, "floating-point"));
    EXPECT_TRUE(has(only_error("[fraud.grand_total]\nthreshold = true\n").message, "expected an amount"));
}

TEST(ConfigErrors, NegativeAmountsAreErrors) {
    EXPECT_TRUE(has(only_error("[fraud.grand_total]\nthreshold = \"-5\"\n").message, "negative"));
    EXPECT_TRUE(has(only_error("[fraud.grand_total]\nthreshold = -5\n").message, "negative"));
}

TEST(ConfigErrors, BadEnumValueListsTheAllowedValues) {
    const auto d = only_error("[capture]\navailable_when = \"order_shipped\"\n");
    EXPECT_EQ(d.key, "capture.available_when");
    EXPECT_TRUE(has(d.message, "invalid value \"order_shipped\"")) << d.message;
    EXPECT_TRUE(has(d.message, "\"order_created\", \"order_fully_shipped\"")) << d.message;

    EXPECT_TRUE(has(only_error("[reauth]\norder = \"x\"\n").message, "\"void_then_authorize\", \"authorize_then_void\""));
    EXPECT_TRUE(has(only_error("[fraud.ip_address]\nservice = \"geoip\"\n").message, "\"maxmind\", \"kickfire\", \"mmdb\""));
    EXPECT_TRUE(has(only_error("[fraud.ip_address]\non_error = \"retry\"\n").message, "\"defer\", \"pass\", \"fail\""));
    EXPECT_TRUE(has(only_error("[sourcing]\npartial_shipping = \"full\"\n").message, "\"partial\", \"none\""));
    EXPECT_TRUE(has(only_error("[fulfillment]\nrule = \"nearest\"\n").message,
                    "\"manual_priority\", \"closest\", \"highest_available\""));
    EXPECT_TRUE(has(only_error("[fulfillment.channel.Web]\nrule = \"nearest\"\n").message, "\"closest\""));
    EXPECT_TRUE(has(only_error("[gateway]\nkind = \"paypal\"\n").message, "\"sandbox\", \"stripe\""));
    const auto lvl = only_error("[daemon]\nlog_level = \"verbose\"\n");
    EXPECT_TRUE(has(lvl.message, "\"trace\", \"debug\", \"info\", \"warn\", \"warning\", \"error\", \"critical\", \"off\""))
        << lvl.message;
    EXPECT_TRUE(has(only_error("[daemon]\nlog_level = \"inof\"\n").message, "did you mean \"info\"?"));
}

TEST(ConfigErrors, BadSlotIsAnErrorAtTheSlotsKey) {
    const auto d = only_error("[capture]\nslots = [\"06:00\", \"13:15\"]\n");
    EXPECT_EQ(d.key, "capture.slots");
    EXPECT_EQ(d.line, 2);
    EXPECT_TRUE(has(d.message, "13:15")) << d.message;
    EXPECT_TRUE(has(d.message, "HH:30")) << d.message;
}

TEST(ConfigErrors, EveryBadSlotIsReported) {
    const auto r = load("[fraud]\nslots = \"13:15, 24:00, 08:00, 7:30\"\n");
    const auto e = errors(r);
    ASSERT_EQ(e.size(), 3u) << dump(r);
    EXPECT_TRUE(has(e[0].message, "13:15"));
    EXPECT_TRUE(has(e[1].message, "24:00"));
    EXPECT_TRUE(has(e[2].message, "7:30"));
    EXPECT_TRUE(r.config->fraud.schedule.slots.empty());
}

TEST(ConfigErrors, CronWithSixFieldsIsAnError) {
    const auto d = only_error("[sourcing]\ncron = \"0 0 6 * * *\"\n");
    EXPECT_EQ(d.key, "sourcing.cron");
    EXPECT_EQ(d.line, 2);
    EXPECT_TRUE(has(d.message, "5 fields")) << d.message;
}

TEST(ConfigErrors, CronMinute61IsAnError) {
    const auto d = only_error("[sourcing]\ncron = \"61 6 * * *\"\n");
    EXPECT_EQ(d.key, "sourcing.cron");
    EXPECT_TRUE(has(d.message, "61")) << d.message;
}

TEST(ConfigErrors, SlotsAndCronBothSetIsAnError) {
    const auto d = only_error("[capture]\nslots = [\"06:00\"]\ncron = \"0 6 * * *\"\n");
    EXPECT_EQ(d.key, "capture.cron");
    EXPECT_EQ(d.line, 3);
    EXPECT_TRUE(has(d.message, "both")) << d.message;
}

TEST(ConfigErrors, UnknownTimeZoneIsAnError) {
    const auto d = only_error("[daemon]\ntimezone = \"Mars/Olympus_Mons\"\n");
    EXPECT_EQ(d.key, "daemon.timezone");
    EXPECT_EQ(d.line, 2);
    EXPECT_TRUE(has(d.message, "unknown time zone \"Mars/Olympus_Mons\"")) << d.message;
    EXPECT_TRUE(load("[daemon]\ntimezone = \"Europe/Paris\"\n").ok());
    EXPECT_TRUE(load("[daemon]\ntimezone = \"\"\n").ok());
}

TEST(ConfigErrors, EmailAddressesRejectHeaderInjection) {
    const auto r = load("[monitor]\nwarning_emails = [\"ops@example.com\\r\\nBcc: evil@example.com\", \"nobody\"]\n"
                        "warning_timeout_minutes = 5\n[smtp]\nfrom = \"olmd@x\\nBcc: y@z\"\n");
    const auto e = errors(r);
    ASSERT_EQ(e.size(), 3u) << dump(r);
    EXPECT_EQ(e[0].key, "monitor.warning_emails");
    EXPECT_TRUE(has(e[0].message, "line breaks") || has(e[0].message, "control characters")) << e[0].message;
    EXPECT_TRUE(has(e[1].message, "\"nobody\" is not an email address")) << e[1].message;
    EXPECT_EQ(e[2].key, "smtp.from");
    EXPECT_TRUE(has(e[2].message, "line breaks")) << e[2].message;
    EXPECT_TRUE(r.config->monitor.warning_emails.empty());
    EXPECT_EQ(r.config->smtp.from, "");
}

TEST(ConfigErrors, CountryCurrencyAndUrlFormats) {
    EXPECT_TRUE(has(only_error("[fraud]\nhome_country = \"Narnia\"\n").message, "two-letter"));  // "USA" is US
    EXPECT_TRUE(has(only_error("[fraud]\nhome_country = \"U1\"\n").message, "two-letter"));
    EXPECT_TRUE(has(only_error("[gateway]\ncurrency = \"dollars\"\n").message, "three-letter"));
    EXPECT_TRUE(has(only_error("[smtp]\nurl = \"mail.example.com\"\n").message, "smtp://"));
    EXPECT_TRUE(has(only_error("[gateway]\nurl = \"api.stripe.com\"\n").message, "https://"));
    EXPECT_TRUE(has(only_error("[fraud.ip_address]\nservice = \"maxmind\"\nurl = \"geoip.maxmind.com\"\n").message,
                    "https://"));
}

TEST(ConfigErrors, RequiredNamesMustNotBeEmpty) {
    const auto d = only_error("[fraud]\npassed_status = \"  \"\n");
    EXPECT_EQ(d.key, "fraud.passed_status");
    EXPECT_TRUE(has(d.message, "must not be empty")) << d.message;
    EXPECT_TRUE(has(only_error("[sourcing.result]\nexception = \"\"\n").message, "must not be empty"));
    // The optional ones may be empty.
    EXPECT_TRUE(load("[orders]\nno_shipping_method_status = \"\"\n[sourcing.result]\ngift_certificates_only = \"\"\n"
                     "club_membership_only = \"\"\n[fraud.avs]\nfailed_status = \"\"\n")
                    .ok());
}

}  // namespace
}  // namespace olmd::config
