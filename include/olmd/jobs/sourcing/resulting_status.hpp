#pragma once
// SRC-13 resulting status, looking at all the order's units once the plan is
// written: unsourced units -> requires_manual_sourcing; then by
// [sourcing] partial_shipping ("partial" / "none", exclude_drop_ship, the
// partially-shipped exception); nothing physical -> requires_manual_sourcing
// (nothing_to_source); in-shipping is in_shipping_split when the New
// shipments come from more than one warehouse.

#include <cstdint>
#include <optional>
#include <string>

#include "olmd/jobs/sourcing/names.hpp"
#include "olmd/jobs/sourcing/settings.hpp"

namespace olmd::jobs::sourcing {

/// The order's units by state, after the plan.
struct UnitCounts {
    std::int64_t physical = 0;   ///< units that need inventory
    std::int64_t unsourced = 0;  ///< units with no allocation
    std::int64_t assigned = 0;
    std::int64_t waiting = 0;     ///< stock/jit units backordered or on the PO queue
    std::int64_t dropship = 0;    ///< units on the drop-ship queue
    int shipments = 0;            ///< New shipments
    int shipment_warehouses = 0;  ///< distinct warehouses of those
    bool kit_incomplete = false;  ///< SRC-7: a kit stays unsourced (a drop-ship component not in stock)
};

/// Counts the order's units once the plan is written.
UnitCounts count_units(const SourcingOrder& o, const Plan& plan, const ReferenceData& ref);

/// SRC-13's verdict.
struct StatusChoice {
    std::optional<StatusId> to;  ///< nullopt: the order keeps its status
    std::string reason;
    bool in_shipping = false;  ///< the order would go to an in-shipping status (SRC-12 applies)
    std::string why;           ///< for explain
};

/// The status SRC-13 gives an order with these counts (with_why: fill StatusChoice::why).
StatusChoice resulting_status(const UnitCounts& c, const SourcingOrder& o, const Settings& s,
                              bool with_why = false);

}  // namespace olmd::jobs::sourcing
