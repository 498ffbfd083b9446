// SRC-7 / SRC-14 ship_kits_complete: no unit of a kit goes into a shipment until
// every component unit of that kit — stock, reserved, jit and drop-ship alike —
// is assigned at a warehouse.
//   main pass: all assignable now -> all assigned (reservations consumed). Else the
//     kit waits: its reserved and stock units are held as backordered at the kit's
//     warehouse (a reservation is kept, not consumed; without auto_backorder they
//     stay unsourced), its jit units are queued. A drop-ship component cannot ship
//     with its kit: it is taken from stock when stock is available, otherwise the
//     whole kit stays unsourced (reason kit_incomplete).
//   SRC-14: the kit's backorders (their kept reservations first) and its jit units
//     on the purchase-order queue (a jit receipt) are filled all at once, or none.
#include <algorithm>

#include "jobs/sourcing/unit_planner.hpp"

namespace olmd::jobs::sourcing {


void UnitPlanner::source_complete_kit(const LineGroup& g, std::vector<Need>& needs, const Warehouse* single) {
    const std::string kit = "kit line " + std::to_string(g.kit->id);
    // The kit's warehouse: the order's (split = false) or the kit's (kits_single_warehouse: its
    // reserved one) single warehouse, else where a component is reserved, else the first-ranked
    // that can assign every component unit sourced from stock. Reserved units stay where reserved.
    const Warehouse* home = single;
    for (const Need& n : needs)
        for (const Reservation& r : o_.reservations)
            if (r.line_id == n.line->id && home == nullptr) home = in_.ref.warehouse(r.warehouse_id);
    if (home == nullptr && ranker_) {
        std::vector<const Need*> ptrs;
        for (const Need& n : needs) ptrs.push_back(&n);
        home = choose_single(ptrs, kit + " (ship_kits_complete)", {});
    }
    const bool one_place = single != nullptr || s_.kits_single_warehouse || !policy_.split;
    const Warehouse* from_one = one_place ? home : nullptr;

    const StockMark mark = in_.stock.mark();
    const std::size_t assigns = out_.plan.assigns.size();
    bool complete = true, dropship_short = false;
    for (const Need& n : needs) {
        std::int64_t rest = n.units;
        for (const Reservation& r : o_.reservations)
            if (r.line_id == n.line->id) {
                assign_reserved(r, r.quantity);
                rest -= r.quantity;
            }
        if (rest <= 0) continue;
        const bool stock_ok = n.sku->method == Method::stock || n.sku->method == Method::dropship ||
                              (n.sku->method == Method::jit && from_stock_first(n));
        if (!stock_ok || (from_one == nullptr && one_place) || !ranker_) {
            complete = false;
            // A drop-ship component that cannot come from stock cannot ship with its kit.
            if (n.sku->method == Method::dropship) dropship_short = true;
            continue;
        }
        if (take(n, rest, allowed(n, from_one)) > 0) {
            complete = false;
            if (n.sku->method == Method::dropship) dropship_short = true;
        }
    }
    if (complete) {
        note([&] { return "SRC-7 " + kit + ": ship_kits_complete: every component unit assigned"; });
        return;
    }
    in_.stock.undo_to(mark);
    out_.plan.assigns.resize(assigns);
    if (dropship_short) {
        out_.plan.incomplete_kits.push_back(g.kit->id);
        note([&] {
            return "SRC-7 " + kit +
                   ": ship_kits_complete: a drop-ship component is not in stock and cannot ship with its kit: "
                   "the kit's units stay unsourced (kit_incomplete)";
        });
        return;
    }
    note([&] {
        return "SRC-7 " + kit + ": ship_kits_complete: not every component unit can be assigned now: the kit waits " +
               "(reserved and stock units backordered at " + (home ? home->name : std::string("no warehouse")) +
               ", reservations kept; jit units queued)";
    });
    for (const Need& n : needs) {
        if (!out_.bad_data.empty()) return;
        std::int64_t rest = n.units;
        for (const Reservation& r : o_.reservations)
            if (r.line_id == n.line->id) {
                rest -= r.quantity;
                if (s_.auto_backorder) out_.plan.backorders.push_back(BackorderStep{n.line->id, r.warehouse_id, r.quantity});
            }
        if (rest <= 0) continue;
        if (n.sku->method == Method::jit) {
            to_vendor(n, rest);
            continue;
        }
        std::vector<RankedWarehouse> at;
        if (home != nullptr) at.push_back(RankedWarehouse{home, std::nullopt, 0});
        backorder(n, rest, at.empty() ? allowed(n, from_one) : at);
    }
}

void fill_complete_kit(const SourcingOrder& o, const LineGroup& g, PlanInput& in, PlanOutcome& out,
                       const std::optional<WarehouseRanker>& ranker, const Warehouse* order_home) {
    const ChannelPolicy& policy = in.settings.policy(o.channel_id);
    const bool one_place = !policy.split || in.settings.kits_single_warehouse;
    // The kit's warehouse: the order's (split = false), else where its backorders are held if it
    // may still be used, else the first-ranked that can assign all of it.
    const Warehouse* home = policy.split ? nullptr : order_home;
    for (const OrderLine* l : g.lines)
        for (const Allocation& a : o.allocations)
            if (a.line_id == l->id && a.kind == AllocKind::backordered && a.warehouse_id && home == nullptr)
                home = in.ref.warehouse(*a.warehouse_id);
    if (home != nullptr && !usable_warehouse(home, policy)) home = nullptr;
    if (home == nullptr && ranker) home = first_able(*ranker, waiting_units(o, &g.lines), in.stock.inventory, false);
    const StockMark mark = in.stock.mark();
    const std::size_t assigns = out.plan.assigns.size();
    bool complete = true, any = false;
    for (const OrderLine* l : g.lines) {
        if (uncovered_units(o, *l) > 0) complete = false;  // the main pass sources those
        std::vector<Reservation> kept;
        for (const Reservation& r : o.reservations)
            if (r.line_id == l->id) kept.push_back(r);
        for (const Allocation& a : o.allocations) {
            if (a.line_id != l->id || a.kind == AllocKind::assigned) continue;
            if (a.kind == AllocKind::dropship) {
                complete = false;
                continue;
            }
            any = true;
            std::int64_t left = a.quantity;
            // A backorder holding a kept reservation: the reserved units are its own.
            if (a.kind == AllocKind::backordered)
                for (Reservation& r : kept)
                    if (a.warehouse_id && r.warehouse_id == *a.warehouse_id && r.quantity > 0 && left > 0) {
                        const std::int64_t n = std::min(r.quantity, left);
                        AssignStep s{l->id, l->sku_id, r.warehouse_id, n, r.id, a.id, a.kind, a.vendor_id};
                        out.plan.assigns.push_back(s);
                        r.quantity -= n;
                        left -= n;
                    }
            std::vector<const Warehouse*> from;
            if (one_place) {
                if (home != nullptr) from.push_back(home);
            } else if (ranker) {
                for (const RankedWarehouse& r : ranker->for_sku(l->sku_id, in.stock.inventory)) from.push_back(r.warehouse);
            }
            for (const Warehouse* w : from) {
                const std::int64_t n = std::min(left, in.stock.inventory.available(l->sku_id, w->id));
                if (n <= 0) continue;
                in.stock.inventory.take(l->sku_id, w->id, n);
                AssignStep s{l->id, l->sku_id, w->id, n, std::nullopt, a.id, a.kind, a.vendor_id};
                out.plan.assigns.push_back(s);
                left -= n;
                if (left == 0) break;
            }
            if (left > 0) complete = false;
        }
    }
    if (complete && any) {
        if (in.trace)
            in.trace->push_back("SRC-14 kit line " + std::to_string(g.kit->id) +
                                ": ship_kits_complete: every outstanding component unit can be assigned now");
        return;
    }
    in.stock.undo_to(mark);
    out.plan.assigns.resize(assigns);
    if (in.trace && any)
        in.trace->push_back("SRC-14 kit line " + std::to_string(g.kit->id) +
                            ": ship_kits_complete: not every outstanding unit can be assigned: the kit keeps waiting");
}

}  // namespace olmd::jobs::sourcing
