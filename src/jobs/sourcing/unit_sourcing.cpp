// SRC-7 (with SRC-8's warehouse order, SRC-9's vendor and SRC-10's
// availability): where every uncovered unit of an order comes from.
#include "olmd/jobs/sourcing/unit_sourcing.hpp"

#include <algorithm>

#include "jobs/sourcing/unit_planner.hpp"
#include "olmd/jobs/sourcing/vendor_choice.hpp"

namespace olmd::jobs::sourcing {

std::int64_t uncovered_units(const SourcingOrder& o, const OrderLine& line) {
    std::int64_t covered = 0;
    for (const Allocation& a : o.allocations)
        if (a.line_id == line.id) covered += a.quantity;
    return std::max<std::int64_t>(0, line.quantity - covered);
}

void add_units(Units& u, RowId sku, std::int64_t n) {
    for (auto& [s, k] : u)
        if (s == sku) {
            k += n;
            return;
        }
    u.emplace_back(sku, n);
}

Units waiting_units(const SourcingOrder& o, const std::vector<const OrderLine*>* lines) {
    Units u;
    for (const Allocation& a : o.allocations) {
        if (a.kind != AllocKind::backordered && a.kind != AllocKind::po_queue) continue;
        const OrderLine* l = o.line(a.line_id);
        if (l == nullptr || (lines != nullptr && std::find(lines->begin(), lines->end(), l) == lines->end())) continue;
        add_units(u, l->sku_id, a.quantity);
    }
    return u;
}

const Warehouse* first_able(const WarehouseRanker& ranker, const Units& units, const Availability& stock,
                            bool fallback) {
    const auto ranked = ranker.for_units(units, stock);
    for (const RankedWarehouse& r : ranked) {
        bool all = true;
        for (const auto& [sku, n] : units) all = all && stock.available(sku, r.warehouse->id) >= n;
        if (all) return r.warehouse;
    }
    return fallback && !ranked.empty() ? ranked.front().warehouse : nullptr;
}

bool usable_warehouse(const Warehouse* w, const ChannelPolicy& p) {
    return w != nullptr && w->active &&
           std::find(p.blacklisted.begin(), p.blacklisted.end(), w->id) == p.blacklisted.end();
}

std::string reservation_problem(const SourcingOrder& o, const ReferenceData& ref, const Settings& s) {
    auto mismatch = [](const Reservation& r) { return "reservation_mismatch:reservations.id=" + std::to_string(r.id); };
    std::map<RowId, std::int64_t> reserved;  // line -> units reserved so far
    for (const Reservation& r : o.reservations) {
        const OrderLine* l = o.line(r.line_id);
        const Warehouse* w = ref.warehouse(r.warehouse_id);
        // On a kit line, a gift certificate or club line, or a line of no known product: nothing to consume.
        if (l == nullptr || !is_physical(*l, ref) || w == nullptr || !w->active || r.quantity <= 0) return mismatch(r);
        reserved[l->id] += r.quantity;
        if (reserved[l->id] > uncovered_units(o, *l) + [&] {
                // Units already held as backordered for a kept reservation (ship_kits_complete) are its own.
                std::int64_t held = 0;
                for (const Allocation& a : o.allocations)
                    if (a.line_id == l->id && a.kind == AllocKind::backordered && a.warehouse_id == r.warehouse_id)
                        held += a.quantity;
                return held;
            }())
            return mismatch(r);
    }
    if (s.kits_single_warehouse)
        for (const LineGroup& g : physical_groups(o, ref)) {
            if (g.kit == nullptr) continue;
            std::optional<RowId> at;
            for (const OrderLine* l : g.lines)
                for (const Reservation& r : o.reservations)
                    if (r.line_id == l->id) {
                        if (at && *at != r.warehouse_id) return mismatch(r);
                        at = r.warehouse_id;
                    }
        }
    return {};
}

namespace {

std::string label(const Need& n) {
    return "line " + std::to_string(n.line->id) + " " + n.sku->code + " (" + std::string(to_string(n.sku->method)) +
           ")";
}

}  // namespace

UnitPlanner::UnitPlanner(const SourcingOrder& o, PlanInput& in, PlanOutcome& out)
    : o_(o), in_(in), s_(in.settings), out_(out), policy_(in.settings.policy(o.channel_id)) {}

void UnitPlanner::run() {
    if (std::string bad = reservation_problem(o_, in_.ref, s_); !bad.empty()) {
        out_.bad_data = bad;
        note([&] { return "bad data: " + bad + " (SRC-7: a reservation that cannot be consumed)"; });
        return;
    }
    for (const OrderLine& l : o_.lines)
        if (is_physical(l, in_.ref)) left_[l.id] = uncovered_units(o_, l);
    std::vector<std::pair<LineGroup, std::vector<Need>>> groups;
    bool stockable = false;
    for (const LineGroup& g : physical_groups(o_, in_.ref)) {
        std::vector<Need> needs;
        for (const OrderLine* l : g.lines) {
            if (left_[l->id] <= 0) continue;
            Need need{l, in_.ref.sku(l->sku_id), left_[l->id]};
            stockable = stockable || from_stock_first(need) || need.sku->method == Method::dropship;
            needs.push_back(need);
        }
        if (!needs.empty()) groups.emplace_back(g, std::move(needs));
    }
    if (groups.empty()) return;
    if (stockable && !make_ranker()) return;
    if (stockable && !policy_.split) {
        // SRC-8 split = false: the first warehouse holding a reservation of the order that can assign
        // every remaining stock unit, else the first-ranked that can, else the first-ranked.
        std::vector<Need> remaining;  // what is left once reserved units stay where they are reserved
        for (const auto& [g, needs] : groups)
            for (const Need& n : needs) {
                Need r = n;
                for (const Reservation& x : o_.reservations)
                    if (x.line_id == n.line->id) r.units -= x.quantity;
                if (r.units > 0) remaining.push_back(r);
            }
        std::vector<const Need*> all;
        std::vector<RowId> reserved_at;
        for (const Need& n : remaining) all.push_back(&n);
        for (const Reservation& r : o_.reservations)
            if (std::find(reserved_at.begin(), reserved_at.end(), r.warehouse_id) == reserved_at.end())
                reserved_at.push_back(r.warehouse_id);
        order_warehouse_ = choose_single(all, "the order (split = false)", reserved_at);
    }
    for (auto& [g, needs] : groups) {
        if (!out_.bad_data.empty()) return;
        source_group(g, needs);
    }
}

bool UnitPlanner::from_stock_first(const Need& n) const {
    if (n.sku->method == Method::stock) return true;
    return s_.vendor_sourced(n.sku->method == Method::dropship).stock_first;
}

bool UnitPlanner::make_ranker() {
    RankerOutcome r = WarehouseRanker::make(policy_, in_.ref, in_.zip5, in_.origin);
    if (!r.ranker) {
        out_.bad_data = r.bad_data;
        note([&] { return std::string("bad data: " + r.bad_data); });
        return false;
    }
    ranker_ = std::move(r.ranker);
    note([&] {
        return std::string("SRC-8 rule " + ranker_->basis() + (policy_.split ? ", split = true" : ", split = false"));
    });
    return true;
}

bool UnitPlanner::can_assign(RowId warehouse, const Units& units) const {
    for (const auto& [sku, n] : units)
        if (in_.stock.inventory.available(sku, warehouse) < n) return false;
    return true;
}

const Warehouse* UnitPlanner::choose_single(const std::vector<const Need*>& needs, const std::string& what,
                                            const std::vector<RowId>& reserved_at) {
    Units stock_units, stockable_units;
    for (const Need* n : needs) {
        if (!from_stock_first(*n)) continue;
        add_units(stockable_units, n->sku->id, n->units);
        if (n->sku->method == Method::stock) add_units(stock_units, n->sku->id, n->units);
    }
    const auto ranked = ranker_->for_units(stockable_units, in_.stock.inventory);
    note([&] { return "SRC-8 one warehouse for " + what + ": " + WarehouseRanker::describe(ranked); });
    for (RowId w : reserved_at)
        for (const RankedWarehouse& r : ranked)
            if (r.warehouse->id == w && can_assign(w, stock_units)) {
                note([&] {
                    return "  -> " + r.warehouse->name +
                           ": holds a reservation of the order and can assign every remaining stock unit";
                });
                return r.warehouse;
            }
    if (ranked.empty()) return nullptr;
    for (const Units* u : {&stockable_units, &stock_units})
        for (const RankedWarehouse& r : ranked)
            if (can_assign(r.warehouse->id, *u)) {
                note([&] {
                    return "  -> " + r.warehouse->name + ": the first-ranked that can assign every " +
                           (u == &stock_units ? "stock unit" : "unit sourced from stock");
                });
                return r.warehouse;
            }
    note([&] { return "  -> " + ranked.front().warehouse->name + ": none can assign every stock unit, the first-ranked"; });
    return ranked.front().warehouse;
}

std::vector<RankedWarehouse> UnitPlanner::allowed(const Need& n, const Warehouse* single) {
    if (single != nullptr || (!policy_.split && ranker_)) {
        std::vector<RankedWarehouse> one;
        if (single != nullptr)
            one.push_back(RankedWarehouse{single, std::nullopt, in_.stock.inventory.available(n.sku->id, single->id)});
        return one;
    }
    if (!ranker_) return {};
    auto r = ranker_->for_sku(n.sku->id, in_.stock.inventory);
    note([&] { return std::string("SRC-8 " + label(n) + ": " + WarehouseRanker::describe(r)); });
    return r;
}

std::int64_t UnitPlanner::take(const Need& n, std::int64_t units, const std::vector<RankedWarehouse>& from) {
    for (const RankedWarehouse& r : from) {
        if (units <= 0) break;
        const std::int64_t a = std::min(units, in_.stock.inventory.available(n.sku->id, r.warehouse->id));
        if (a <= 0) continue;
        in_.stock.inventory.take(n.sku->id, r.warehouse->id, a);
        out_.plan.assigns.push_back(AssignStep{n.line->id, n.sku->id, r.warehouse->id, a, std::nullopt, std::nullopt, AllocKind::backordered, std::nullopt});
        note([&] { return "SRC-7 " + label(n) + ": " + std::to_string(a) + " assigned at " + r.warehouse->name; });
        units -= a;
    }
    return units;
}

void UnitPlanner::backorder(const Need& n, std::int64_t units, const std::vector<RankedWarehouse>& from) {
    if (units <= 0) return;
    if (!s_.auto_backorder || from.empty()) {
        note([&] {
            return "SRC-7 " + label(n) + ": " + std::to_string(units) + " unsourced (" +
                   (from.empty() ? std::string("no warehouse may be used") : "stock.auto_backorder = false") + ")";
        });
        return;
    }
    const Warehouse* w = from.front().warehouse;
    out_.plan.backorders.push_back(BackorderStep{n.line->id, w->id, units});
    note([&] {
        return "SRC-7 " + label(n) + ": " + std::to_string(units) + " backordered at " + w->name +
               " (the first-ranked warehouse)";
    });
}

void UnitPlanner::to_vendor(const Need& n, std::int64_t units) {
    if (units <= 0) return;
    const bool drop = n.sku->method == Method::dropship;
    const VendorChoice v =
        choose_vendor(*n.sku, units, in_.stock.vendors, in_.ref, s_.vendor_sourced(drop).source_default_vendor);
    if (v.vendor == nullptr) {
        note([&] { return "SRC-9 " + label(n) + ": " + std::to_string(units) + " unsourced: " + v.why; });
        return;
    }
    // Two orders never count the same vendor units: this run's queue lines are taken off.
    in_.stock.vendors.take(n.sku->id, v.vendor->id, units);
    out_.plan.queued.push_back(QueueStep{n.line->id, n.sku->id, v.vendor->id, units, n.sku->method,
                                         v.vendor->po_method, v.vendor->po_template});
    note([&] {
        return "SRC-9 " + label(n) + ": " + std::to_string(units) + " queued" + (drop ? " as drop-ship" : "") +
               " for " + v.why;
    });
}

void UnitPlanner::source_need(const Need& n, const Warehouse* single) {
    if (n.sku->method == Method::stock) {
        const auto from = allowed(n, single);
        backorder(n, take(n, n.units, from), from);
        return;
    }
    std::int64_t units = n.units;
    if (from_stock_first(n)) {
        units = take(n, units, allowed(n, single));
        if (units > 0)
            note([&] { return "SRC-7 " + label(n) + ": stock_first: " + std::to_string(units) + " not in stock"; });
    }
    to_vendor(n, units);
}

void UnitPlanner::assign_reserved(const Reservation& r, std::int64_t units) {
    const OrderLine* l = o_.line(r.line_id);
    out_.plan.assigns.push_back(AssignStep{l->id, l->sku_id, r.warehouse_id, units, r.id, std::nullopt, AllocKind::backordered, std::nullopt});
    const Warehouse* w = in_.ref.warehouse(r.warehouse_id);
    note([&] {
        return "SRC-7 reserved first: line " + std::to_string(l->id) + " " + in_.ref.sku(l->sku_id)->code + ": " +
               std::to_string(units) + " assigned at " + (w ? w->name : "#" + std::to_string(r.warehouse_id)) +
               " from reservation " + std::to_string(r.id) + " (consumed)";
    });
}

void UnitPlanner::source_group(const LineGroup& g, std::vector<Need>& needs) {
    const Warehouse* single = policy_.split ? nullptr : order_warehouse_;
    if (g.kit != nullptr && s_.kits_single_warehouse && ranker_) {
        // kits_single_warehouse: the kit's reserved warehouse, else the one SRC-8 chooses for the kit.
        std::vector<RowId> reserved_at;
        for (const OrderLine* l : g.lines)
            for (const Reservation& r : o_.reservations)
                if (r.line_id == l->id) reserved_at.push_back(r.warehouse_id);
        if (!reserved_at.empty()) {
            single = in_.ref.warehouse(reserved_at.front());
        } else if (policy_.split) {
            std::vector<const Need*> ptrs;
            for (const Need& n : needs) ptrs.push_back(&n);
            single = choose_single(ptrs, "kit line " + std::to_string(g.kit->id) + " (kits_single_warehouse)", {});
        }
    }
    if (g.kit != nullptr && s_.ship_kits_complete) {
        source_complete_kit(g, needs, single);
        return;
    }
    // Reserved first: from the reserved warehouse whatever the SKU's method, consuming the reservation.
    for (Need& n : needs)
        for (const Reservation& r : o_.reservations)
            if (r.line_id == n.line->id && n.units > 0) {
                assign_reserved(r, r.quantity);
                n.units -= r.quantity;
            }
    for (const Need& n : needs) {
        if (!out_.bad_data.empty()) return;
        if (n.units > 0) source_need(n, single);
    }
}

void source_units(const SourcingOrder& o, PlanInput& in, PlanOutcome& out) {
    if (!out.bad_data.empty()) return;
    UnitPlanner(o, in, out).run();
}

}  // namespace olmd::jobs::sourcing
