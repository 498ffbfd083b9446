// SRC-14: turning backordered units into assignments as stock appears.
#include "olmd/jobs/sourcing/backorders.hpp"

#include <algorithm>

#include "olmd/jobs/sourcing/kits.hpp"

namespace olmd::jobs::sourcing {

bool has_backorders(const SourcingOrder& o) {
    return std::any_of(o.allocations.begin(), o.allocations.end(), [](const Allocation& a) {
        return a.kind == AllocKind::backordered && a.quantity > 0;
    });
}

namespace {

/// Adds an explain line (built only when explaining).
template <class F>
void note(PlanInput& in, F&& line) {
    if (in.trace) in.trace->push_back(line());
}

bool usable(const Warehouse* w, const ChannelPolicy& p) {
    return w != nullptr && w->active &&
           std::find(p.blacklisted.begin(), p.blacklisted.end(), w->id) == p.blacklisted.end();
}

}  // namespace

void fill_backorders(const SourcingOrder& o, PlanInput& in, PlanOutcome& out) {
    if (!out.bad_data.empty() || !in.settings.auto_fulfill_backorders || !has_backorders(o)) return;
    const ChannelPolicy& policy = in.settings.policy(o.channel_id);
    std::optional<WarehouseRanker> ranker;
    if (policy.split) {
        RankerOutcome r = WarehouseRanker::make(policy, in.ref, in.zip5, in.origin);
        if (!r.ranker) {
            out.bad_data = r.bad_data;
            note(in, [&] { return std::string("bad data: " + r.bad_data); });
            return;
        }
        ranker = std::move(r.ranker);
    }
    for (const LineGroup& g : physical_groups(o, in.ref)) {
        const bool single = !policy.split || (g.kit != nullptr && in.settings.kits_single_warehouse);
        const bool complete = g.kit != nullptr && in.settings.ship_kits_complete;
        const StockMark mark = in.stock.mark();
        const std::size_t assigns = out.plan.assigns.size();
        bool short_of_stock = false;
        for (const OrderLine* l : g.lines) {
            const Sku* sku = in.ref.sku(l->sku_id);
            for (const Allocation& b : o.allocations) {
                if (b.line_id != l->id || b.kind != AllocKind::backordered || b.quantity <= 0) continue;
                std::vector<const Warehouse*> from;
                const Warehouse* home = b.warehouse_id ? in.ref.warehouse(*b.warehouse_id) : nullptr;
                if (single && b.warehouse_id) {
                    if (usable(home, policy)) from.push_back(home);
                } else if (ranker) {
                    for (const RankedWarehouse& r : ranker->for_sku(l->sku_id, in.stock.inventory))
                        from.push_back(r.warehouse);
                } else if (usable(home, policy)) {
                    from.push_back(home);
                }
                std::int64_t left = b.quantity;
                for (const Warehouse* w : from) {
                    const std::int64_t a = std::min(left, in.stock.inventory.available(l->sku_id, w->id));
                    if (a <= 0) continue;
                    in.stock.inventory.take(l->sku_id, w->id, a);
                    out.plan.assigns.push_back(AssignStep{l->id, l->sku_id, w->id, a, std::nullopt, b.id});
                    note(in, [&] {
                        return std::string("SRC-14 line " + std::to_string(l->id) + " " + sku->code + ": " +
                                           std::to_string(a) + " of the backorder at " +
                                           (home ? home->name : std::string("?")) + " assigned at " +
                                           w->name);
                    });
                    left -= a;
                    if (left == 0) break;
                }
                if (left > 0) {
                    short_of_stock = true;
                    note(in, [&] {
                        return std::string("SRC-14 line " + std::to_string(l->id) + " " + sku->code + ": " +
                                           std::to_string(left) + " stay backordered (not available)");
                    });
                }
            }
        }
        if (complete && short_of_stock && out.plan.assigns.size() > assigns) {
            in.stock.undo_to(mark);
            out.plan.assigns.resize(assigns);
            note(in, [&] {
                return std::string("SRC-14 kit line " + std::to_string(g.kit->id) +
                                   ": ship_kits_complete and not every backorder can be filled: none is");
            });
        }
    }
}

}  // namespace olmd::jobs::sourcing
