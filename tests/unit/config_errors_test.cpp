// Invalid configurations: every class of error, reported all at once with its position.

#include <gtest/gtest.h>

#include <cstdlib>

#include "config_test_util.hpp"

namespace olmd::config {
namespace {

using testing::dump;
using testing::errors;
using testing::has;
using testing::load;

/// The only error of loading text (fails the test when there is not exactly one).
Diagnostic only_error(const std::string& text) {
    const auto r = load(text);
    const auto e = errors(r);
    EXPECT_EQ(e.size(), 1u) << dump(r);
    return e.empty() ? Diagnostic{} : e.front();
}

TEST(ConfigErrors, DiagnosticPrintsFileLineColumnKeyAndMessage) {
    Diagnostic d{Severity::error, "/etc/olmd/olmd.toml", 12, 3, "fraud.statuses", "must not be empty"};
    EXPECT_EQ(d.to_string(), "/etc/olmd/olmd.toml:12:3: error: fraud.statuses: must not be empty");
    d.line = 0;
    d.severity = Severity::warning;
    EXPECT_EQ(d.to_string(), "/etc/olmd/olmd.toml: warning: fraud.statuses: must not be empty");
    d.key.clear();
    EXPECT_EQ(d.to_string(), "/etc/olmd/olmd.toml: warning: must not be empty");

    Diagnostics all;
    EXPECT_FALSE(all.has_errors());
    all.warning("f", 1, 1, "k", "w");
    EXPECT_FALSE(all.has_errors());
    all.error("f", 2, 1, "k", "e");
    EXPECT_TRUE(all.has_errors());
    ASSERT_EQ(all.items.size(), 2u);
    EXPECT_EQ(all.items[1].to_string(), "f:2:1: error: k: e");
}

TEST(ConfigErrors, SyntaxErrorHasLineAndColumn) {
    const auto r = load("[daemon]\nbatch_size = 5\ntimezone = \"UTC\n");
    ASSERT_FALSE(r.ok());
    const auto e = errors(r);
    ASSERT_EQ(e.size(), 1u) << dump(r);
    EXPECT_EQ(e[0].file, "test.toml");
    EXPECT_EQ(e[0].line, 3);
    EXPECT_GT(e[0].column, 0);
    EXPECT_TRUE(has(e[0].to_string(), "test.toml:3:")) << e[0].to_string();
    EXPECT_TRUE(has(e[0].message, "syntax")) << e[0].message;
    ASSERT_NE(r.config, nullptr);  // still a (default) config
    EXPECT_EQ(r.config->daemon.batch_size, 500);
}

TEST(ConfigErrors, DuplicateKeyIsASyntaxError) {
    const auto d = only_error("[daemon]\nbatch_size = 5\nbatch_size = 6\n");
    EXPECT_EQ(d.line, 3);
}

TEST(ConfigErrors, UnknownKeySuggestsTheNearestKnownKey) {
    const auto d = only_error("[fraud.grand_total]\nenabled = false\n  threshhold = \"500\"\n");
    EXPECT_EQ(d.line, 3);
    EXPECT_EQ(d.column, 3);
    EXPECT_EQ(d.key, "fraud.grand_total.threshhold");
    EXPECT_TRUE(has(d.message, "unknown key \"threshhold\"")) << d.message;
    EXPECT_TRUE(has(d.message, "did you mean \"threshold\"?")) << d.message;
    EXPECT_TRUE(has(d.to_string(), "test.toml:3:3: error: fraud.grand_total.threshhold: ")) << d.to_string();
}

TEST(ConfigErrors, TransposedLettersAreSuggestedToo) {
    const auto d = only_error("[capture]\nstauses = []\n");
    EXPECT_TRUE(has(d.message, "did you mean \"statuses\"?")) << d.message;
}

TEST(ConfigErrors, UnknownSectionSuggestsTheNearestSection) {
    const auto d = only_error("[deamon]\nbatch_size = 5\n");
    EXPECT_EQ(d.line, 1);
    EXPECT_EQ(d.column, 2);
    EXPECT_TRUE(has(d.message, "unknown section [deamon]")) << d.message;
    EXPECT_TRUE(has(d.message, "did you mean [daemon]?")) << d.message;

    const auto s = only_error("[fraud.grand_totals]\nenabled = true\n");
    EXPECT_TRUE(has(s.message, "unknown section [fraud.grand_totals]")) << s.message;
    EXPECT_TRUE(has(s.message, "did you mean [fraud.grand_total]?")) << s.message;
}

TEST(ConfigErrors, UnknownNameWithoutNearMatchListsTheValidOnes) {
    const auto d = only_error("[zzz]\n");
    EXPECT_TRUE(has(d.message, "valid sections: daemon, orders")) << d.message;
    const auto k = only_error("[metrics]\ncompletely_different = 1\n");
    EXPECT_TRUE(has(k.message, "valid keys: textfile")) << k.message;
}

TEST(ConfigErrors, KeyWrittenInTheWrongSectionNamesItsSection) {
    const auto d = only_error("[capture]\ncatch_up_hours = 3\n");
    EXPECT_TRUE(has(d.message, "belongs in [daemon]")) << d.message;
}

TEST(ConfigErrors, KeyOutsideAnySectionIsUnknown) {
    const auto d = only_error("batch_size = 5\n");
    EXPECT_EQ(d.line, 1);
    EXPECT_TRUE(has(d.message, "outside any section")) << d.message;
    EXPECT_TRUE(has(d.message, "[daemon]")) << d.message;
}

TEST(ConfigErrors, UnknownKeysAreFoundInEverySection) {
    const char* sections[] = {"daemon", "orders", "capture", "reauth", "fraud", "fraud.grand_total",
                              "fraud.shipping_method", "fraud.grand_total_and_shipping_method",
                              "fraud.compare_states", "fraud.international_billing", "fraud.ip_address",
                              "fraud.compare_zips", "fraud.blacklist", "fraud.avs", "fraud.cvv", "sourcing",
                              "sourcing.manual_review", "sourcing.stock", "sourcing.jit", "sourcing.dropship",
                              "sourcing.ready_to_ship_auth", "sourcing.result", "fulfillment",
                              "fulfillment.channel.\"Web\"", "monitor", "metrics", "smtp", "gateway"};
    for (const char* section : sections) {
        SCOPED_TRACE(section);
        const auto d = only_error(std::string("[") + section + "]\nbogus_key_xyz = 1\n");
        EXPECT_EQ(d.line, 2);
        EXPECT_EQ(d.column, 1);
        EXPECT_TRUE(has(d.message, "unknown key \"bogus_key_xyz\"")) << d.message;
    }
}

TEST(ConfigErrors, BlacklistHasNoEnabledKey) {
    const auto d = only_error("[fraud.blacklist]\nenabled = true\n");
    EXPECT_EQ(d.key, "fraud.blacklist.enabled");
    EXPECT_EQ(d.line, 2);
    EXPECT_TRUE(has(d.message, "check_zips")) << d.message;
}

TEST(ConfigErrors, WrongTypeNamesTheValueAndWhatIsAllowed) {
    const auto b = only_error("[capture]\nenabled = \"yes\"\n");
    EXPECT_EQ(b.key, "capture.enabled");
    EXPECT_EQ(b.line, 2);
    EXPECT_TRUE(has(b.message, "expected true or false, got the string \"yes\"")) << b.message;

    const auto i = only_error("[daemon]\nbatch_size = \"500\"\n");
    EXPECT_TRUE(has(i.message, "expected an integer, got the string \"500\"")) << i.message;

    const auto f = only_error("[daemon]\nbatch_size = 5.0\n");
    EXPECT_TRUE(has(f.message, "expected an integer")) << f.message;

    const auto l = only_error("[fraud]\nchannels = 5\n");
    EXPECT_TRUE(has(l.message, "array of strings or one comma-separated string")) << l.message;

    const auto item = only_error("[fraud]\nchannels = [\"Web\", 5]\n");
    EXPECT_TRUE(has(item.message, "item 2: expected a string, got the integer 5")) << item.message;

    const auto s = only_error("[fraud]\npassed_status = true\n");
    EXPECT_TRUE(has(s.message, "got the boolean true")) << s.message;

    const auto t = only_error("[fraud]\ngrand_total = 5\n");
    EXPECT_TRUE(has(t.message, "expected a section [fraud.grand_total]")) << t.message;

    const auto n = only_error("[monitor]\nwarning_emails = \"a@b.c\"\nwarning_timeout_minutes = \"30\"\n");
    EXPECT_TRUE(has(n.message, "a number greater than 0")) << n.message;
}

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

TEST(ConfigErrors, RequiredStatusesOfEnabledJobs) {
    const auto r = load(R"([reauth]
enabled = true
slots = ["01:00"]
[fraud]
enabled = true
slots = ["02:00"]
statuses = []
[sourcing]
enabled = true
slots = ["03:00"]
statuses = " , "
[capture]
enabled = true
slots = ["04:00"]
statuses = ["Shipped"]
)");
    const auto e = errors(r);
    ASSERT_EQ(e.size(), 3u) << dump(r);
    EXPECT_EQ(e[0].key, "reauth.statuses");
    EXPECT_EQ(e[0].line, 2);  // no statuses key: at `enabled`
    EXPECT_TRUE(has(e[0].message, "RA-2")) << e[0].message;
    EXPECT_EQ(e[1].key, "fraud.statuses");
    EXPECT_EQ(e[1].line, 7);
    EXPECT_TRUE(has(e[1].message, "FR-1")) << e[1].message;
    EXPECT_EQ(e[2].key, "sourcing.statuses");
    EXPECT_EQ(e[2].line, 11);
    EXPECT_TRUE(has(e[2].message, "SRC-1")) << e[2].message;
    // Disabled jobs need none.
    EXPECT_TRUE(load("[reauth]\nenabled = false\n[fraud]\nstatuses = []\n").ok());
}

TEST(ConfigErrors, ThresholdRequiredByGrandTotalTests) {
    const auto d = only_error("[fraud.grand_total]\nenabled = true\n");
    EXPECT_EQ(d.key, "fraud.grand_total.threshold");
    EXPECT_EQ(d.line, 2);
    const auto both = only_error("[fraud.grand_total_and_shipping_method]\nenabled = true\n"
                                 "[fraud.shipping_method]\nmethods = [\"Air\"]\n");
    EXPECT_EQ(both.key, "fraud.grand_total.threshold");
    EXPECT_TRUE(has(both.message, "grand_total_and_shipping_method")) << both.message;
    EXPECT_TRUE(load("[fraud.grand_total]\nenabled = true\nthreshold = \"100\"\n").ok());
}

TEST(ConfigErrors, IpServiceNeedsItsCredentials) {
    const auto m = load("[fraud.ip_address]\nenabled = true\nservice = \"maxmind\"\n");
    const auto me = errors(m);
    ASSERT_EQ(me.size(), 2u) << dump(m);
    EXPECT_EQ(me[0].key, "fraud.ip_address.account_id");
    EXPECT_EQ(me[1].key, "fraud.ip_address.license_key_file");
    EXPECT_EQ(me[0].line, 3);  // at `service`

    const auto k = only_error("[fraud.ip_address]\nenabled = true\nservice = \"kickfire\"\n");
    EXPECT_EQ(k.key, "fraud.ip_address.key_file");

    const auto d = only_error("[fraud.ip_address]\nenabled = true\n");
    EXPECT_EQ(d.key, "fraud.ip_address.database");

    const auto missing = only_error("[fraud.ip_address]\nenabled = true\ndatabase = \"/nonexistent/City.mmdb\"\n");
    EXPECT_EQ(missing.line, 3);
    EXPECT_TRUE(has(missing.message, "cannot read GeoIP database")) << missing.message;

    // Disabled: nothing is required.
    EXPECT_TRUE(load("[fraud.ip_address]\nservice = \"maxmind\"\n").ok());
}

TEST(ConfigErrors, SecretFileMustBeReadable) {
    ::unsetenv("CREDENTIALS_DIRECTORY");
    const auto d = only_error("[fraud.ip_address]\nenabled = true\nservice = \"maxmind\"\naccount_id = \"1\"\n"
                              "license_key_file = \"/nonexistent/maxmind.key\"\n");
    EXPECT_EQ(d.key, "fraud.ip_address.license_key_file");
    EXPECT_EQ(d.line, 5);
    EXPECT_TRUE(has(d.message, "license key file /nonexistent/maxmind.key: No such file")) << d.message;
}

TEST(ConfigErrors, SecretFileMayComeFromTheCredentialsDirectory) {
    testing::TempDir dir;
    const auto key = dir.write("maxmind.key", "secret\n");
    ::setenv("CREDENTIALS_DIRECTORY", dir.path().c_str(), 1);
    const auto r = load("[fraud.ip_address]\nenabled = true\nservice = \"maxmind\"\naccount_id = \"1\"\n"
                        "license_key_file = \"/etc/olmd/not-here/maxmind.key\"\n");
    ::unsetenv("CREDENTIALS_DIRECTORY");
    ASSERT_TRUE(r.ok()) << dump(r);
    EXPECT_TRUE(r.diagnostics.items.empty()) << dump(r);
    EXPECT_EQ(r.config->fraud.ip_address.license_key_file, key);  // the file actually read
}

TEST(ConfigErrors, StripeNeedsAnApiKeyFile) {
    const auto d = only_error("[gateway]\nkind = \"stripe\"\n");
    EXPECT_EQ(d.key, "gateway.api_key_file");
    EXPECT_EQ(d.line, 2);

    testing::TempDir dir;
    const auto key = dir.write("stripe.key", "sk_test_x\n");
    const auto r = load("[gateway]\nkind = \"stripe\"\napi_key_file = \"" + key + "\"\n");
    EXPECT_TRUE(r.diagnostics.items.empty()) << dump(r);
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

TEST(ConfigErrors, ThreeMistakesGiveThreeErrorsWithPositions) {
    const auto r = load(R"([daemon]
batch_size = 0

[fraud.grand_total]
threshhold = "500"

[capture]
slots = ["13:15"]
)");
    const auto e = errors(r);
    ASSERT_EQ(e.size(), 3u) << dump(r);
    EXPECT_EQ(e[0].key, "daemon.batch_size");
    EXPECT_EQ(e[0].line, 2);
    EXPECT_EQ(e[0].column, 1);
    EXPECT_EQ(e[1].key, "fraud.grand_total.threshhold");
    EXPECT_EQ(e[1].line, 5);
    EXPECT_EQ(e[1].column, 1);
    EXPECT_EQ(e[2].key, "capture.slots");
    EXPECT_EQ(e[2].line, 8);
    EXPECT_EQ(e[2].column, 1);
    for (const auto& d : e) EXPECT_TRUE(has(d.to_string(), "test.toml:" + std::to_string(d.line) + ":1: error: "));
}

TEST(ConfigErrors, BadValuesKeepTheirDefaults) {
    const auto r = load("[daemon]\nbatch_size = 0\ncatch_up_hours = 2\n[capture]\navailable_when = \"x\"\n");
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.config->daemon.batch_size, 500);
    EXPECT_EQ(r.config->daemon.catch_up_hours, 2);
    EXPECT_EQ(r.config->capture.available_when, AvailableWhen::order_created);
}

TEST(ConfigErrors, ChannelConfiguredTwiceIsAnError) {
    const auto d = only_error("[fulfillment.channel.Web]\nsplit = true\n[fulfillment.channel.web]\nsplit = false\n");
    EXPECT_EQ(d.line, 3);
    EXPECT_TRUE(has(d.message, "configured twice")) << d.message;
}

TEST(ConfigErrors, MissingFileSaysWhatToDo) {
    const auto r = load_config_file("/nonexistent/olmd.toml");
    const auto e = errors(r);
    ASSERT_EQ(e.size(), 1u) << dump(r);
    EXPECT_EQ(e[0].file, "/nonexistent/olmd.toml");
    EXPECT_EQ(e[0].line, 0);
    EXPECT_TRUE(has(e[0].message, "No such file or directory")) << e[0].message;
    EXPECT_TRUE(has(e[0].message, "--config PATH")) << e[0].message;
    EXPECT_TRUE(has(e[0].message, "OLMD_CONFIG")) << e[0].message;
    ASSERT_NE(r.config, nullptr);
}

TEST(ConfigErrors, UnreadableFileSaysSo) {
    testing::TempDir dir;
    EXPECT_TRUE(has(errors(load_config_file(dir.path())).at(0).message, "directory"));
    if (::geteuid() == 0) GTEST_SKIP() << "root can read any file";
    const auto path = dir.write("olmd.toml", "", std::filesystem::perms::none);
    const auto e = errors(load_config_file(path));
    ASSERT_EQ(e.size(), 1u);
    EXPECT_TRUE(has(e[0].message, "Permission denied")) << e[0].message;
}

}  // namespace
}  // namespace olmd::config
