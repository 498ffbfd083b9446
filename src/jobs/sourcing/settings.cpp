// Resolves the sourcing configuration into ids once per run (SRC-1, SRC-8
// channel overrides, SRC-13 result statuses, SRC-14 statuses).
#include "olmd/jobs/sourcing/settings.hpp"

#include <algorithm>

#include "olmd/jobs/fraud/normalize.hpp"

namespace olmd::jobs::sourcing {

namespace {

bool contains(const std::vector<RowId>& v, RowId id) {
    return std::find(v.begin(), v.end(), id) != v.end();
}

Result<StatusId> required(const domain::Catalog& c, const std::string& name, const char* key) {
    auto id = c.status_id(name);
    if (!id) return id.error().with_context(key);
    return *id;
}

Result<std::optional<StatusId>> optional_status(const domain::Catalog& c, const std::string& name,
                                                const char* key) {
    if (name.empty()) return std::optional<StatusId>{};
    auto id = c.status_id(name);
    if (!id) return id.error().with_context(key);
    return std::optional<StatusId>{*id};
}

}  // namespace

const ChannelPolicy& Settings::policy(RowId channel) const {
    auto it = channel_policies.find(channel);
    return it == channel_policies.end() ? default_policy : it->second;
}

std::string rule_name(config::FulfillmentRule r) {
    switch (r) {
        case config::FulfillmentRule::manual_priority:
            return "manual_priority";
        case config::FulfillmentRule::closest:
            return "closest";
        case config::FulfillmentRule::highest_available:
            return "highest_available";
    }
    return "?";
}

Result<Settings> resolve_settings(const config::Config& cfg, const domain::Catalog& catalog) {
    const config::SourcingConfig& s = cfg.sourcing;
    Settings out;
    out.hold = catalog.statuses.id(cfg.orders.hold_status).value_or(0);
    for (const auto& name : s.statuses) {
        auto id = required(catalog, name, "[sourcing] statuses");
        if (!id) return id.error();
        if (*id != out.hold && !contains(out.statuses, *id)) out.statuses.push_back(*id);
    }

    struct Want {
        StatusId* into;
        const std::string& name;
        const char* key;
    };
    const auto& r = s.result;
    for (const Want& w :
         {Want{&out.requires_manual_sourcing, r.requires_manual_sourcing,
               "[sourcing.result] requires_manual_sourcing"},
          Want{&out.exception, r.exception, "[sourcing.result] exception"},
          Want{&out.in_shipping, r.in_shipping, "[sourcing.result] in_shipping"},
          Want{&out.in_shipping_split, r.in_shipping_split, "[sourcing.result] in_shipping_split"},
          Want{&out.awaiting_inventory, r.awaiting_inventory, "[sourcing.result] awaiting_inventory"},
          Want{&out.awaiting_dropship, r.awaiting_dropship, "[sourcing.result] awaiting_dropship"},
          Want{&out.awaiting_payment, r.awaiting_payment, "[sourcing.result] awaiting_payment"},
          Want{&out.zip_format_exception, r.zip_format_exception, "[sourcing.result] zip_format_exception"},
          Want{&out.rts_exception, s.ready_to_ship_auth.exception_status,
               "[sourcing.ready_to_ship_auth] exception_status"}}) {
        auto id = required(catalog, w.name, w.key);
        if (!id) return id.error();
        *w.into = *id;
    }
    struct WantOptional {
        std::optional<StatusId>* into;
        const std::string& name;
        const char* key;
    };
    for (const WantOptional& w : {WantOptional{&out.gift_certificates_only, r.gift_certificates_only,
                                               "[sourcing.result] gift_certificates_only"},
                                  WantOptional{&out.club_membership_only, r.club_membership_only,
                                               "[sourcing.result] club_membership_only"},
                                  WantOptional{&out.no_shipping_method, cfg.orders.no_shipping_method_status,
                                               "[orders] no_shipping_method_status"}}) {
        auto id = optional_status(catalog, w.name, w.key);
        if (!id) return id.error();
        *w.into = *id;
    }
    // RA-5: a club order whose ready-to-ship authorization is declined waits for the club retries.
    if (auto id = catalog.statuses.id(cfg.orders.club_cc_exception_status); id) out.club_exception = *id;
    if (auto id = catalog.statuses.id(cfg.orders.partially_shipped_status);
        id && !cfg.orders.partially_shipped_status.empty())
        out.partially_shipped = *id;

    // SRC-14 visits these when they hold backorders; those already in [sourcing] statuses are
    // visited by the main pass, which fills backorders too.
    std::vector<StatusId> waiting = {out.awaiting_inventory, out.in_shipping, out.in_shipping_split};
    if (out.partially_shipped) waiting.push_back(*out.partially_shipped);
    for (StatusId id : waiting)
        if (id != out.hold && !contains(out.statuses, id) && !contains(out.backorder_statuses, id))
            out.backorder_statuses.push_back(id);

    for (const auto& name : s.fully_paid_channels) {
        auto id = catalog.channels.id(name);
        if (!id) return Error{"[sourcing] fully_paid_channels: unknown channel \"" + name + "\""};
        if (!contains(out.fully_paid_channels, *id)) out.fully_paid_channels.push_back(*id);
    }
    out.source_cod = s.source_cod;
    out.partial_shipping = s.partial_shipping;
    out.exclude_drop_ship = s.exclude_drop_ship;
    out.max_line_items = s.manual_review.max_line_items;
    for (const auto& st : s.manual_review.ship_states)
        out.manual_review_states.push_back(fraud::normalize_state(st));
    out.auto_backorder = s.stock.auto_backorder;
    out.auto_fulfill_backorders = s.stock.auto_fulfill_backorders;
    out.jit = s.jit;
    out.dropship = s.dropship;
    out.rts_auth = s.ready_to_ship_auth.enabled;

    const config::FulfillmentConfig& f = cfg.fulfillment;
    out.kits_single_warehouse = f.kits_single_warehouse;
    out.ship_kits_complete = f.ship_kits_complete;
    out.default_policy.rule = f.rule;
    out.default_policy.split = f.split;
    for (const auto& [channel, ov] : f.channel) {
        auto cid = catalog.channels.id(channel);
        if (!cid)
            return Error{"[fulfillment.channel.\"" + channel + "\"]: unknown channel \"" + channel + "\""};
        ChannelPolicy p = out.default_policy;
        if (ov.rule) p.rule = *ov.rule;
        if (ov.split) p.split = *ov.split;
        for (const auto& wname : ov.blacklisted_warehouses) {
            auto wid = catalog.warehouses.id(wname);
            if (!wid)
                return Error{"[fulfillment.channel.\"" + channel +
                             "\"] blacklisted_warehouses: unknown warehouse \"" + wname + "\""};
            if (!contains(p.blacklisted, *wid)) p.blacklisted.push_back(*wid);
        }
        out.channel_policies[*cid] = std::move(p);
    }
    return out;
}

}  // namespace olmd::jobs::sourcing
