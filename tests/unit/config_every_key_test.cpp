// Loading valid configurations: every key of every section read, and the position of every
// written key recorded.

#include <gtest/gtest.h>

#include "config_test_util.hpp"

namespace olmd::config {
namespace {

using testing::dump;
using testing::load;

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

}  // namespace
}  // namespace olmd::config
