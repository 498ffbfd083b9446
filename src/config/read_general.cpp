// Readers of the non-job sections: [daemon], [orders], [fulfillment], [monitor],
// [metrics], [smtp], [gateway].

#include <date/tz.h>

#include <algorithm>
#include <cctype>
#include <exception>
#include <map>
#include <stdexcept>

#include "section_readers.hpp"
#include "suggest.hpp"

namespace olmd::config::detail {

namespace {

/// Why an email address is unusable (header injection, no @), or "" when it is fine.
std::string email_problem(const std::string& a) {
    if (a.find_first_of("\r\n") != std::string::npos) return "must not contain line breaks";
    if (std::any_of(a.begin(), a.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
        return "must not contain control characters";
    const auto at = a.rfind('@');
    if (at == std::string::npos || at == 0 || at + 1 == a.size()) return "is not an email address (user@host)";
    return "";
}

bool all_alpha(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
}

bool starts_with_any(const std::string& s, std::initializer_list<std::string_view> prefixes) {
    return std::any_of(prefixes.begin(), prefixes.end(), [&](std::string_view p) { return s.starts_with(p); });
}

/// A Stripe API version: a date YYYY-MM-DD, optionally followed by a release name (".acacia").
bool is_stripe_api_version(const std::string& v) {
    if (v.size() < 10 || v[4] != '-' || v[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (!std::isdigit(static_cast<unsigned char>(v[i]))) return false;
    const int month = std::stoi(v.substr(5, 2)), day = std::stoi(v.substr(8, 2));
    if (month < 1 || month > 12 || day < 1 || day > 31) return false;
    if (v.size() == 10) return true;
    return v[10] == '.' && v.size() > 11 && all_alpha(v.substr(11));
}

/// One week: the bound of [monitor]'s minute settings (config.md).
constexpr double kMinutesPerWeek = 10080;

}  // namespace

void read_daemon(TableReader r, DaemonConfig& c) {
    if (r.text("database", c.database) && c.database.empty()) {
        r.error("database", "must not be empty (default \"/var/lib/olmd/olmd.db\")");
        c.database = DaemonConfig{}.database;
    }
    std::string tz;
    if (r.text("timezone", tz) && !tz.empty()) {
        try {
            // An IANA name is never a path: no zone file outside the tz database is ever opened.
            if (tz.size() > 64 || tz.front() == '/' || tz.find("..") != std::string::npos ||
                tz.find('\0') != std::string::npos)
                throw std::runtime_error("not an IANA name");
            (void)date::locate_zone(tz);
            c.timezone = tz;
        } catch (const std::exception&) {
            r.error("timezone", "unknown time zone " + quote_value(tz) +
                                    "; write an IANA name such as \"America/New_York\" or \"UTC\", "
                                    "or \"\" for the system zone");
        }
    }
    r.text("password_file", c.password_file);
    r.integer("standby_poll_seconds", c.standby_poll_seconds, 1, 300);
    r.integer("catch_up_hours", c.catch_up_hours, 0, 720);
    r.integer("batch_size", c.batch_size, 1, 100000);
    r.integer("busy_timeout_ms", c.busy_timeout_ms, 0, 600000);
    r.text("lock_file", c.lock_file);
    const std::vector<std::string_view> levels = {"trace", "debug", "info", "warn", "warning", "error", "critical", "off"};
    if (auto i = r.choice_index("log_level", levels)) c.log_level = std::string(levels[*i]);
    r.integer("run_retention_days", c.run_retention_days, 1, 3650);
    r.finish();
}

void read_orders(TableReader r, OrdersConfig& c) {
    r.name("hold_status", c.hold_status, false);
    r.name("fully_shipped_status", c.fully_shipped_status, false);
    r.name("partially_shipped_status", c.partially_shipped_status, false);
    r.name("non_compliant_status", c.non_compliant_status, false);
    r.name("no_shipping_method_status", c.no_shipping_method_status, true);
    r.name("club_cc_exception_status", c.club_cc_exception_status, false);
    r.integer("club_reauth_attempts", c.club_reauth_attempts, 0, 100);
    r.integer("club_reauth_interval_days", c.club_reauth_interval_days, 1, 365);
    r.name("club_reauth_success_status", c.club_reauth_success_status, false);
    r.finish();
}

void read_fulfillment(TableReader r, FulfillmentConfig& c) {
    static const std::initializer_list<std::pair<std::string_view, FulfillmentRule>> kRules = {
        {"manual_priority", FulfillmentRule::manual_priority},
        {"closest", FulfillmentRule::closest},
        {"highest_available", FulfillmentRule::highest_available}};
    r.choice("rule", c.rule, kRules);
    r.boolean("split", c.split);
    r.boolean("kits_single_warehouse", c.kits_single_warehouse);
    r.boolean("ship_kits_complete", c.ship_kits_complete);

    TableReader channels = r.section("channel");
    std::map<std::string, std::string> seen;  // lower-case name -> name as first written
    for (const std::string& name : channels.keys()) {
        TableReader ch = channels.section(name);
        FulfillmentConfig::ChannelOverride o;
        ch.choice("rule", o.rule, kRules);
        ch.boolean("split", o.split);
        ch.list("blacklisted_warehouses", o.blacklisted_warehouses);
        ch.finish();
        if (name.empty()) {
            channels.error(name, "a channel name must not be empty");
            continue;
        }
        const auto [it, fresh] = seen.emplace(lower(name), name);
        if (!fresh) {
            channels.error(name, "channel " + quote_value(name) + " is configured twice (also as \"" + it->second +
                                     "\"); channel names are matched case-insensitively");
            continue;
        }
        c.channel[name] = std::move(o);
    }
    channels.finish();
    r.finish();
}

void read_monitor(TableReader r, MonitorConfig& c) {
    std::vector<std::string> emails;
    if (r.list("warning_emails", emails)) {
        bool ok = true;
        for (const auto& e : emails) {
            if (auto why = email_problem(e); !why.empty()) {
                r.error("warning_emails", quote_value(e) + " " + why);
                ok = false;
            }
        }
        if (ok) c.warning_emails = std::move(emails);
    }
    r.positive_number("warning_timeout_minutes", c.warning_timeout_minutes, kMinutesPerWeek);
    r.positive_number("repeat_minutes", c.repeat_minutes, kMinutesPerWeek);
    r.finish();
}

void read_metrics(TableReader r, MetricsConfig& c) {
    r.text("textfile", c.textfile);
    r.finish();
}

void read_smtp(TableReader r, SmtpConfig& c) {
    std::string url;
    if (r.text("url", url)) {
        if (starts_with_any(url, {"smtp://", "smtps://"})) c.url = url;
        else r.error("url", "expected an \"smtp://host[:port]\" or \"smtps://host[:port]\" URL, got " + quote_value(url));
    }
    std::string from;
    if (r.text("from", from) && !from.empty()) {
        if (auto why = email_problem(from); why.empty()) c.from = from;
        else r.error("from", quote_value(from) + " " + why);
    }
    r.text("username", c.username);
    r.text("password_file", c.password_file);
    r.boolean("require_tls", c.require_tls);
    r.boolean("allow_plaintext_auth", c.allow_plaintext_auth);
    r.integer("timeout_ms", c.timeout_ms, 1, 600000);
    r.finish();
}

void read_gateway(TableReader r, GatewayConfig& c) {
    r.choice("kind", c.kind, {{"sandbox", GatewayKind::sandbox}, {"stripe", GatewayKind::stripe}});
    std::string url;
    if (r.text("url", url)) {
        if (auto why = secret_url_problem(url); why.empty()) c.url = url;
        else r.error("url", why);
    }
    r.text("api_key_file", c.api_key_file);
    r.integer("timeout_ms", c.timeout_ms, 1, 600000);
    r.integer("concurrency", c.concurrency, 1, 256);
    std::string currency;
    if (r.text("currency", currency)) {
        if (currency.size() == 3 && all_alpha(currency)) c.currency = lower(currency);
        else r.error("currency", "expected a three-letter ISO 4217 code such as \"usd\", got " + quote_value(currency));
    }
    r.integer("max_retries", c.max_retries, 0, 10);
    std::string version;
    if (r.text("stripe_api_version", version)) {
        if (is_stripe_api_version(version)) c.stripe_api_version = version;
        else r.error("stripe_api_version", "expected a Stripe API version such as \"2023-08-16\", got " + quote_value(version));
    }
    r.integer("authorization_valid_days", c.authorization_valid_days, 1, 30);
    r.finish();
}

}  // namespace olmd::config::detail
