// SRC-14: turning backordered units, and just-in-time units on the purchase-order
// queue, into assignments as stock becomes available.
#include "olmd/jobs/sourcing/backorders.hpp"

#include <algorithm>

#include "jobs/sourcing/unit_planner.hpp"

namespace olmd::jobs::sourcing {

bool has_backorders(const SourcingOrder& o) {
    return std::any_of(o.allocations.begin(), o.allocations.end(), [](const Allocation& a) {
        return (a.kind == AllocKind::backordered || a.kind == AllocKind::po_queue) && a.quantity > 0;
    });
}

namespace {

/// Adds an explain line (built only when explaining).
template <class F>
void note(PlanInput& in, F&& line) {
    if (in.trace) in.trace->push_back(line());
}

std::string name_of(const Warehouse* w) { return w ? w->name : std::string("?"); }

/// split = false: the warehouse the order's waiting units are filled at — the one holding its
/// backorders or assigned units while it may be used, else the one SRC-8 now chooses (the
/// first-ranked that can assign every waiting unit, else the first-ranked).
const Warehouse* order_warehouse(const SourcingOrder& o, PlanInput& in, const ChannelPolicy& policy,
                                 const std::optional<WarehouseRanker>& ranker, bool& moved) {
    moved = false;
    const Warehouse* held = nullptr;
    for (const Allocation& a : o.allocations)
        if ((a.kind == AllocKind::backordered || a.kind == AllocKind::assigned) && a.warehouse_id && held == nullptr)
            held = in.ref.warehouse(*a.warehouse_id);
    if (held != nullptr && usable_warehouse(held, policy)) return held;
    if (!ranker) return nullptr;
    moved = held != nullptr;
    return first_able(*ranker, waiting_units(o, nullptr), in.stock.inventory, true);
}

}  // namespace

void fill_backorders(const SourcingOrder& o, PlanInput& in, PlanOutcome& out) {
    if (!out.bad_data.empty() || !in.settings.auto_fulfill_backorders || !has_backorders(o)) return;
    const ChannelPolicy& policy = in.settings.policy(o.channel_id);
    std::optional<WarehouseRanker> ranker;
    RankerOutcome r = WarehouseRanker::make(policy, in.ref, in.zip5, in.origin);
    if (!r.ranker) {
        out.bad_data = r.bad_data;
        note(in, [&] { return std::string("bad data: " + r.bad_data); });
        return;
    }
    ranker = std::move(r.ranker);
    bool moved = false;
    const Warehouse* home = policy.split ? nullptr : order_warehouse(o, in, policy, ranker, moved);
    if (moved)
        note(in, [&] {
            return "SRC-14 split = false and the order's warehouse is inactive or blacklisted: its backorders move to " +
                   name_of(home) + " (SRC-8 now)";
        });
    for (const LineGroup& g : physical_groups(o, in.ref)) {
        if (g.kit != nullptr && in.settings.ship_kits_complete) {
            fill_complete_kit(o, g, in, out, ranker, home);
            continue;
        }
        // kits_single_warehouse with split = true: a kit's units are filled at the kit's warehouse.
        const Warehouse* group_home = home;
        if (group_home == nullptr && g.kit != nullptr && in.settings.kits_single_warehouse) {
            for (const OrderLine* l : g.lines)
                for (const Allocation& a : o.allocations)
                    if (a.line_id == l->id && a.warehouse_id && group_home == nullptr &&
                        (a.kind == AllocKind::assigned || a.kind == AllocKind::backordered))
                        group_home = in.ref.warehouse(*a.warehouse_id);
            if (group_home != nullptr && !usable_warehouse(group_home, policy)) group_home = nullptr;
            if (group_home == nullptr)
                group_home = first_able(*ranker, waiting_units(o, &g.lines), in.stock.inventory, true);
        }
        for (const OrderLine* l : g.lines) {
            const Sku* sku = in.ref.sku(l->sku_id);
            std::vector<Reservation> kept;
            for (const Reservation& x : o.reservations)
                if (x.line_id == l->id) kept.push_back(x);
            for (const Allocation& b : o.allocations) {
                if (b.line_id != l->id || b.quantity <= 0) continue;
                const bool backordered = b.kind == AllocKind::backordered;
                const bool jit_queued = b.kind == AllocKind::po_queue && sku->method == Method::jit;
                if (!backordered && !jit_queued) continue;
                const Warehouse* at = backordered && b.warehouse_id ? in.ref.warehouse(*b.warehouse_id) : nullptr;
                std::int64_t left = b.quantity;
                // A kept reservation of the line at the backorder's warehouse is consumed first.
                for (Reservation& x : kept)
                    if (backordered && at && x.warehouse_id == at->id && x.quantity > 0 && left > 0) {
                        const std::int64_t n = std::min(x.quantity, left);
                        out.plan.assigns.push_back(
                            AssignStep{l->id, l->sku_id, at->id, n, x.id, b.id, b.kind, std::nullopt});
                        x.quantity -= n;
                        left -= n;
                    }
                std::vector<const Warehouse*> from;
                if (group_home != nullptr) {
                    from.push_back(group_home);
                } else if (policy.split) {
                    for (const RankedWarehouse& w : ranker->for_sku(l->sku_id, in.stock.inventory))
                        from.push_back(w.warehouse);
                }
                for (const Warehouse* w : from) {
                    if (left <= 0) break;
                    const std::int64_t a = std::min(left, in.stock.inventory.available(l->sku_id, w->id));
                    if (a <= 0) continue;
                    in.stock.inventory.take(l->sku_id, w->id, a);
                    out.plan.assigns.push_back(AssignStep{l->id, l->sku_id, w->id, a, std::nullopt, b.id, b.kind,
                                                          jit_queued ? b.vendor_id : std::nullopt});
                    note(in, [&] {
                        return "SRC-14 line " + std::to_string(l->id) + " " + sku->code + ": " + std::to_string(a) +
                               (jit_queued ? " jit unit(s) received and assigned at " + w->name +
                                                 " (the queue line shrinks if not yet ordered)"
                                           : " of the backorder at " + name_of(at) + " assigned at " + w->name);
                    });
                    left -= a;
                }
                if (left <= 0) continue;
                // What stays waiting; a backorder at a warehouse that may no longer be used moves.
                const Warehouse* to =
                    group_home != nullptr ? group_home : (policy.split && !from.empty() ? from.front() : nullptr);
                if (backordered && at != nullptr && !usable_warehouse(at, policy) && to != nullptr && to != at) {
                    out.plan.releases.push_back(ReleaseStep{b.id, l->id, b.kind, left});
                    out.plan.backorders.push_back(BackorderStep{l->id, to->id, left});
                    note(in, [&] {
                        return "SRC-14 line " + std::to_string(l->id) + " " + sku->code + ": " + std::to_string(left) +
                               " backordered at " + name_of(at) + " (no longer usable) moved to " + to->name;
                    });
                } else {
                    note(in, [&] {
                        return "SRC-14 line " + std::to_string(l->id) + " " + sku->code + ": " + std::to_string(left) +
                               (jit_queued ? " jit unit(s) still on the purchase-order queue" : " stay backordered");
                    });
                }
            }
        }
    }
}

}  // namespace olmd::jobs::sourcing
