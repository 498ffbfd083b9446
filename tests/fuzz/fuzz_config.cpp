// libFuzzer target: the TOML configuration loader and validator (config/loader:
// load_config_text, then check_names against a fixed catalog of database names).
// Input: the text of an olmd.toml.
// Properties: nothing escapes (the loader's catch-all "internal error" is a finding too);
// a syntax error is the only finding; every value the loaded config holds is within the
// bounds of config.md / the loader (never wrapped); an accepted config has one schedule
// per job, and its crons can fire.

#include <cmath>
#include <cstdio>
#include <string>

#include "fuzz_check.hpp"
#include "known_findings.hpp"
#include "olmd/config/loader.hpp"

namespace {

using namespace olmd::config;
using olmd::domain::NameCatalog;

/// The names of the seed database (tests/unit/config_names_test.cpp), plus a few more.
const NameCatalog& catalog() {
    static const NameCatalog c = [] {
        NameCatalog n;
        n.statuses = {"Ready to Process", "Ready to Source", "On Hold", "Shipped", "Partially Shipped",
                      "Non Compliant", "No Shipping Method", "Club CC Exception", "CC Exceptions",
                      "Requires Manual Sourcing", "Inv. Automation Exceptions", "In Shipping",
                      "Awaiting Inventory", "Awaiting Drop-ship Confirmation", "Awaiting Payment",
                      "Format Exception"};
        n.channels = {"Website", "Phone", "Wholesale"};
        n.shipping_methods = {"Ground", "Next Day Air"};
        n.warehouses = {"East", "West"};
        n.unlocated_warehouses = {"West"};
        return n;
    }();
    return c;
}

/// Checks lo <= v <= hi; hi is only checked when `upper` (F2 keeps it off while open).
void bounded(const char* key, double v, double lo, double hi, bool upper = true) {
    char shown[32];
    std::snprintf(shown, sizeof shown, "%.17g", v);
    FUZZ_CHECK(v >= lo && (!upper || v <= hi), std::string(key) + " = " + shown);
}

/// True when some date (Feb 29 counts), on some weekday, passes the cron's own day rule.
bool can_fire(const CronSpec& c) {
    static constexpr unsigned kDays[13] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (unsigned m = 1; m <= 12; ++m)
        for (unsigned d = 1; d <= kDays[m]; ++d)
            for (unsigned w = 0; w < 7; ++w)
                if (c.day_matches(d, m, w)) return true;
    return false;
}

void check_values(const Config& c, bool accepted) {
    const bool spec_upper = !olmd::fuzz::known::kF2SpecUpperBounds;
    bounded("daemon.catch_up_hours", c.daemon.catch_up_hours, 0, 720, spec_upper);
    bounded("daemon.batch_size", c.daemon.batch_size, 1, 100000);
    bounded("daemon.busy_timeout_ms", c.daemon.busy_timeout_ms, 0, 600000, spec_upper);
    bounded("daemon.run_retention_days", c.daemon.run_retention_days, 1, 3650, spec_upper);
    bounded("orders.club_reauth_attempts", c.orders.club_reauth_attempts, 0, 0, false);
    bounded("orders.club_reauth_interval_days", c.orders.club_reauth_interval_days, 1, 0, false);
    bounded("reauth.after_days", c.reauth.after_days, 0, 0, false);
    bounded("fraud.ip_address.timeout_ms", c.fraud.ip_address.timeout_ms, 1, 0, false);
    bounded("sourcing.manual_review.max_line_items", c.sourcing.manual_review.max_line_items, 0, 0, false);
    if (c.monitor.warning_timeout_minutes)
        bounded("monitor.warning_timeout_minutes", *c.monitor.warning_timeout_minutes, 1e-300, 10080, spec_upper);
    FUZZ_CHECK(std::isfinite(c.monitor.repeat_minutes) && c.monitor.repeat_minutes > 0,
               std::to_string(c.monitor.repeat_minutes));
    bounded("smtp.timeout_ms", c.smtp.timeout_ms, 1, 0, false);
    bounded("gateway.timeout_ms", c.gateway.timeout_ms, 1, 0, false);
    bounded("gateway.concurrency", c.gateway.concurrency, 1, 256, spec_upper);
    bounded("gateway.max_retries", c.gateway.max_retries, 0, 0, false);
    bounded("gateway.authorization_valid_days", c.gateway.authorization_valid_days, 1, 30);
    FUZZ_CHECK(c.gateway.currency.size() == 3, c.gateway.currency);
    if (c.fraud.grand_total.threshold) FUZZ_CHECK(*c.fraud.grand_total.threshold >= 0, "threshold");
    for (olmd::JobKind k : olmd::kAllJobs) {
        const Schedule& s = c.job(k).schedule;
        const std::string name(olmd::job_name(k));
        for (std::size_t i = 0; i < s.slots.size(); ++i) {
            const int m = s.slots[i];
            FUZZ_CHECK((m >= 0 || olmd::fuzz::known::kF1SignedSlot) && m <= 1410 && m % 30 == 0,
                       name + " slot " + std::to_string(m));
            FUZZ_CHECK(i == 0 || s.slots[i - 1] < m, name + " slots unsorted");
        }
        if (!accepted) continue;
        FUZZ_CHECK(s.slots.empty() || !s.cron, name + " has slots and cron");
        if (s.cron) FUZZ_CHECK(can_fire(*s.cron) || olmd::fuzz::known::kF3NeverFiringCron, s.cron->text);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(olmd::fuzz::as_text(data, size));
    LoadResult r = load_config_text(text, "fuzz.toml");
    FUZZ_CHECK(r.config != nullptr, "null config");
    bool syntax_error = false;
    for (const Diagnostic& d : r.diagnostics.items) {
        FUZZ_CHECK(!d.message.empty() && d.line >= 0 && d.column >= 0, d.to_string());
        FUZZ_CHECK(d.message.rfind("internal error while reading", 0) != 0, d.to_string());
        syntax_error = syntax_error || d.message.rfind("TOML syntax error", 0) == 0;
    }
    if (syntax_error) FUZZ_CHECK(r.diagnostics.items.size() == 1, r.diagnostics.items.back().to_string());
    check_values(*r.config, r.ok());
    if (r.ok()) {
        Diagnostics names;
        check_names(*r.config, catalog(), names);
        for (const Diagnostic& d : names.items) FUZZ_CHECK(!d.to_string().empty(), d.key);
    }
    return 0;
}
