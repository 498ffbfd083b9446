// SRC-7 (with SRC-8's warehouse order, SRC-9's vendor and SRC-10's
// availability): where every uncovered unit of an order comes from.
#include "olmd/jobs/sourcing/unit_sourcing.hpp"

#include <algorithm>
#include <map>

#include "olmd/jobs/sourcing/kits.hpp"
#include "olmd/jobs/sourcing/vendor_choice.hpp"

namespace olmd::jobs::sourcing {

std::int64_t uncovered_units(const SourcingOrder& o, const OrderLine& line) {
    std::int64_t covered = 0;
    for (const Allocation& a : o.allocations)
        if (a.line_id == line.id) covered += a.quantity;
    return std::max<std::int64_t>(0, line.quantity - covered);
}

namespace {

/// Units of one line still to source in this run.
struct Need {
    const OrderLine* line = nullptr;
    const Sku* sku = nullptr;
    std::int64_t units = 0;
};

using Units = std::vector<std::pair<RowId, std::int64_t>>;

void add_units(Units& u, RowId sku, std::int64_t n) {
    for (auto& [s, k] : u)
        if (s == sku) {
            k += n;
            return;
        }
    u.emplace_back(sku, n);
}

std::string label(const Need& n) {
    return "line " + std::to_string(n.line->id) + " " + n.sku->code + " (" +
           std::string(to_string(n.sku->method)) + ")";
}

class UnitPlanner {
public:
    UnitPlanner(const SourcingOrder& o, PlanInput& in, PlanOutcome& out)
        : o_(o), in_(in), s_(in.settings), out_(out), policy_(in.settings.policy(o.channel_id)) {}

    void run() {
        std::map<RowId, std::int64_t> left;  // line id -> uncovered units
        for (const OrderLine& l : o_.lines)
            if (is_physical(l, in_.ref)) left[l.id] = uncovered_units(o_, l);
        reserved_first(left);

        std::vector<std::vector<Need>> groups;
        std::vector<const OrderLine*> kits;
        bool stockable = false;
        for (const LineGroup& g : physical_groups(o_, in_.ref)) {
            std::vector<Need> needs;
            for (const OrderLine* l : g.lines) {
                const std::int64_t n = left[l->id];
                if (n <= 0) continue;
                Need need{l, in_.ref.sku(l->sku_id), n};
                stockable = stockable || from_stock_first(need);
                needs.push_back(need);
            }
            if (needs.empty()) continue;
            groups.push_back(std::move(needs));
            kits.push_back(g.kit);
        }
        if (groups.empty()) return;
        if (stockable && !make_ranker()) return;
        if (stockable && !policy_.split) choose_order_warehouse(groups);
        for (std::size_t i = 0; i < groups.size() && out_.bad_data.empty(); ++i)
            source_group(groups[i], kits[i]);
    }

private:
    /// Adds an explain line (built only when explaining).
    template <class F>
    void note(F&& line) {
        if (in_.trace) in_.trace->push_back(line());
    }

    /// True when the need may be assigned from stock (stock SKUs; jit/dropship with stock_first).
    bool from_stock_first(const Need& n) const {
        if (n.sku->method == Method::stock) return true;
        return s_.vendor_sourced(n.sku->method == Method::dropship).stock_first;
    }

    bool make_ranker() {
        RankerOutcome r = WarehouseRanker::make(policy_, in_.ref, in_.zip5, in_.origin);
        if (!r.ranker) {
            out_.bad_data = r.bad_data;
            note([&] {
                return std::string("bad data: " + r.bad_data +
                                   " (SRC-8 closest needs every candidate's latitude/longitude)");
            });
            return false;
        }
        ranker_ = std::move(r.ranker);
        note([&] {
            return std::string("SRC-8 rule " + ranker_->basis() +
                               (policy_.split ? ", split = true" : ", split = false"));
        });
        return true;
    }

    // --- reserved first ---------------------------------------------------------------
    void reserved_first(std::map<RowId, std::int64_t>& left) {
        for (const Reservation& r : o_.reservations) {
            auto it = left.find(r.line_id);
            if (it == left.end() || it->second <= 0) continue;
            const OrderLine* l = o_.line(r.line_id);
            const std::int64_t n = std::min(r.quantity, it->second);
            it->second -= n;
            out_.plan.assigns.push_back(AssignStep{l->id, l->sku_id, r.warehouse_id, n, r.id, std::nullopt});
            const Warehouse* w = in_.ref.warehouse(r.warehouse_id);
            note([&] {
                return std::string("SRC-7 reserved first: line " + std::to_string(l->id) + " " +
                                   in_.ref.sku(l->sku_id)->code + ": " + std::to_string(n) + " assigned at " +
                                   (w ? w->name : "#" + std::to_string(r.warehouse_id)) +
                                   " from reservation " + std::to_string(r.id));
            });
        }
    }

    // --- split = false: one warehouse for the order -------------------------------------
    bool can_assign(RowId warehouse, const Units& units) const {
        for (const auto& [sku, n] : units)
            if (in_.stock.inventory.available(sku, warehouse) < n) return false;
        return true;
    }

    /// The first-ranked warehouse that can assign every stock unit (preferring one that can also
    /// assign the stock-first jit/drop-ship units), else the first-ranked; null when there is none.
    const Warehouse* choose_single(const std::vector<const Need*>& needs, const char* what) {
        Units stock_units, stockable_units;
        for (const Need* n : needs) {
            if (!from_stock_first(*n)) continue;
            add_units(stockable_units, n->sku->id, n->units);
            if (n->sku->method == Method::stock) add_units(stock_units, n->sku->id, n->units);
        }
        const auto ranked = ranker_->for_units(stockable_units, in_.stock.inventory);
        note([&] {
            return std::string(std::string("SRC-8 one warehouse for ") + what + ": " +
                               WarehouseRanker::describe(ranked));
        });
        if (ranked.empty()) return nullptr;
        for (const Units* u : {&stockable_units, &stock_units})
            for (const RankedWarehouse& r : ranked)
                if (can_assign(r.warehouse->id, *u)) {
                    note([&] {
                        return std::string("  -> " + r.warehouse->name +
                                           ": the first-ranked that can assign every " +
                                           (u == &stock_units ? "stock unit" : "unit sourced from stock"));
                    });
                    return r.warehouse;
                }
        note([&] {
            return std::string("  -> " + ranked.front().warehouse->name +
                               ": no warehouse can assign every stock unit, the first-ranked");
        });
        return ranked.front().warehouse;
    }

    void choose_order_warehouse(const std::vector<std::vector<Need>>& groups) {
        std::vector<const Need*> all;
        for (const auto& g : groups)
            for (const Need& n : g) all.push_back(&n);
        order_warehouse_ = choose_single(all, "the order (split = false)");
    }

    // --- one group -----------------------------------------------------------------------
    /// The warehouses a need may draw on, in rank order.
    std::vector<RankedWarehouse> allowed(const Need& n, const Warehouse* single) {
        if (single != nullptr || (!policy_.split && ranker_)) {
            std::vector<RankedWarehouse> one;
            if (single != nullptr)
                one.push_back(RankedWarehouse{single, std::nullopt,
                                              in_.stock.inventory.available(n.sku->id, single->id)});
            return one;
        }
        auto r = ranker_->for_sku(n.sku->id, in_.stock.inventory);
        note([&] { return std::string("SRC-8 " + label(n) + ": " + WarehouseRanker::describe(r)); });
        return r;
    }

    /// Assigns up to n.units from the warehouses in order; returns the units left.
    std::int64_t take(const Need& n, std::int64_t units, const std::vector<RankedWarehouse>& from) {
        for (const RankedWarehouse& r : from) {
            if (units <= 0) break;
            const std::int64_t a = std::min(units, in_.stock.inventory.available(n.sku->id, r.warehouse->id));
            if (a <= 0) continue;
            in_.stock.inventory.take(n.sku->id, r.warehouse->id, a);
            out_.plan.assigns.push_back(
                AssignStep{n.line->id, n.sku->id, r.warehouse->id, a, std::nullopt, std::nullopt});
            note([&] {
                return std::string("SRC-7 " + label(n) + ": " + std::to_string(a) + " assigned at " +
                                   r.warehouse->name);
            });
            units -= a;
        }
        return units;
    }

    void backorder(const Need& n, std::int64_t units, const std::vector<RankedWarehouse>& from) {
        if (units <= 0) return;
        if (!s_.auto_backorder || from.empty()) {
            note([&] {
                return std::string("SRC-7 " + label(n) + ": " + std::to_string(units) + " unsourced (" +
                                   (from.empty() ? std::string("no warehouse may be used")
                                                 : "stock.auto_backorder = false") +
                                   ")");
            });
            return;
        }
        const Warehouse* w = from.front().warehouse;
        out_.plan.backorders.push_back(BackorderStep{n.line->id, w->id, units});
        note([&] {
            return std::string("SRC-7 " + label(n) + ": " + std::to_string(units) + " backordered at " +
                               w->name + " (the first-ranked warehouse)");
        });
    }

    void to_vendor(const Need& n, std::int64_t units) {
        if (units <= 0) return;
        const bool drop = n.sku->method == Method::dropship;
        const VendorChoice v = choose_vendor(*n.sku, units, in_.stock.vendors, in_.ref,
                                             s_.vendor_sourced(drop).source_default_vendor);
        if (v.vendor == nullptr) {
            note([&] {
                return std::string("SRC-9 " + label(n) + ": " + std::to_string(units) +
                                   " unsourced: " + v.why);
            });
            return;
        }
        // Two orders never count the same vendor units: this run's queue lines are taken off.
        in_.stock.vendors.take(n.sku->id, v.vendor->id, units);
        out_.plan.queued.push_back(QueueStep{n.line->id, n.sku->id, v.vendor->id, units, n.sku->method,
                                             v.vendor->po_method, v.vendor->po_template});
        note([&] {
            return std::string("SRC-9 " + label(n) + ": " + std::to_string(units) + " queued" +
                               (drop ? " as drop-ship" : "") + " for " + v.why);
        });
    }

    void source_need(const Need& n, const Warehouse* single, bool stock_allowed = true) {
        if (n.sku->method == Method::stock) {
            const auto from = allowed(n, single);
            backorder(n, take(n, n.units, from), from);
            return;
        }
        std::int64_t units = n.units;
        if (stock_allowed && from_stock_first(n)) {
            units = take(n, units, allowed(n, single));
            if (units > 0)
                note([&] {
                    return std::string("SRC-7 " + label(n) + ": stock_first: " + std::to_string(units) +
                                       " not in stock");
                });
        }
        to_vendor(n, units);
    }

    void source_group(const std::vector<Need>& g, const OrderLine* kit) {
        const Warehouse* single = policy_.split ? nullptr : order_warehouse_;
        if (kit != nullptr && policy_.split && s_.kits_single_warehouse && ranker_) {
            std::vector<const Need*> ptrs;
            for (const Need& n : g) ptrs.push_back(&n);
            single = choose_single(
                ptrs, ("kit line " + std::to_string(kit->id) + " (kits_single_warehouse)").c_str());
        }
        const bool complete = kit != nullptr && s_.ship_kits_complete;
        if (!complete) {
            for (const Need& n : g) {
                if (!out_.bad_data.empty()) return;
                source_need(n, single);
            }
            return;
        }
        // ship_kits_complete: every stock unit of the kit is assigned, or none is.
        const StockMark mark = in_.stock.mark();
        const std::size_t assigns = out_.plan.assigns.size();
        bool short_of_stock = false;
        for (const Need& n : g)
            if (n.sku->method == Method::stock && take(n, n.units, allowed(n, single)) > 0)
                short_of_stock = true;
        if (short_of_stock) {
            in_.stock.undo_to(mark);
            out_.plan.assigns.resize(assigns);
            note([&] {
                return std::string("SRC-7 kit line " + std::to_string(kit->id) +
                                   ": ship_kits_complete and not every component can be assigned: none is");
            });
        }
        for (const Need& n : g) {
            if (!out_.bad_data.empty()) return;
            if (n.sku->method == Method::stock) {
                if (short_of_stock) backorder(n, n.units, allowed(n, single));
                continue;
            }
            source_need(n, single, !short_of_stock);
        }
    }

    const SourcingOrder& o_;
    PlanInput& in_;
    const Settings& s_;
    PlanOutcome& out_;
    const ChannelPolicy& policy_;
    std::optional<WarehouseRanker> ranker_;
    const Warehouse* order_warehouse_ = nullptr;
};

}  // namespace

void source_units(const SourcingOrder& o, PlanInput& in, PlanOutcome& out) {
    if (!out.bad_data.empty()) return;
    UnitPlanner(o, in, out).run();
}

}  // namespace olmd::jobs::sourcing
