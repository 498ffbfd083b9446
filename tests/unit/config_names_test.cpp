// check_names(): names in the config against the database's names.

#include <gtest/gtest.h>

#include "config_test_util.hpp"

namespace olmd::config {
namespace {

using testing::dump;
using testing::has;
using testing::load;

/// Every name the default config uses, plus a few channels, methods and warehouses.
domain::NameCatalog seed_catalog() {
    domain::NameCatalog c;
    c.statuses = {"Ready to Process", "Ready to Source", "On Hold", "Shipped", "Partially Shipped", "Non Compliant",
                  "No Shipping Method", "Club CC Exception", "CC Exceptions", "Requires Manual Sourcing",
                  "Inv. Automation Exceptions", "In Shipping", "Awaiting Inventory",
                  "Awaiting Drop-ship Confirmation", "Awaiting Payment", "Format Exception"};
    c.channels = {"Website", "Phone", "Wholesale"};
    c.shipping_methods = {"Ground", "Next Day Air"};
    c.warehouses = {"East", "West"};
    return c;
}

TEST(ConfigNames, DefaultConfigMatchesTheSeed) {
    Diagnostics d;
    check_names(Config{}, seed_catalog(), d);
    EXPECT_TRUE(d.items.empty()) << dump(d);
}

TEST(ConfigNames, UnknownStatusListsTheValidStatusesSorted) {
    const auto r = load("[fraud]\npassed_status = \"Redy to Source\"\n");
    ASSERT_TRUE(r.ok()) << dump(r);
    domain::NameCatalog cat;
    cat.statuses = {"Ready to Source", "Awaiting Payment", "on hold"};
    Diagnostics d;
    check_names(*r.config, cat, d);
    const auto it = std::find_if(d.items.begin(), d.items.end(),
                                 [](const Diagnostic& x) { return x.key == "fraud.passed_status"; });
    ASSERT_NE(it, d.items.end()) << dump(d);
    EXPECT_EQ(it->severity, Severity::error);
    EXPECT_EQ(it->file, "test.toml");
    EXPECT_EQ(it->line, 2);
    EXPECT_EQ(it->column, 1);
    EXPECT_TRUE(has(it->message,
                    "unknown status \"Redy to Source\"; valid statuses: Awaiting Payment, on hold, Ready to Source"))
        << it->message;
    EXPECT_TRUE(has(it->message, "did you mean \"Ready to Source\"?")) << it->message;
}

TEST(ConfigNames, NamesMatchCaseInsensitively) {
    const auto r = load(R"([fraud]
statuses = ["READY TO PROCESS"]
channels = ["website"]
[fraud.shipping_method]
methods = ["next day air"]
[sourcing]
fully_paid_channels = "wholesale"
[fulfillment.channel.PHONE]
blacklisted_warehouses = ["east"]
)");
    ASSERT_TRUE(r.ok()) << dump(r);
    Diagnostics d;
    check_names(*r.config, seed_catalog(), d);
    EXPECT_TRUE(d.items.empty()) << dump(d);
}

TEST(ConfigNames, EveryKindOfUnknownNameIsReported) {
    const auto r = load(R"([orders]
hold_status = "Holding"
[capture]
statuses = ["Shipped", "Shiped"]
[reauth]
exception_status = "Nope"
[fraud]
channels = ["Website", "Fax"]
[fraud.shipping_method]
methods = ["Teleport"]
[fraud.cvv]
failed_status = "CVV Failed"
[sourcing.result]
gift_certificates_only = "Gift Only"
[sourcing.ready_to_ship_auth]
exception_status = "RTS"
[fulfillment.channel.Kiosk]
blacklisted_warehouses = ["East", "North"]
)");
    ASSERT_TRUE(r.ok()) << dump(r);
    Diagnostics d;
    check_names(*r.config, seed_catalog(), d);
    std::vector<std::string> keys;
    for (const auto& x : d.items) keys.push_back(x.key);
    EXPECT_EQ(keys, (std::vector<std::string>{
                        "orders.hold_status", "capture.statuses", "reauth.exception_status", "fraud.cvv.failed_status",
                        "fraud.channels", "fraud.shipping_method.methods",
                        "sourcing.ready_to_ship_auth.exception_status", "sourcing.result.gift_certificates_only",
                        "fulfillment.channel.Kiosk", "fulfillment.channel.Kiosk.blacklisted_warehouses"}))
        << dump(d);
    for (const auto& x : d.items) {
        EXPECT_EQ(x.severity, Severity::error);
        EXPECT_GT(x.line, 0) << x.to_string();
    }
    EXPECT_TRUE(has(d.items[1].message, "unknown status \"Shiped\"")) << d.items[1].message;
    EXPECT_TRUE(has(d.items[4].message, "unknown channel \"Fax\"; valid channels: Phone, Website, Wholesale"))
        << d.items[4].message;
    EXPECT_TRUE(has(d.items[5].message, "unknown shipping method \"Teleport\"; valid shipping methods: Ground, "
                                        "Next Day Air"))
        << d.items[5].message;
    EXPECT_TRUE(has(d.items[9].message, "unknown warehouse \"North\"; valid warehouses: East, West"))
        << d.items[9].message;
}

TEST(ConfigNames, EmptyOptionalNamesAreAllowed) {
    const auto r = load("[orders]\nno_shipping_method_status = \"\"\n[fraud.avs]\nfailed_status = \"\"\n");
    ASSERT_TRUE(r.ok()) << dump(r);
    domain::NameCatalog cat = seed_catalog();
    Diagnostics d;
    check_names(*r.config, cat, d);
    EXPECT_TRUE(d.items.empty()) << dump(d);
}

TEST(ConfigNames, DefaultsMissingFromTheDatabaseAreReportedWithoutPosition) {
    domain::NameCatalog cat = seed_catalog();
    cat.statuses.erase(std::find(cat.statuses.begin(), cat.statuses.end(), "CC Exceptions"));
    Diagnostics d;
    check_names(Config{}, cat, d);
    ASSERT_EQ(d.items.size(), 3u) << dump(d);  // capture, reauth, ready_to_ship_auth exception_status
    for (const auto& x : d.items) {
        EXPECT_EQ(x.line, 0);
        EXPECT_TRUE(has(x.message, "unknown status \"CC Exceptions\"")) << x.message;
    }
}

}  // namespace
}  // namespace olmd::config

namespace olmd::config {
namespace {

TEST(ConfigNames, SRC8_ClosestRuleWithAnUnlocatedWarehouseWarns) {
    const auto r = load("[fulfillment]\nrule = \"closest\"\n[fulfillment.channel.\"Phone\"]\nrule = \"closest\"\n");
    ASSERT_TRUE(r.ok()) << testing::dump(r);
    domain::NameCatalog cat = seed_catalog();
    cat.unlocated_warehouses = {"West"};
    Diagnostics d;
    check_names(*r.config, cat, d);
    int warnings = 0;
    for (const auto& i : d.items) {
        EXPECT_EQ(i.severity, Severity::warning) << i.to_string();
        EXPECT_TRUE(testing::has(i.to_string(), "West")) << i.to_string();
        ++warnings;
    }
    EXPECT_EQ(warnings, 2) << "the global rule and the channel's";
    cat.unlocated_warehouses.clear();
    Diagnostics none;
    check_names(*r.config, cat, none);
    EXPECT_TRUE(none.items.empty()) << testing::dump(none);
}

}  // namespace
}  // namespace olmd::config
