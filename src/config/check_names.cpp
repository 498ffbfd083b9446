// check_names(): every status/channel/shipping-method/warehouse name in the
// config must exist in the database (case-insensitively).

#include <algorithm>
#include <string>
#include <vector>

#include "olmd/config/loader.hpp"
#include "suggest.hpp"

namespace olmd::config {

namespace {

class NameChecker {
public:
    NameChecker(const Config& cfg, Diagnostics& out) : cfg_(cfg), out_(out) {}

    /// Reports each non-empty name of `names` that is not in `valid`.
    void check(const std::string& key, const std::vector<std::string>& names, const std::vector<std::string>& valid,
               const std::string& kind, const std::string& kinds) {
        std::vector<std::string> sorted = valid;
        std::sort(sorted.begin(), sorted.end(),
                  [](const std::string& a, const std::string& b) { return detail::lower(a) < detail::lower(b); });
        for (const auto& n : names) {
            if (n.empty()) continue;  // "" disables an optional key; required ones were checked at load
            const bool known = std::any_of(valid.begin(), valid.end(),
                                           [&](const std::string& v) { return detail::iequals(v, n); });
            if (known) continue;
            std::string msg = "unknown " + kind + " " + detail::quote_value(n) + "; valid " + kinds + ": ";
            msg += sorted.empty() ? "(none in the database)" : detail::join(sorted, ", ");
            if (auto near = detail::nearest(n, valid)) msg += " (did you mean \"" + *near + "\"?)";
            const SourcePos p = cfg_.pos(key);
            out_.error(cfg_.source_path, p.line, p.column, key, msg);
        }
    }
    /// One status name.
    void status(const std::string& key, const std::string& name, const std::vector<std::string>& valid) {
        check(key, {name}, valid, "status", "statuses");
    }

private:
    const Config& cfg_;
    Diagnostics& out_;
};

}  // namespace

void check_names(const Config& cfg, const domain::NameCatalog& names, Diagnostics& out) {
    NameChecker c(cfg, out);
    const auto& st = names.statuses;

    const auto& o = cfg.orders;
    c.status("orders.hold_status", o.hold_status, st);
    c.status("orders.fully_shipped_status", o.fully_shipped_status, st);
    c.status("orders.partially_shipped_status", o.partially_shipped_status, st);
    c.status("orders.non_compliant_status", o.non_compliant_status, st);
    c.status("orders.no_shipping_method_status", o.no_shipping_method_status, st);
    c.status("orders.club_cc_exception_status", o.club_cc_exception_status, st);
    c.status("orders.club_reauth_success_status", o.club_reauth_success_status, st);

    c.check("capture.statuses", cfg.capture.statuses, st, "status", "statuses");
    c.status("capture.exception_status", cfg.capture.exception_status, st);
    c.check("reauth.statuses", cfg.reauth.statuses, st, "status", "statuses");
    c.status("reauth.exception_status", cfg.reauth.exception_status, st);

    const auto& f = cfg.fraud;
    c.check("fraud.statuses", f.statuses, st, "status", "statuses");
    c.status("fraud.passed_status", f.passed_status, st);
    c.status("fraud.failed_status", f.failed_status, st);
    c.status("fraud.avs.failed_status", f.avs.failed_status, st);
    c.status("fraud.cvv.failed_status", f.cvv.failed_status, st);
    c.check("fraud.channels", f.channels, names.channels, "channel", "channels");
    c.check("fraud.shipping_method.methods", f.shipping_method.methods, names.shipping_methods, "shipping method",
            "shipping methods");

    const auto& s = cfg.sourcing;
    c.check("sourcing.statuses", s.statuses, st, "status", "statuses");
    c.check("sourcing.fully_paid_channels", s.fully_paid_channels, names.channels, "channel", "channels");
    c.status("sourcing.ready_to_ship_auth.exception_status", s.ready_to_ship_auth.exception_status, st);
    for (const auto& [key, value] : s.result.named()) c.status(std::string("sourcing.result.") + key, *value, st);

    for (const auto& [channel, ov] : cfg.fulfillment.channel) {
        const std::string base = "fulfillment.channel." + channel;
        c.check(base, {channel}, names.channels, "channel", "channels");
        c.check(base + ".blacklisted_warehouses", ov.blacklisted_warehouses, names.warehouses, "warehouse",
                "warehouses");
    }

    // SRC-8: under `closest`, a warehouse without a location is ranked after every located one.
    if (!names.unlocated_warehouses.empty()) {
        std::vector<std::string> keys;
        if (cfg.fulfillment.rule == FulfillmentRule::closest) keys.push_back("fulfillment.rule");
        for (const auto& [channel, ov] : cfg.fulfillment.channel)
            if (ov.rule == FulfillmentRule::closest) keys.push_back("fulfillment.channel." + channel + ".rule");
        for (const auto& key : keys) {
            const SourcePos p = cfg.pos(key);
            out.warning(cfg.source_path, p.line, p.column, key,
                        "rule = \"closest\" but warehouse(s) " + detail::join(names.unlocated_warehouses, ", ") +
                            " have no location (latitude/longitude, or a postal_code found in zip_codes): they are "
                            "ranked after every located warehouse; set their coordinates or postal_code (SRC-8)");
        }
    }
}

}  // namespace olmd::config
