#pragma once
// SRC-7 unit sourcing for the units of an order that have no allocation yet:
// reserved units first (from the reserved warehouse, consuming the
// reservation); then, group by group (a standalone line, or a kit's
// components), stock SKUs from the warehouses SRC-8 ranks (the rest
// backordered at the first-ranked warehouse with stock.auto_backorder, else
// left unsourced), jit and drop-ship SKUs from stock when stock_first and
// available, else on the purchase-order queue for the SRC-9 vendor. With
// split = false the order uses one warehouse: the first-ranked one that can
// assign every stock unit, else the first-ranked. Kits honour
// kits_single_warehouse and ship_kits_complete.

#include <optional>
#include <string>

#include "olmd/jobs/sourcing/availability.hpp"
#include "olmd/jobs/sourcing/names.hpp"
#include "olmd/jobs/sourcing/ranking.hpp"
#include "olmd/jobs/sourcing/settings.hpp"

namespace olmd::jobs::sourcing {

/// What the rules read besides the order.
struct PlanInput {
    const Settings& settings;
    const ReferenceData& ref;
    Stock& stock;                  ///< taken from as units are assigned (SRC-10)
    std::string zip5;              ///< ship_zip5(order)
    std::optional<LatLon> origin;  ///< the centroid of zip5, when known (closest)
    Trace* trace = nullptr;        ///< explain: one line per decision
    BadField origin_bad;           ///< the zip_codes row of zip5 cannot be interpreted (closest)
};

/// A plan, or the bad data that stopped it (the caller then drops the plan and gives back its stock).
struct PlanOutcome {
    Plan plan;
    std::string bad_data;  ///< non-empty: result.exception with this reason
};

/// Units of each physical line not covered by any allocation yet (quantity − Σ allocations, ≥ 0).
std::int64_t uncovered_units(const SourcingOrder& o, const OrderLine& line);

/// SRC-7..SRC-10 for the order's uncovered units, appended to out.plan; stops at bad data.
void source_units(const SourcingOrder& o, PlanInput& in, PlanOutcome& out);

}  // namespace olmd::jobs::sourcing
