// What enabled features require: the statuses of enabled jobs, the grand-total threshold,
// the IP service's credentials, readable secret files (or $CREDENTIALS_DIRECTORY), Stripe's
// API key file.

#include <gtest/gtest.h>

#include <cstdlib>

#include "config_test_util.hpp"

namespace olmd::config {
namespace {

using testing::dump;
using testing::errors;
using testing::has;
using testing::load;
using testing::only_error;

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

}  // namespace
}  // namespace olmd::config
