// Legal but risky combinations of settings, reported as warnings (config.md).

#include <string>
#include <vector>

#include "checks.hpp"
#include "section_readers.hpp"
#include "suggest.hpp"

namespace olmd::config::detail {

namespace {

/// FR-13: a status in both input lists lets orders be sourced without fraud review.
void warn_fraud_bypass(LoadContext& ctx) {
    const Config& c = ctx.cfg;
    if (!c.fraud.enabled || !c.sourcing.enabled) return;
    for (const auto& s : c.sourcing.statuses) {
        for (const auto& f : c.fraud.statuses) {
            if (!iequals(s, f)) continue;
            ctx.warning("sourcing.statuses", ctx.first_pos({"sourcing.statuses", "fraud.statuses", "sourcing.enabled"}),
                        "status \"" + s + "\" is in both [fraud] statuses and [sourcing] statuses: at a slot where "
                        "sourcing runs and fraud does not, such orders are sourced without fraud review (FR-13)");
            break;
        }
    }
}

/// SRC-4 vs CAP-3: payment is captured only after full shipment, but these
/// channels are sourced only once fully paid, so their orders can never be sourced.
void warn_unsourceable_channels(LoadContext& ctx) {
    const Config& c = ctx.cfg;
    if (!c.capture.enabled || c.capture.available_when != AvailableWhen::order_fully_shipped) return;
    for (const auto& ch : c.sourcing.fully_paid_channels)
        ctx.warning("sourcing.fully_paid_channels",
                    ctx.first_pos({"sourcing.fully_paid_channels", "capture.available_when"}),
                    "channel \"" + ch + "\" must be fully paid before sourcing, but [capture] available_when = "
                    "\"order_fully_shipped\" captures only after shipment: its orders can never be sourced "
                    "(SRC-4, CAP-3)");
}

void warn_no_schedule(LoadContext& ctx) {
    for (JobKind k : kAllJobs) {
        const JobCommon& j = ctx.cfg.job(k);
        const std::string name(job_name(k));
        // A schedule that failed to parse was already reported as an error.
        const bool bad_schedule = ctx.has_error(name + ".slots") || ctx.has_error(name + ".cron");
        if (j.enabled && !j.schedule.any() && !bad_schedule)
            ctx.warning(name + ".enabled", ctx.first_pos({name + ".enabled", name}),
                        "[" + name + "] is enabled but has neither slots nor cron, so it never runs on a schedule "
                        "(only with run-once) (SCH-1)");
    }
}

/// A fraud test switched on whose list is empty can never fail.
void warn_empty_fraud_lists(LoadContext& ctx) {
    const FraudConfig& f = ctx.cfg.fraud;
    const std::pair<const char*, bool> method_tests[] = {
        {"shipping_method", f.shipping_method.enabled},
        {"grand_total_and_shipping_method", f.grand_total_and_shipping_method.enabled}};
    for (const auto& [test, on] : method_tests) {
        if (!on || !f.shipping_method.methods.empty()) continue;
        const std::string key = std::string("fraud.") + test + ".enabled";
        ctx.warning(key, ctx.pos(key),
                    "[fraud." + std::string(test) + "] is enabled but [fraud.shipping_method] methods is empty, "
                    "so the test never fails (FR-3, FR-4)");
    }
    const auto& b = f.blacklist;
    const struct {
        const char* flag;
        const char* list;
        bool on;
        bool empty;
    } lists[] = {{"check_zips", "zips", b.check_zips, b.zips.empty()},
                 {"check_cities", "cities", b.check_cities, b.cities.empty()},
                 {"check_states", "states", b.check_states, b.states.empty()},
                 {"check_names", "names", b.check_names, b.names.empty()},
                 {"check_addresses", "addresses", b.check_addresses, b.addresses.empty()},
                 {"check_emails", "emails", b.check_emails, b.emails.empty()}};
    for (const auto& l : lists) {
        if (!l.on || !l.empty) continue;
        const std::string key = std::string("fraud.blacklist.") + l.flag;
        ctx.warning(key, ctx.pos(key),
                    std::string(l.flag) + " is true but the \"" + l.list + "\" list is empty, so it never fails (FR-9)");
    }
}

/// CAP-2: an empty filter with capture on creation captures orders in every status.
void warn_capture_everything(LoadContext& ctx) {
    const CaptureConfig& c = ctx.cfg.capture;
    if (!c.enabled || !c.statuses.empty() || c.available_when != AvailableWhen::order_created) return;
    ctx.warning("capture.statuses", ctx.first_pos({"capture.statuses", "capture.enabled"}),
                "empty with available_when = \"order_created\": payments of orders in every status (except the "
                "hold status) are captured, exception and voided ones included; list the statuses to capture (CAP-2)");
}

/// MON-1: monitor email needs both keys.
void warn_half_monitor(LoadContext& ctx) {
    const MonitorConfig& m = ctx.cfg.monitor;
    if (ctx.has_error("monitor.warning_emails") || ctx.has_error("monitor.warning_timeout_minutes")) return;
    const bool emails = !m.warning_emails.empty();
    const bool timeout = m.warning_timeout_minutes.has_value();
    if (emails == timeout) return;
    const std::string set = emails ? "warning_emails" : "warning_timeout_minutes";
    const std::string missing = emails ? "warning_timeout_minutes" : "warning_emails";
    ctx.warning("monitor." + set, ctx.pos("monitor." + set),
                "is set but " + missing + " is not, so no monitor email will ever be sent (MON-1)");
}

/// OPS-11: allow_plaintext_auth to a host that is not loopback sends the password in clear.
void warn_plaintext_auth(LoadContext& ctx) {
    const SmtpConfig& m = ctx.cfg.smtp;
    if (!m.allow_plaintext_auth || m.username.empty() || m.url.starts_with("smtps://")) return;
    std::string host = m.url.substr(m.url.find("://") + 3);
    host = host.substr(0, host.find_first_of("/?#"));
    if (host.starts_with('[')) host = host.substr(1, host.find(']') - 1);
    else host = host.substr(0, host.find(':'));
    if (is_loopback_host(host)) return;
    ctx.warning("smtp.allow_plaintext_auth", ctx.pos("smtp.allow_plaintext_auth"),
                "true with username set and " + quote_value(m.url) +
                    ": when the server offers no STARTTLS the password is sent in clear text over the network; "
                    "prefer STARTTLS or smtps:// (OPS-11)");
}

}  // namespace

void check_warnings(LoadContext& ctx) {
    warn_plaintext_auth(ctx);
    warn_fraud_bypass(ctx);
    warn_unsourceable_channels(ctx);
    warn_no_schedule(ctx);
    warn_empty_fraud_lists(ctx);
    warn_capture_everything(ctx);
    warn_half_monitor(ctx);
}

}  // namespace olmd::config::detail
