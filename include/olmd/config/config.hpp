#pragma once
// The one immutable, typed value every module reads its settings from.
// Field names mirror the TOML keys of ../shared/spec/config.md; every key has
// its default here, so a default-constructed Config is the documented defaults.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "olmd/config/schedule_spec.hpp"
#include "olmd/core/ids.hpp"
#include "olmd/core/money.hpp"

namespace olmd::config {

/// Where a key was written in the TOML file (1-based); line 0 = not written.
struct SourcePos {
    int line = 0;
    int column = 0;
};

/// A job's schedule (SCH-1): slots or cron, never both; neither = never on a schedule.
struct Schedule {
    std::vector<int> slots;          ///< minutes after midnight, sorted, unique
    std::optional<CronSpec> cron;
    /// True when the job has any schedule at all.
    bool any() const { return !slots.empty() || cron.has_value(); }
};

struct DaemonConfig {
    std::string database = "/var/lib/olmd/olmd.db";
    std::string timezone;            ///< IANA name; empty = the system zone
    int catch_up_hours = 24;
    int batch_size = 500;
    int busy_timeout_ms = 5000;
    std::string lock_file;           ///< empty = "<database>.lock"
    std::string log_level = "info";
    int run_retention_days = 90;
    std::string password_file;       ///< PostgreSQL password (OPS-8); "" = ~/.pgpass / PGPASSFILE
    int standby_poll_seconds = 5;    ///< PG-2: how often a standby tries to take over

    /// The lock file path with its default applied.
    std::string effective_lock_file() const { return lock_file.empty() ? database + ".lock" : lock_file; }
};

struct OrdersConfig {
    std::string hold_status = "On Hold";
    std::string fully_shipped_status = "Shipped";
    std::string partially_shipped_status = "Partially Shipped";
    std::string non_compliant_status = "Non Compliant";
    std::string no_shipping_method_status = "No Shipping Method";  ///< "" disables SRC-2
    std::string club_cc_exception_status = "Club CC Exception";
    int club_reauth_attempts = 3;
    int club_reauth_interval_days = 2;
    std::string club_reauth_success_status = "Ready to Process";
};

/// Keys every job section has.
struct JobCommon {
    bool enabled = false;
    Schedule schedule;
    std::vector<std::string> statuses;
};

enum class AvailableWhen { order_created, order_fully_shipped };

struct CaptureConfig : JobCommon {
    AvailableWhen available_when = AvailableWhen::order_created;
    bool delayed_delivery_on_creation = false;
    bool reauthorize_on_failure = false;
    std::string exception_status = "CC Exceptions";
};

enum class ReauthOrder { void_then_authorize, authorize_then_void };

struct ReauthConfig : JobCommon {
    int after_days = 6;
    ReauthOrder order = ReauthOrder::void_then_authorize;
    std::string exception_status = "CC Exceptions";
};

enum class IpService { maxmind, kickfire, mmdb };
enum class OnError { defer, pass, fail };

struct FraudConfig : JobCommon {
    FraudConfig() { statuses = {"Ready to Process"}; }
    std::vector<std::string> channels;     ///< empty = all
    std::string home_country = "US";
    std::string passed_status = "Ready to Source";
    std::string failed_status = "Non Compliant";

    struct GrandTotal { bool enabled = false; std::optional<Cents> threshold; } grand_total;
    struct ShippingMethod { bool enabled = false; std::vector<std::string> methods; } shipping_method;
    struct Toggle { bool enabled = false; };
    Toggle grand_total_and_shipping_method;
    Toggle compare_states;
    Toggle international_billing;
    Toggle compare_zips;
    struct IpAddress {
        bool enabled = false;
        IpService service = IpService::mmdb;
        OnError on_error = OnError::defer;
        int timeout_ms = 3000;
        std::string account_id;                                  ///< maxmind
        std::string license_key_file;                            ///< maxmind
        std::string maxmind_url = "https://geoip.maxmind.com";   ///< key `url` when service = maxmind
        std::string key_file;                                    ///< kickfire
        std::string kickfire_url = "https://api.kickfire.com";   ///< key `url` when service = kickfire
        std::string database;                                    ///< mmdb
    } ip_address;
    struct Blacklist {
        std::vector<std::string> zips, cities, states, names, addresses, emails;
        bool check_zips = false, check_cities = false, check_states = false;
        bool check_names = false, check_addresses = false, check_emails = false;
    } blacklist;
    struct ProcessorCheck { bool enabled = false; std::string failed_status; };  ///< "" = [fraud] failed_status
    ProcessorCheck avs, cvv;
};

enum class PartialShipping { partial, none };

struct SourcingConfig : JobCommon {
    SourcingConfig() { statuses = {"Ready to Source"}; }
    std::vector<std::string> fully_paid_channels;
    bool source_cod = false;
    PartialShipping partial_shipping = PartialShipping::partial;
    bool exclude_drop_ship = false;
    struct ManualReview { int max_line_items = 0; std::vector<std::string> ship_states; } manual_review;
    struct Stock { bool auto_backorder = true; bool auto_fulfill_backorders = true; } stock;
    struct VendorSourced { bool stock_first = false; bool source_default_vendor = true; };
    VendorSourced jit, dropship;
    struct ReadyToShipAuth { bool enabled = false; std::string exception_status = "CC Exceptions"; } ready_to_ship_auth;
    struct Result {
        std::string requires_manual_sourcing = "Requires Manual Sourcing";
        std::string exception = "Inv. Automation Exceptions";
        std::string in_shipping = "In Shipping";
        std::string in_shipping_split = "In Shipping";
        std::string awaiting_inventory = "Awaiting Inventory";
        std::string awaiting_dropship = "Awaiting Drop-ship Confirmation";
        std::string awaiting_payment = "Awaiting Payment";
        std::string zip_format_exception = "Format Exception";
        std::string gift_certificates_only;   ///< optional, "" = off
        std::string club_membership_only;     ///< optional, "" = off

        /// Every result with its key under [sourcing.result], in config.md's order.
        std::vector<std::pair<const char*, const std::string*>> named() const {
            return {{"requires_manual_sourcing", &requires_manual_sourcing},
                    {"exception", &exception},
                    {"in_shipping", &in_shipping},
                    {"in_shipping_split", &in_shipping_split},
                    {"awaiting_inventory", &awaiting_inventory},
                    {"awaiting_dropship", &awaiting_dropship},
                    {"awaiting_payment", &awaiting_payment},
                    {"zip_format_exception", &zip_format_exception},
                    {"gift_certificates_only", &gift_certificates_only},
                    {"club_membership_only", &club_membership_only}};
        }
    } result;
};

enum class FulfillmentRule { manual_priority, closest, highest_available };

struct FulfillmentConfig {
    FulfillmentRule rule = FulfillmentRule::manual_priority;
    bool split = false;
    bool kits_single_warehouse = false;
    bool ship_kits_complete = false;
    struct ChannelOverride {
        std::optional<FulfillmentRule> rule;
        std::optional<bool> split;
        std::vector<std::string> blacklisted_warehouses;
    };
    /// Keyed by channel name as written (matched case-insensitively).
    std::map<std::string, ChannelOverride> channel;
};

struct MonitorConfig {
    std::vector<std::string> warning_emails;
    std::optional<double> warning_timeout_minutes;
    double repeat_minutes = 60;
    /// MON-1: monitor email is on only when both keys are set.
    bool enabled() const { return !warning_emails.empty() && warning_timeout_minutes.has_value(); }
};

struct MetricsConfig {
    std::string textfile;  ///< "" = off
};

struct SmtpConfig {
    std::string url = "smtp://localhost:25";
    std::string from;      ///< "" = "olmd@<hostname>"
    std::string username;
    std::string password_file;
    bool require_tls = false;
    bool allow_plaintext_auth = false;  ///< OPS-11: with a username, AUTH only over TLS unless true
    int timeout_ms = 10000;
};

enum class GatewayKind { sandbox, stripe };

struct GatewayConfig {
    GatewayKind kind = GatewayKind::sandbox;
    std::string url = "https://api.stripe.com";
    std::string api_key_file;
    int timeout_ms = 15000;
    int concurrency = 8;
    std::string currency = "usd";
    int max_retries = 2;
    /// Sent as the Stripe-Version header on every request, so answers never depend on the account's default.
    std::string stripe_api_version = "2023-08-16";
    /// How long a card authorization is taken to hold (Stripe: 7 days for online card payments).
    int authorization_valid_days = 7;
};

/// The whole configuration.
struct Config {
    std::string source_path;   ///< the file it was read from ("" = defaults only)
    DaemonConfig daemon;
    OrdersConfig orders;
    CaptureConfig capture;
    ReauthConfig reauth;
    FraudConfig fraud;
    SourcingConfig sourcing;
    FulfillmentConfig fulfillment;
    MonitorConfig monitor;
    MetricsConfig metrics;
    SmtpConfig smtp;
    GatewayConfig gateway;
    /// Position of every key written in the file, by dotted path ("fraud.statuses").
    std::map<std::string, SourcePos> positions;

    /// The common keys of one job's section.
    const JobCommon& job(JobKind k) const;
    /// Position of a dotted key, or {0,0} when it was not written.
    SourcePos pos(const std::string& dotted) const;
};

using ConfigPtr = std::shared_ptr<const Config>;

}  // namespace olmd::config
