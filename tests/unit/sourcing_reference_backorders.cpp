// The sourcing reference's later steps (sourcing_reference_planner.hpp): SRC-14 backordered
// and queued jit units becoming assignments as stock arrives, SRC-16 drop-ship units, and
// SRC-13 the status that results over all the order's units. Each step quotes the rule it
// follows.
#include "unit/sourcing_reference_planner.hpp"

namespace olmd::test::ref::detail {

void Planner::fill_backorders() {
    // SRC-14: backordered units, and jit units on the purchase-order queue, become assignments.
    const auto r = ranked();
    auto is_waiting = [&](const Alloc& a) {
        const Line* l = nullptr;
        for (const Line& x : o.lines)
            if (x.id == a.line) l = &x;
        return a.qty > 0 && (a.kind == "backordered" || (a.kind == "po_queue" && sku_of(*l).method == "jit"));
    };
    auto line_of = [&](Id id) -> const Line& {
        for (const Line& x : o.lines)
            if (x.id == id) return x;
        return o.lines.front();
    };
    // split = false fills at the order's warehouse; when it has become inactive or blacklisted the
    // backorders move to the warehouse SRC-8 now chooses.
    std::optional<Id> home;
    if (!cfg.split) {
        std::set<Id> held;
        for (const Alloc& a : allocs)
            if ((a.kind == "backordered" || a.kind == "assigned") && a.wh) held.insert(*a.wh);
        if (held.size() > 1) loose("SRC-14 split=false: the order's units are at two warehouses");
        if (!held.empty() && usable(*held.begin())) {
            home = *held.begin();
        } else {
            Units all, stock_only;
            for (const Alloc& a : allocs)
                if (is_waiting(a)) {
                    all[line_of(a.line).sku] += a.qty;
                    if (a.kind == "backordered") stock_only[line_of(a.line).sku] += a.qty;
                }
            std::optional<Id> got[2];
            for (int i = 0; i < 2; ++i) {
                for (Id x : r)
                    if (!got[i] && can_assign(x, i == 0 ? all : stock_only)) got[i] = x;
                if (!got[i] && !r.empty()) got[i] = r.front();
            }
            if (got[0] != got[1]) loose("SRC-14: SRC-8's new warehouse depends on the reading of 'stock unit'");
            home = got[0];
        }
    }
    bool changed = false;
    for (const Line& top : o.lines) {
        if (top.parent) continue;
        const auto g = group_lines(top);
        const bool kit = sku_of(top).kind == "kit";
        std::optional<Id> at = home;
        if (kit && cfg.kits_single_warehouse && cfg.split) {  // SRC-7's one warehouse still holds
            std::set<Id> held;
            for (const Line* l : g)
                for (const Alloc& a : allocs)
                    if (a.line == l->id && a.wh && (a.kind == "assigned" || a.kind == "backordered")) held.insert(*a.wh);
            if (held.size() != 1 || !usable(*held.begin())) loose("SRC-14 kits_single_warehouse: the kit's warehouse is not one usable warehouse");
            if (!held.empty()) at = *held.begin();
        }
        const std::vector<Id> from = at ? std::vector<Id>{*at} : (cfg.split ? r : std::vector<Id>{});
        if (kit && cfg.ship_kits_complete) {
            // Fill the kit only when all of it can be assigned.
            bool any = false, complete = true;
            for (const Line* l : g) {
                std::int64_t covered = 0;
                for (const Alloc& a : allocs)
                    if (a.line == l->id) {
                        covered += a.qty;
                        any = any || is_waiting(a);
                        complete = complete && (a.kind == "assigned" || is_waiting(a));
                    }
                complete = complete && covered == l->qty;
            }
            if (!any) continue;
            for (const Reservation& x : o.reservations)
                if (!usable(x.wh)) loose("SRC-14: a kept reservation at a warehouse no longer usable");
            const auto saved = w.available;
            const std::size_t mark = allocs.size();
            const auto ship_mark = new_assigned_at;
            std::vector<Alloc> kept;
            std::vector<std::pair<Alloc, std::int64_t>> received;  // jit queue allocations filled
            for (std::size_t i = 0; i < mark; ++i) {
                Alloc a = allocs[i];
                if (std::find_if(g.begin(), g.end(), [&](const Line* l) { return l->id == a.line; }) == g.end() ||
                    !is_waiting(a)) {
                    kept.push_back(a);
                    continue;
                }
                std::int64_t left = a.qty;
                for (const Reservation& x : o.reservations)  // a kept reservation is its own unit
                    if (x.line == a.line && a.kind == "backordered" && a.wh == x.wh && left > 0 && !consumed.count(x.id)) {
                        add(a.line, "assigned", std::min(left, x.qty), x.wh);
                        left -= std::min(left, x.qty);
                        consumed.insert(x.id);
                    }
                const std::int64_t before_take = left;
                left = take(line_of(a.line), left, from);
                if (a.kind == "po_queue") received.emplace_back(a, before_take - left);
                if (left > 0) complete = false;
            }
            if (complete) {
                std::vector<Alloc> next = kept;
                next.insert(next.end(), allocs.begin() + static_cast<std::ptrdiff_t>(mark), allocs.end());
                for (const auto& [a, n] : received) shrink_queue(a, line_of(a.line).sku, n);
                allocs = next;
                changed = true;
            } else {
                w.available = saved;
                allocs.resize(mark);
                new_assigned_at = ship_mark;
                for (const Reservation& x : o.reservations) consumed.erase(x.id);
                // Backorders at a warehouse no longer usable move (split = false) or go somewhere (not fixed).
                for (Alloc& a : allocs)
                    if (a.kind == "backordered" && a.wh && !usable(*a.wh) &&
                        std::find_if(g.begin(), g.end(), [&](const Line* l) { return l->id == a.line; }) != g.end()) {
                        loose("SRC-14 ship_kits_complete: a waiting kit's backorder at an unusable warehouse");
                    }
            }
            continue;
        }
        for (const Line* l : g)
            for (std::size_t i = 0; i < allocs.size(); ++i) {
                if (allocs[i].line != l->id || allocs[i].id == 0 || !is_waiting(allocs[i])) continue;
                Alloc a = allocs[i];
                const std::int64_t left = take(*l, a.qty, from);
                const std::int64_t filled = a.qty - left;
                if (filled > 0) changed = true;
                if (a.kind == "po_queue") shrink_queue(a, l->sku, filled);
                allocs[i].qty = left;
                if (left > 0 && a.kind == "backordered" && !usable(*a.wh) && (cfg.split ? !r.empty() : home.has_value())) {
                    allocs[i].wh = cfg.split ? std::optional<Id>(-1) : home;  // moved (split = true: not fixed)
                    changed = true;
                }
                allocs[i].id = -1;  // visited
            }
    }
    finish(true, changed);
}

void Planner::finish(bool src14, bool changed) {
    // SRC-13 over all the order's units.
    std::int64_t physical_units = 0, unsourced = 0, unsourced_outside_kits = 0, waiting = 0, dropship = 0;
    for (const Line& l : o.lines) {
        if (!physical(l)) continue;
        physical_units += l.qty;
        std::int64_t covered = 0;
        for (const Alloc& a : allocs)
            if (a.line == l.id) {
                covered += a.qty;
                e.lines[l.id][{a.kind, a.kind == "po_queue" || a.kind == "dropship" ? *a.vendor : a.wh.value_or(-1)}] += a.qty;
                if (a.kind == "backordered" || a.kind == "po_queue") waiting += a.qty;
                if (a.kind == "dropship") dropship += a.qty;
            }
        if (covered < l.qty && !e.lines.count(l.id)) e.lines[l.id] = {};
        unsourced += l.qty - covered;
        if (!(l.parent && incomplete_kits.count(*l.parent))) unsourced_outside_kits += l.qty - covered;
    }
    for (auto& [line, m] : e.lines)
        for (auto it = m.begin(); it != m.end();) it = it->second == 0 ? m.erase(it) : std::next(it);
    if (e.status) return;  // bad data decided already
    std::set<Id> new_at = new_assigned_at;
    for (const Shipment& s : w.shipments)
        if (s.order == o.id && s.status == "New") new_at.insert(s.wh);
    const std::int64_t shipments = static_cast<std::int64_t>(new_at.size());
    const std::string in_shipping = new_at.size() > 1 ? kIss : kIs;
    std::string to = o.status;
    if (physical_units == 0) {
        to = kRms, e.reason = "nothing_to_source";
    } else if (unsourced > 0) {
        to = kRms;
        e.reason = incomplete_kits.empty() ? "unsourced" : unsourced_outside_kits == 0 ? "kit_incomplete" : "";
    } else if (cfg.partial) {
        if (shipments >= 1) to = in_shipping;
        else if (waiting > 0) to = kAi;
        else if (dropship > 0) to = kAd;
    } else {
        if (shipments >= 1 && waiting == 0 && (dropship == 0 || cfg.exclude_drop_ship)) to = in_shipping;
        else if (waiting > 0) to = o.status == kPs ? o.status : kAi;
        else if (dropship > 0) to = kAd;
    }
    // SRC-14: a visit "recomputes the status by SRC-13", whether or not anything was filled.
    (void)src14;
    (void)changed;
    e.status = to;
    if (to == o.status) e.reason.clear();  // a transition to the same status writes nothing
}

}  // namespace olmd::test::ref::detail
