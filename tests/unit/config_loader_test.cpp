// Loading valid configurations: defaults, every key, list forms, positions, the shipped file.

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "config_test_util.hpp"

namespace olmd::config {
namespace {

using testing::dump;
using testing::load;

/// Checks every field against the defaults written in config.md. With
/// `documented_examples`, the keys the shipped file shows as examples (not
/// defaults) are skipped.
void expect_spec_defaults(const Config& c, bool documented_examples = false) {
    EXPECT_EQ(c.daemon.database, "/var/lib/olmd/olmd.db");
    EXPECT_EQ(c.daemon.timezone, "");
    EXPECT_EQ(c.daemon.catch_up_hours, 24);
    EXPECT_EQ(c.daemon.batch_size, 500);
    EXPECT_EQ(c.daemon.busy_timeout_ms, 5000);
    EXPECT_EQ(c.daemon.lock_file, "");
    EXPECT_EQ(c.daemon.effective_lock_file(), "/var/lib/olmd/olmd.db.lock");
    EXPECT_EQ(c.daemon.log_level, "info");
    EXPECT_EQ(c.daemon.run_retention_days, 90);

    EXPECT_EQ(c.orders.hold_status, "On Hold");
    EXPECT_EQ(c.orders.fully_shipped_status, "Shipped");
    EXPECT_EQ(c.orders.partially_shipped_status, "Partially Shipped");
    EXPECT_EQ(c.orders.non_compliant_status, "Non Compliant");
    EXPECT_EQ(c.orders.no_shipping_method_status, "No Shipping Method");
    EXPECT_EQ(c.orders.club_cc_exception_status, "Club CC Exception");
    EXPECT_EQ(c.orders.club_reauth_attempts, 3);
    EXPECT_EQ(c.orders.club_reauth_interval_days, 2);
    EXPECT_EQ(c.orders.club_reauth_success_status, "Ready to Process");

    for (JobKind k : kAllJobs) {
        SCOPED_TRACE(std::string(job_name(k)));
        EXPECT_FALSE(c.job(k).enabled);
        EXPECT_FALSE(c.job(k).schedule.any());
    }
    EXPECT_TRUE(c.capture.statuses.empty());
    EXPECT_EQ(c.capture.available_when, AvailableWhen::order_created);
    EXPECT_FALSE(c.capture.delayed_delivery_on_creation);
    EXPECT_FALSE(c.capture.reauthorize_on_failure);
    EXPECT_EQ(c.capture.exception_status, "CC Exceptions");

    EXPECT_TRUE(c.reauth.statuses.empty());
    EXPECT_EQ(c.reauth.after_days, 6);
    EXPECT_EQ(c.reauth.order, ReauthOrder::void_then_authorize);
    EXPECT_EQ(c.reauth.exception_status, "CC Exceptions");

    const auto& f = c.fraud;
    EXPECT_EQ(f.statuses, std::vector<std::string>{"Ready to Process"});
    EXPECT_TRUE(f.channels.empty());
    EXPECT_EQ(f.home_country, "US");
    EXPECT_EQ(f.passed_status, "Ready to Source");
    EXPECT_EQ(f.failed_status, "Non Compliant");
    EXPECT_FALSE(f.grand_total.enabled);
    if (!documented_examples) {
        EXPECT_FALSE(f.grand_total.threshold.has_value());
    }
    EXPECT_FALSE(f.shipping_method.enabled);
    EXPECT_TRUE(f.shipping_method.methods.empty());
    EXPECT_FALSE(f.grand_total_and_shipping_method.enabled);
    EXPECT_FALSE(f.compare_states.enabled);
    EXPECT_FALSE(f.international_billing.enabled);
    EXPECT_FALSE(f.compare_zips.enabled);
    EXPECT_FALSE(f.ip_address.enabled);
    EXPECT_EQ(f.ip_address.service, IpService::mmdb);
    EXPECT_EQ(f.ip_address.on_error, OnError::defer);
    EXPECT_EQ(f.ip_address.timeout_ms, 3000);
    EXPECT_EQ(f.ip_address.account_id, "");
    EXPECT_EQ(f.ip_address.license_key_file, "");
    EXPECT_EQ(f.ip_address.maxmind_url, "https://geoip.maxmind.com");
    EXPECT_EQ(f.ip_address.key_file, "");
    EXPECT_EQ(f.ip_address.kickfire_url, "https://api.kickfire.com");
    EXPECT_EQ(f.ip_address.database, "");
    const auto& b = f.blacklist;
    EXPECT_TRUE(b.zips.empty() && b.cities.empty() && b.states.empty() && b.names.empty() && b.addresses.empty() &&
                b.emails.empty());
    EXPECT_FALSE(b.check_zips || b.check_cities || b.check_states || b.check_names || b.check_addresses ||
                 b.check_emails);
    EXPECT_FALSE(f.avs.enabled);
    EXPECT_EQ(f.avs.failed_status, "");
    EXPECT_FALSE(f.cvv.enabled);
    EXPECT_EQ(f.cvv.failed_status, "");

    const auto& s = c.sourcing;
    EXPECT_EQ(s.statuses, std::vector<std::string>{"Ready to Source"});
    EXPECT_TRUE(s.fully_paid_channels.empty());
    EXPECT_FALSE(s.source_cod);
    EXPECT_EQ(s.partial_shipping, PartialShipping::partial);
    EXPECT_FALSE(s.exclude_drop_ship);
    EXPECT_EQ(s.manual_review.max_line_items, 0);
    EXPECT_TRUE(s.manual_review.ship_states.empty());
    EXPECT_TRUE(s.stock.auto_backorder);
    EXPECT_TRUE(s.stock.auto_fulfill_backorders);
    EXPECT_FALSE(s.jit.stock_first);
    EXPECT_FALSE(s.dropship.stock_first);
    EXPECT_TRUE(s.jit.source_default_vendor);
    EXPECT_TRUE(s.dropship.source_default_vendor);
    EXPECT_FALSE(s.ready_to_ship_auth.enabled);
    EXPECT_EQ(s.ready_to_ship_auth.exception_status, "CC Exceptions");
    EXPECT_EQ(s.result.requires_manual_sourcing, "Requires Manual Sourcing");
    EXPECT_EQ(s.result.exception, "Inv. Automation Exceptions");
    EXPECT_EQ(s.result.in_shipping, "In Shipping");
    EXPECT_EQ(s.result.in_shipping_split, "In Shipping");
    EXPECT_EQ(s.result.awaiting_inventory, "Awaiting Inventory");
    EXPECT_EQ(s.result.awaiting_dropship, "Awaiting Drop-ship Confirmation");
    EXPECT_EQ(s.result.awaiting_payment, "Awaiting Payment");
    EXPECT_EQ(s.result.zip_format_exception, "Format Exception");
    EXPECT_EQ(s.result.gift_certificates_only, "");
    EXPECT_EQ(s.result.club_membership_only, "");

    EXPECT_EQ(c.fulfillment.rule, FulfillmentRule::manual_priority);
    EXPECT_FALSE(c.fulfillment.split);
    EXPECT_FALSE(c.fulfillment.kits_single_warehouse);
    EXPECT_FALSE(c.fulfillment.ship_kits_complete);
    if (!documented_examples) {
        EXPECT_TRUE(c.fulfillment.channel.empty());
    }

    if (!documented_examples) {
        EXPECT_TRUE(c.monitor.warning_emails.empty());
        EXPECT_FALSE(c.monitor.warning_timeout_minutes.has_value());
        EXPECT_FALSE(c.monitor.enabled());
    }
    EXPECT_EQ(c.monitor.repeat_minutes, 60);
    EXPECT_EQ(c.metrics.textfile, "");

    EXPECT_EQ(c.smtp.url, "smtp://localhost:25");
    EXPECT_EQ(c.smtp.from, "");
    EXPECT_EQ(c.smtp.username, "");
    EXPECT_EQ(c.smtp.password_file, "");
    EXPECT_FALSE(c.smtp.require_tls);
    EXPECT_EQ(c.smtp.timeout_ms, 10000);

    EXPECT_EQ(c.gateway.kind, GatewayKind::sandbox);
    EXPECT_EQ(c.gateway.url, "https://api.stripe.com");
    EXPECT_EQ(c.gateway.api_key_file, "");
    EXPECT_EQ(c.gateway.timeout_ms, 15000);
    EXPECT_EQ(c.gateway.concurrency, 8);
    EXPECT_EQ(c.gateway.currency, "usd");
    EXPECT_EQ(c.gateway.max_retries, 2);
}

TEST(Config, DefaultConstructedIsTheSpecDefaults) { expect_spec_defaults(Config{}); }

TEST(Config, EmptyFileLoadsDefaultsWithoutFindings) {
    const auto r = load("");
    ASSERT_TRUE(r.ok()) << dump(r);
    EXPECT_TRUE(r.diagnostics.items.empty()) << dump(r);
    ASSERT_NE(r.config, nullptr);
    EXPECT_EQ(r.config->source_path, "test.toml");
    EXPECT_TRUE(r.config->positions.empty());
    expect_spec_defaults(*r.config);
}

TEST(Config, EmptySectionsLoadDefaults) {
    const auto r = load(
        "[daemon]\n[orders]\n[capture]\n[reauth]\n[fraud]\n[fraud.grand_total]\n[fraud.shipping_method]\n"
        "[fraud.grand_total_and_shipping_method]\n[fraud.compare_states]\n[fraud.international_billing]\n"
        "[fraud.ip_address]\n[fraud.compare_zips]\n[fraud.blacklist]\n[fraud.avs]\n[fraud.cvv]\n[sourcing]\n"
        "[sourcing.manual_review]\n[sourcing.stock]\n[sourcing.jit]\n[sourcing.dropship]\n"
        "[sourcing.ready_to_ship_auth]\n[sourcing.result]\n[fulfillment]\n[monitor]\n[metrics]\n[smtp]\n[gateway]\n");
    ASSERT_TRUE(r.ok()) << dump(r);
    EXPECT_TRUE(r.diagnostics.items.empty()) << dump(r);
    expect_spec_defaults(*r.config);
}

constexpr const char* kEveryKey = R"toml(
[daemon]
database = "/srv/olmd/olmd.db"
timezone = "America/New_York"
catch_up_hours = 0
batch_size = 100000
busy_timeout_ms = 0
lock_file = "/run/olmd.lock"
log_level = "warning"
run_retention_days = 1

[orders]
hold_status = "Held"
fully_shipped_status = "Done"
partially_shipped_status = "Part"
non_compliant_status = "Bad"
no_shipping_method_status = ""
club_cc_exception_status = "Club Ex"
club_reauth_attempts = 0
club_reauth_interval_days = 7
club_reauth_success_status = "Club OK"

[capture]
enabled = true
slots = ["06:00", "18:30", "06:00"]
statuses = ["Shipped"]
available_when = "order_fully_shipped"
delayed_delivery_on_creation = true
reauthorize_on_failure = true
exception_status = "Cap Ex"

[reauth]
enabled = true
cron = "15 */2 * * mon-fri"
statuses = "Club, Waiting"
after_days = 0
order = "authorize_then_void"
exception_status = "Re Ex"

[fraud]
enabled = true
slots = "*"
statuses = ["Review"]
channels = ["Web", "Phone"]
home_country = "CA"
passed_status = "Passed"
failed_status = "Failed"

[fraud.grand_total]
enabled = true
threshold = "500.5"

[fraud.shipping_method]
enabled = true
methods = "Next Day Air, Overnight"

[fraud.grand_total_and_shipping_method]
enabled = true

[fraud.compare_states]
enabled = true

[fraud.international_billing]
enabled = true

[fraud.ip_address]
enabled = false
service = "kickfire"
on_error = "fail"
timeout_ms = 1
account_id = "42"
license_key_file = "/nonexistent/maxmind"
url = "http://127.0.0.1:9999"
key_file = "/nonexistent/kickfire"
database = "/nonexistent/city.mmdb"

[fraud.compare_zips]
enabled = true

[fraud.blacklist]
zips = ["12866"]
cities = "Albany"
states = "New York, New Mexico"
names = ["John Doe"]
addresses = ["1 Main St, Apt 2"]
emails = ["a@b.c"]
check_zips = true
check_cities = true
check_states = true
check_names = true
check_addresses = true
check_emails = true

[fraud.avs]
enabled = true
failed_status = "AVS"

[fraud.cvv]
enabled = true
failed_status = "CVV"

[sourcing]
enabled = true
slots = ["07:00"]
statuses = ["Passed"]
fully_paid_channels = ["Phone"]
source_cod = true
partial_shipping = "none"
exclude_drop_ship = true
manual_review.max_line_items = 10
manual_review.ship_states = ["AK", "HI"]
stock.auto_backorder = false
stock.auto_fulfill_backorders = false
jit.stock_first = true
jit.source_default_vendor = false
dropship.stock_first = true
dropship.source_default_vendor = false

[sourcing.ready_to_ship_auth]
enabled = true
exception_status = "RTS Ex"

[sourcing.result]
requires_manual_sourcing = "R1"
exception = "R2"
in_shipping = "R3"
in_shipping_split = "R4"
awaiting_inventory = "R5"
awaiting_dropship = "R6"
awaiting_payment = "R7"
zip_format_exception = "R8"
gift_certificates_only = "R9"
club_membership_only = "R10"

[fulfillment]
rule = "highest_available"
split = true
kits_single_warehouse = true
ship_kits_complete = true

[fulfillment.channel."Web Store"]
rule = "closest"
split = false
blacklisted_warehouses = "East, West"

[fulfillment.channel.Phone]
blacklisted_warehouses = []

[monitor]
warning_emails = "ops@example.com, oncall@example.com"
warning_timeout_minutes = 0.5
repeat_minutes = 15

[metrics]
textfile = "/var/lib/prometheus/olmd.prom"

[smtp]
url = "smtps://mail.example.com:465"
from = "olmd@example.com"
username = "olmd"
password_file = ""
require_tls = true
timeout_ms = 2000

[gateway]
kind = "sandbox"
url = "http://127.0.0.1:8080"
api_key_file = ""
timeout_ms = 100
concurrency = 1
currency = "EUR"
max_retries = 0
)toml";

TEST(Config, ReadsEveryKeyOfEverySection) {
    const auto r = load(kEveryKey);
    ASSERT_TRUE(r.ok()) << dump(r);
    const Config& c = *r.config;

    EXPECT_EQ(c.daemon.database, "/srv/olmd/olmd.db");
    EXPECT_EQ(c.daemon.timezone, "America/New_York");
    EXPECT_EQ(c.daemon.catch_up_hours, 0);
    EXPECT_EQ(c.daemon.batch_size, 100000);
    EXPECT_EQ(c.daemon.busy_timeout_ms, 0);
    EXPECT_EQ(c.daemon.effective_lock_file(), "/run/olmd.lock");
    EXPECT_EQ(c.daemon.log_level, "warning");
    EXPECT_EQ(c.daemon.run_retention_days, 1);

    EXPECT_EQ(c.orders.hold_status, "Held");
    EXPECT_EQ(c.orders.fully_shipped_status, "Done");
    EXPECT_EQ(c.orders.partially_shipped_status, "Part");
    EXPECT_EQ(c.orders.non_compliant_status, "Bad");
    EXPECT_EQ(c.orders.no_shipping_method_status, "");
    EXPECT_EQ(c.orders.club_cc_exception_status, "Club Ex");
    EXPECT_EQ(c.orders.club_reauth_attempts, 0);
    EXPECT_EQ(c.orders.club_reauth_interval_days, 7);
    EXPECT_EQ(c.orders.club_reauth_success_status, "Club OK");

    EXPECT_TRUE(c.capture.enabled);
    EXPECT_EQ(c.capture.schedule.slots, (std::vector<int>{6 * 60, 18 * 60 + 30}));
    EXPECT_FALSE(c.capture.schedule.cron.has_value());
    EXPECT_EQ(c.capture.statuses, std::vector<std::string>{"Shipped"});
    EXPECT_EQ(c.capture.available_when, AvailableWhen::order_fully_shipped);
    EXPECT_TRUE(c.capture.delayed_delivery_on_creation);
    EXPECT_TRUE(c.capture.reauthorize_on_failure);
    EXPECT_EQ(c.capture.exception_status, "Cap Ex");

    EXPECT_TRUE(c.reauth.enabled);
    ASSERT_TRUE(c.reauth.schedule.cron.has_value());
    EXPECT_TRUE(c.reauth.schedule.cron->minutes.test(15));
    EXPECT_FALSE(c.reauth.schedule.cron->minutes.test(0));
    EXPECT_TRUE(c.reauth.schedule.slots.empty());
    EXPECT_EQ(c.reauth.statuses, (std::vector<std::string>{"Club", "Waiting"}));
    EXPECT_EQ(c.reauth.after_days, 0);
    EXPECT_EQ(c.reauth.order, ReauthOrder::authorize_then_void);
    EXPECT_EQ(c.reauth.exception_status, "Re Ex");

    const auto& f = c.fraud;
    EXPECT_TRUE(f.enabled);
    EXPECT_EQ(f.schedule.slots.size(), 48u);
    EXPECT_EQ(f.statuses, std::vector<std::string>{"Review"});
    EXPECT_EQ(f.channels, (std::vector<std::string>{"Web", "Phone"}));
    EXPECT_EQ(f.home_country, "CA");
    EXPECT_EQ(f.passed_status, "Passed");
    EXPECT_EQ(f.failed_status, "Failed");
    EXPECT_TRUE(f.grand_total.enabled);
    EXPECT_EQ(f.grand_total.threshold, Cents{50050});
    EXPECT_TRUE(f.shipping_method.enabled);
    EXPECT_EQ(f.shipping_method.methods, (std::vector<std::string>{"Next Day Air", "Overnight"}));
    EXPECT_TRUE(f.grand_total_and_shipping_method.enabled);
    EXPECT_TRUE(f.compare_states.enabled);
    EXPECT_TRUE(f.international_billing.enabled);
    EXPECT_TRUE(f.compare_zips.enabled);
    EXPECT_FALSE(f.ip_address.enabled);
    EXPECT_EQ(f.ip_address.service, IpService::kickfire);
    EXPECT_EQ(f.ip_address.on_error, OnError::fail);
    EXPECT_EQ(f.ip_address.timeout_ms, 1);
    EXPECT_EQ(f.ip_address.account_id, "42");
    EXPECT_EQ(f.ip_address.license_key_file, "/nonexistent/maxmind");
    EXPECT_EQ(f.ip_address.kickfire_url, "http://127.0.0.1:9999");
    EXPECT_EQ(f.ip_address.maxmind_url, "https://geoip.maxmind.com");
    EXPECT_EQ(f.ip_address.key_file, "/nonexistent/kickfire");
    EXPECT_EQ(f.ip_address.database, "/nonexistent/city.mmdb");
    const auto& b = f.blacklist;
    EXPECT_EQ(b.zips, std::vector<std::string>{"12866"});
    EXPECT_EQ(b.cities, std::vector<std::string>{"Albany"});
    EXPECT_EQ(b.states, (std::vector<std::string>{"New York", "New Mexico"}));
    EXPECT_EQ(b.names, std::vector<std::string>{"John Doe"});
    EXPECT_EQ(b.addresses, std::vector<std::string>{"1 Main St, Apt 2"});  // arrays are not split on commas
    EXPECT_EQ(b.emails, std::vector<std::string>{"a@b.c"});
    EXPECT_TRUE(b.check_zips && b.check_cities && b.check_states && b.check_names && b.check_addresses &&
                b.check_emails);
    EXPECT_TRUE(f.avs.enabled);
    EXPECT_EQ(f.avs.failed_status, "AVS");
    EXPECT_TRUE(f.cvv.enabled);
    EXPECT_EQ(f.cvv.failed_status, "CVV");

    const auto& s = c.sourcing;
    EXPECT_TRUE(s.enabled);
    EXPECT_EQ(s.schedule.slots, std::vector<int>{7 * 60});
    EXPECT_EQ(s.statuses, std::vector<std::string>{"Passed"});
    EXPECT_EQ(s.fully_paid_channels, std::vector<std::string>{"Phone"});
    EXPECT_TRUE(s.source_cod);
    EXPECT_EQ(s.partial_shipping, PartialShipping::none);
    EXPECT_TRUE(s.exclude_drop_ship);
    EXPECT_EQ(s.manual_review.max_line_items, 10);
    EXPECT_EQ(s.manual_review.ship_states, (std::vector<std::string>{"AK", "HI"}));
    EXPECT_FALSE(s.stock.auto_backorder);
    EXPECT_FALSE(s.stock.auto_fulfill_backorders);
    EXPECT_TRUE(s.jit.stock_first);
    EXPECT_FALSE(s.jit.source_default_vendor);
    EXPECT_TRUE(s.dropship.stock_first);
    EXPECT_FALSE(s.dropship.source_default_vendor);
    EXPECT_TRUE(s.ready_to_ship_auth.enabled);
    EXPECT_EQ(s.ready_to_ship_auth.exception_status, "RTS Ex");
    EXPECT_EQ(s.result.requires_manual_sourcing, "R1");
    EXPECT_EQ(s.result.exception, "R2");
    EXPECT_EQ(s.result.in_shipping, "R3");
    EXPECT_EQ(s.result.in_shipping_split, "R4");
    EXPECT_EQ(s.result.awaiting_inventory, "R5");
    EXPECT_EQ(s.result.awaiting_dropship, "R6");
    EXPECT_EQ(s.result.awaiting_payment, "R7");
    EXPECT_EQ(s.result.zip_format_exception, "R8");
    EXPECT_EQ(s.result.gift_certificates_only, "R9");
    EXPECT_EQ(s.result.club_membership_only, "R10");

    EXPECT_EQ(c.fulfillment.rule, FulfillmentRule::highest_available);
    EXPECT_TRUE(c.fulfillment.split);
    EXPECT_TRUE(c.fulfillment.kits_single_warehouse);
    EXPECT_TRUE(c.fulfillment.ship_kits_complete);
    ASSERT_EQ(c.fulfillment.channel.size(), 2u);
    const auto& web = c.fulfillment.channel.at("Web Store");
    EXPECT_EQ(web.rule, FulfillmentRule::closest);
    EXPECT_EQ(web.split, false);
    EXPECT_EQ(web.blacklisted_warehouses, (std::vector<std::string>{"East", "West"}));
    const auto& phone = c.fulfillment.channel.at("Phone");
    EXPECT_FALSE(phone.rule.has_value());
    EXPECT_FALSE(phone.split.has_value());
    EXPECT_TRUE(phone.blacklisted_warehouses.empty());

    EXPECT_EQ(c.monitor.warning_emails, (std::vector<std::string>{"ops@example.com", "oncall@example.com"}));
    EXPECT_EQ(c.monitor.warning_timeout_minutes, 0.5);
    EXPECT_EQ(c.monitor.repeat_minutes, 15);
    EXPECT_TRUE(c.monitor.enabled());
    EXPECT_EQ(c.metrics.textfile, "/var/lib/prometheus/olmd.prom");

    EXPECT_EQ(c.smtp.url, "smtps://mail.example.com:465");
    EXPECT_EQ(c.smtp.from, "olmd@example.com");
    EXPECT_EQ(c.smtp.username, "olmd");
    EXPECT_TRUE(c.smtp.require_tls);
    EXPECT_EQ(c.smtp.timeout_ms, 2000);

    EXPECT_EQ(c.gateway.kind, GatewayKind::sandbox);
    EXPECT_EQ(c.gateway.url, "http://127.0.0.1:8080");
    EXPECT_EQ(c.gateway.timeout_ms, 100);
    EXPECT_EQ(c.gateway.concurrency, 1);
    EXPECT_EQ(c.gateway.currency, "eur");  // Stripe wants lower case
    EXPECT_EQ(c.gateway.max_retries, 0);
}

TEST(Config, RecordsThePositionOfEveryWrittenKey) {
    const auto r = load(kEveryKey);
    ASSERT_TRUE(r.ok()) << dump(r);
    const Config& c = *r.config;
    EXPECT_EQ(c.pos("daemon.database").line, 3);
    EXPECT_EQ(c.pos("daemon.database").column, 1);
    EXPECT_GT(c.pos("fraud.grand_total.threshold").line, c.pos("fraud.grand_total.enabled").line);
    EXPECT_GT(c.pos("sourcing.stock.auto_backorder").line, 0);
    EXPECT_GT(c.pos("fulfillment.channel.Web Store.rule").line, 0);
    EXPECT_GT(c.pos("fulfillment.channel.Phone.blacklisted_warehouses").line, 0);
    EXPECT_GT(c.pos("gateway.max_retries").line, c.pos("gateway.kind").line);
    EXPECT_EQ(c.pos("fraud.not_a_key").line, 0);
    EXPECT_EQ(c.pos("daemon.database").line, 3);

    const auto r2 = load("\n[fraud.grand_total]\n  threshold = 1\n");
    EXPECT_EQ(r2.config->pos("fraud.grand_total.threshold").line, 3);
    EXPECT_EQ(r2.config->pos("fraud.grand_total.threshold").column, 3);
}

TEST(Config, DottedKeysInsideASectionAreTheSubSection) {
    const auto dotted = load("[sourcing]\nstock.auto_backorder = false\nmanual_review.max_line_items = 4\n");
    const auto table = load("[sourcing.stock]\nauto_backorder = false\n[sourcing.manual_review]\nmax_line_items = 4\n");
    const auto inline_table = load("[sourcing]\nstock = { auto_backorder = false }\n"
                                   "manual_review = { max_line_items = 4 }\n");
    for (const auto* r : {&dotted, &table, &inline_table}) {
        ASSERT_TRUE(r->ok()) << dump(*r);
        EXPECT_FALSE(r->config->sourcing.stock.auto_backorder);
        EXPECT_TRUE(r->config->sourcing.stock.auto_fulfill_backorders);
        EXPECT_EQ(r->config->sourcing.manual_review.max_line_items, 4);
    }
}

TEST(Config, CommaSeparatedStringListsEqualArrays) {
    const auto a = load(R"([fraud]
statuses = ["Ready to Process", "Review"]
channels = ["Web", "Phone"]
[fraud.blacklist]
states = ["New York", "New Mexico"]
[monitor]
warning_emails = ["a@x.org", "b@x.org"]
warning_timeout_minutes = 5
[sourcing.manual_review]
ship_states = ["AK", "HI"]
[capture]
slots = ["06:00", "18:30"]
)");
    const auto s = load(R"([fraud]
statuses = " Ready to Process ,Review,, "
channels = "Web,Phone"
[fraud.blacklist]
states = "New York, New Mexico"
[monitor]
warning_emails = "a@x.org , b@x.org"
warning_timeout_minutes = 5
[sourcing.manual_review]
ship_states = "AK,HI"
[capture]
slots = "06:00, 18:30"
)");
    ASSERT_TRUE(a.ok()) << dump(a);
    ASSERT_TRUE(s.ok()) << dump(s);
    EXPECT_EQ(a.config->fraud.statuses, (std::vector<std::string>{"Ready to Process", "Review"}));
    EXPECT_EQ(s.config->fraud.statuses, a.config->fraud.statuses);
    EXPECT_EQ(s.config->fraud.channels, a.config->fraud.channels);
    EXPECT_EQ(s.config->fraud.blacklist.states, a.config->fraud.blacklist.states);
    EXPECT_EQ(s.config->monitor.warning_emails, a.config->monitor.warning_emails);
    EXPECT_EQ(s.config->sourcing.manual_review.ship_states, a.config->sourcing.manual_review.ship_states);
    EXPECT_EQ(s.config->capture.schedule.slots, a.config->capture.schedule.slots);
    EXPECT_EQ(s.config->capture.schedule.slots, (std::vector<int>{360, 1110}));
}

TEST(Config, EmptyListStringMeansEmptyList) {
    const auto r = load("[fraud]\nchannels = \"\"\n[capture]\nstatuses = \" , \"\n");
    ASSERT_TRUE(r.ok()) << dump(r);
    EXPECT_TRUE(r.config->fraud.channels.empty());
    EXPECT_TRUE(r.config->capture.statuses.empty());
}

TEST(Config, AmountsAreCentsFromDecimalStringsOrWholeUnits) {
    const std::pair<const char*, Cents> cases[] = {
        {"\"500\"", 50000}, {"\"500.5\"", 50050}, {"\"500.00\"", 50000}, {"\"0.01\"", 1}, {"500", 50000}, {"0", 0}};
    for (const auto& [text, cents] : cases) {
        SCOPED_TRACE(text);
        const auto r = load(std::string("[fraud.grand_total]\nthreshold = ") + text + "\n");
        ASSERT_TRUE(r.ok()) << dump(r);
        EXPECT_EQ(r.config->fraud.grand_total.threshold, cents);
    }
}

TEST(Config, IpAddressUrlGoesToTheConfiguredService) {
    const auto m = load("[fraud.ip_address]\nservice = \"maxmind\"\nurl = \"http://localhost:1\"\n");
    ASSERT_TRUE(m.ok()) << dump(m);
    EXPECT_EQ(m.config->fraud.ip_address.maxmind_url, "http://localhost:1");
    EXPECT_EQ(m.config->fraud.ip_address.kickfire_url, "https://api.kickfire.com");

    // The url key may come before the service key: the service decides.
    const auto k = load("[fraud.ip_address]\nurl = \"http://localhost:2\"\nservice = \"kickfire\"\n");
    ASSERT_TRUE(k.ok()) << dump(k);
    EXPECT_EQ(k.config->fraud.ip_address.kickfire_url, "http://localhost:2");
    EXPECT_EQ(k.config->fraud.ip_address.maxmind_url, "https://geoip.maxmind.com");
}

TEST(Config, WarningTimeoutAcceptsIntegersAndFractions) {
    const auto i = load("[monitor]\nwarning_emails = \"a@b.c\"\nwarning_timeout_minutes = 30\n");
    ASSERT_TRUE(i.ok()) << dump(i);
    EXPECT_EQ(i.config->monitor.warning_timeout_minutes, 30.0);
    const auto f = load("[monitor]\nwarning_emails = \"a@b.c\"\nwarning_timeout_minutes = 0.25\n");
    ASSERT_TRUE(f.ok()) << dump(f);
    EXPECT_EQ(f.config->monitor.warning_timeout_minutes, 0.25);
}

TEST(Config, EmptyCronMeansNoCron) {
    const auto r = load("[capture]\ncron = \"\"\nslots = [\"06:00\"]\n");
    ASSERT_TRUE(r.ok()) << dump(r);
    EXPECT_FALSE(r.config->capture.schedule.cron.has_value());
    EXPECT_EQ(r.config->capture.schedule.slots, std::vector<int>{360});
}

TEST(Config, JobReturnsEachJobsCommonKeys) {
    const auto r = load("[reauth]\nenabled = true\nstatuses = [\"A\"]\nslots = [\"01:00\"]\n");
    ASSERT_TRUE(r.ok()) << dump(r);
    EXPECT_TRUE(r.config->job(JobKind::reauth).enabled);
    EXPECT_EQ(r.config->job(JobKind::reauth).statuses, std::vector<std::string>{"A"});
    EXPECT_EQ(&r.config->job(JobKind::capture), static_cast<const JobCommon*>(&r.config->capture));
    EXPECT_EQ(&r.config->job(JobKind::fraud), static_cast<const JobCommon*>(&r.config->fraud));
    EXPECT_EQ(&r.config->job(JobKind::sourcing), static_cast<const JobCommon*>(&r.config->sourcing));
}

TEST(Config, LoadsAFileFromDisk) {
    testing::TempDir dir;
    const auto path = dir.write("olmd.toml", "[daemon]\nbatch_size = 7\n");
    const auto r = load_config_file(path);
    ASSERT_TRUE(r.ok()) << dump(r);
    EXPECT_EQ(r.config->daemon.batch_size, 7);
    EXPECT_EQ(r.config->source_path, path);
}

std::string read_shipped_file() {
    std::ifstream in(std::string(OLMD_SOURCE_DIR) + "/etc/olmd.toml");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

TEST(Config, ShippedFileLoadsWithoutErrorsOrWarnings) {
    const std::string path = std::string(OLMD_SOURCE_DIR) + "/etc/olmd.toml";
    const auto r = load_config_file(path);
    EXPECT_TRUE(r.diagnostics.items.empty()) << dump(r);
    expect_spec_defaults(*r.config);
    // Every section of config.md is present as a header.
    for (const char* section : {"daemon", "orders", "capture", "reauth", "fraud", "fraud.grand_total",
                                "fraud.shipping_method", "fraud.grand_total_and_shipping_method",
                                "fraud.compare_states", "fraud.international_billing", "fraud.ip_address",
                                "fraud.compare_zips", "fraud.blacklist", "fraud.avs", "fraud.cvv", "sourcing",
                                "sourcing.manual_review", "sourcing.stock", "sourcing.jit", "sourcing.dropship",
                                "sourcing.ready_to_ship_auth", "sourcing.result", "fulfillment", "monitor", "metrics",
                                "smtp", "gateway"})
        EXPECT_GT(r.config->pos(section).line, 0) << section;
}

/// The shipped file with every "#key = value" (and the example channel header) uncommented.
std::string uncomment_shipped_file() {
    static const std::regex commented_key(R"(^#(\[fulfillment\.channel\.|[a-z_]+ = ))");
    std::stringstream in(read_shipped_file());
    std::string out, line;
    while (std::getline(in, line)) {
        if (std::regex_search(line, commented_key)) line.erase(0, 1);
        out += line + "\n";
    }
    return out;
}

TEST(Config, ShippedFileDocumentsEveryKeyWithItsDefault) {
    const auto r = load_config_text(uncomment_shipped_file(), "olmd.toml (uncommented)");
    EXPECT_TRUE(r.ok()) << dump(r);
    expect_spec_defaults(*r.config, /*documented_examples=*/true);
    // Every key of config.md is documented (and so was uncommented above).
    const char* keys[] = {
        "daemon.database", "daemon.timezone", "daemon.catch_up_hours", "daemon.batch_size", "daemon.busy_timeout_ms",
        "daemon.lock_file", "daemon.log_level", "daemon.run_retention_days", "orders.hold_status",
        "orders.fully_shipped_status", "orders.partially_shipped_status", "orders.non_compliant_status",
        "orders.no_shipping_method_status", "orders.club_cc_exception_status", "orders.club_reauth_attempts",
        "orders.club_reauth_interval_days", "orders.club_reauth_success_status", "capture.available_when",
        "capture.delayed_delivery_on_creation", "capture.reauthorize_on_failure", "capture.exception_status",
        "reauth.after_days", "reauth.order", "reauth.exception_status", "fraud.channels", "fraud.home_country",
        "fraud.passed_status", "fraud.failed_status", "fraud.grand_total.enabled", "fraud.grand_total.threshold",
        "fraud.shipping_method.enabled", "fraud.shipping_method.methods",
        "fraud.grand_total_and_shipping_method.enabled", "fraud.compare_states.enabled",
        "fraud.international_billing.enabled", "fraud.ip_address.enabled", "fraud.ip_address.service",
        "fraud.ip_address.on_error", "fraud.ip_address.timeout_ms", "fraud.ip_address.account_id",
        "fraud.ip_address.license_key_file", "fraud.ip_address.url", "fraud.ip_address.key_file",
        "fraud.ip_address.database", "fraud.compare_zips.enabled", "fraud.blacklist.zips", "fraud.blacklist.cities",
        "fraud.blacklist.states", "fraud.blacklist.names", "fraud.blacklist.addresses", "fraud.blacklist.emails",
        "fraud.blacklist.check_zips", "fraud.blacklist.check_cities", "fraud.blacklist.check_states",
        "fraud.blacklist.check_names", "fraud.blacklist.check_addresses", "fraud.blacklist.check_emails",
        "fraud.avs.enabled", "fraud.avs.failed_status", "fraud.cvv.enabled", "fraud.cvv.failed_status",
        "sourcing.fully_paid_channels", "sourcing.source_cod", "sourcing.partial_shipping",
        "sourcing.exclude_drop_ship", "sourcing.manual_review.max_line_items", "sourcing.manual_review.ship_states",
        "sourcing.stock.auto_backorder", "sourcing.stock.auto_fulfill_backorders", "sourcing.jit.stock_first",
        "sourcing.jit.source_default_vendor", "sourcing.dropship.stock_first",
        "sourcing.dropship.source_default_vendor", "sourcing.ready_to_ship_auth.enabled",
        "sourcing.ready_to_ship_auth.exception_status", "sourcing.result.requires_manual_sourcing",
        "sourcing.result.exception", "sourcing.result.in_shipping", "sourcing.result.in_shipping_split",
        "sourcing.result.awaiting_inventory", "sourcing.result.awaiting_dropship", "sourcing.result.awaiting_payment",
        "sourcing.result.zip_format_exception", "sourcing.result.gift_certificates_only",
        "sourcing.result.club_membership_only", "fulfillment.rule", "fulfillment.split",
        "fulfillment.kits_single_warehouse", "fulfillment.ship_kits_complete", "monitor.warning_emails",
        "monitor.warning_timeout_minutes", "monitor.repeat_minutes", "metrics.textfile", "smtp.url", "smtp.from",
        "smtp.username", "smtp.password_file", "smtp.require_tls", "smtp.timeout_ms", "gateway.kind", "gateway.url",
        "gateway.api_key_file", "gateway.timeout_ms", "gateway.concurrency", "gateway.currency",
        "gateway.max_retries"};
    for (const char* key : keys) EXPECT_GT(r.config->pos(key).line, 0) << key << " is not documented";
    for (JobKind k : kAllJobs)
        for (const char* key : {"enabled", "slots", "cron", "statuses"}) {
            const std::string dotted = std::string(job_name(k)) + "." + key;
            EXPECT_GT(r.config->pos(dotted).line, 0) << dotted << " is not documented";
        }
}

}  // namespace
}  // namespace olmd::config
