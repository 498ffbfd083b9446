// Loading valid configurations: the defaults of config.md, from nothing, from empty sections,
// and from the shipped etc/olmd.toml (which documents every key with its default).

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
    const auto r = load(testing::empty_sections(testing::kEverySection));
    ASSERT_TRUE(r.ok()) << dump(r);
    EXPECT_TRUE(r.diagnostics.items.empty()) << dump(r);
    expect_spec_defaults(*r.config);
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
    for (const auto& section : testing::kEverySection) EXPECT_GT(r.config->pos(section).line, 0) << section;
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
