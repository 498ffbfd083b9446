#pragma once
// The SRC-7 planner of one order's units (private to the sourcing module):
// unit_sourcing.cpp holds the main pass (reservations, stock, jit, drop-ship),
// kit_completion.cpp the ship_kits_complete kits of both passes.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "olmd/jobs/sourcing/kits.hpp"
#include "olmd/jobs/sourcing/unit_sourcing.hpp"

namespace olmd::jobs::sourcing {

/// Units of one line still to source in this run.
struct Need {
    const OrderLine* line = nullptr;
    const Sku* sku = nullptr;
    std::int64_t units = 0;
};

/// (sku, units) pairs.
using Units = std::vector<std::pair<RowId, std::int64_t>>;

/// Adds n units of sku to u.
void add_units(Units& u, RowId sku, std::int64_t n);

/// The SKU units of the order's waiting allocations (backordered, po_queue) on lines (null: every line).
Units waiting_units(const SourcingOrder& o, const std::vector<const OrderLine*>* lines);

/// SRC-8's one-warehouse choice among ranked: the first that can assign every unit, else (fallback)
/// the first-ranked; null when there is none.
const Warehouse* first_able(const WarehouseRanker& ranker, const Units& units, const Availability& stock,
                            bool fallback);

/// True when the warehouse exists, is active and is not blacklisted for the channel (SRC-8).
bool usable_warehouse(const Warehouse* w, const ChannelPolicy& p);

/// The reservation_mismatch bad data of SRC-7 ("" when every reservation can be consumed):
/// a reservation on a line that needs no inventory (kit, gift certificate, club membership),
/// at an unknown or inactive warehouse, for more units than the line still needs, or (with
/// kits_single_warehouse) a kit whose components are reserved at two warehouses.
std::string reservation_problem(const SourcingOrder& o, const ReferenceData& ref, const Settings& s);

class UnitPlanner {
public:
    UnitPlanner(const SourcingOrder& o, PlanInput& in, PlanOutcome& out);
    /// The main pass (SRC-7..SRC-10) for the order's uncovered units.
    void run();

private:
    template <class F>
    void note(F&& line) {
        if (in_.trace) in_.trace->push_back(line());
    }
    bool from_stock_first(const Need& n) const;
    bool make_ranker();
    bool can_assign(RowId warehouse, const Units& units) const;
    const Warehouse* choose_single(const std::vector<const Need*>& needs, const std::string& what,
                                   const std::vector<RowId>& reserved_at);
    std::vector<RankedWarehouse> allowed(const Need& n, const Warehouse* single);
    std::int64_t take(const Need& n, std::int64_t units, const std::vector<RankedWarehouse>& from);
    void backorder(const Need& n, std::int64_t units, const std::vector<RankedWarehouse>& from);
    void to_vendor(const Need& n, std::int64_t units);
    void source_need(const Need& n, const Warehouse* single);
    void assign_reserved(const Reservation& r, std::int64_t units);
    void source_group(const LineGroup& g, std::vector<Need>& needs);
    // kit_completion.cpp
    void source_complete_kit(const LineGroup& g, std::vector<Need>& needs, const Warehouse* single);

    const SourcingOrder& o_;
    PlanInput& in_;
    const Settings& s_;
    PlanOutcome& out_;
    const ChannelPolicy& policy_;
    std::optional<WarehouseRanker> ranker_;
    const Warehouse* order_warehouse_ = nullptr;
    std::map<RowId, std::int64_t> left_;  ///< line id -> units with no allocation and no reservation
};

/// SRC-14 under ship_kits_complete: fills every outstanding unit of the kit (backordered units,
/// their kept reservations, jit units on the purchase-order queue) at once, or none.
/// order_home: the order's warehouse under split = false (null otherwise).
void fill_complete_kit(const SourcingOrder& o, const LineGroup& g, PlanInput& in, PlanOutcome& out,
                       const std::optional<WarehouseRanker>& ranker, const Warehouse* order_home);

}  // namespace olmd::jobs::sourcing
