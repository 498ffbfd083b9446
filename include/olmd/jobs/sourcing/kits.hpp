#pragma once
// SRC-7 kits: a kit line is never allocated; its component lines
// (parent_item_id = the kit line) are, as one group, so that
// [fulfillment] kits_single_warehouse and ship_kits_complete can treat them
// together. Gift-certificate and club-membership lines need no inventory.

#include <vector>

#include "olmd/jobs/sourcing/names.hpp"

namespace olmd::jobs::sourcing {

/// True when the line's units need inventory (its SKU is a product).
bool is_physical(const OrderLine& line, const ReferenceData& ref);

/// Lines sourced together: one standalone product line, or every product line under one top-level kit.
struct LineGroup {
    const OrderLine* kit = nullptr;       ///< the top-level kit line; null for a standalone line
    std::vector<const OrderLine*> lines;  ///< physical lines, by id
};

/// The order's physical lines in groups, in the order of their first line id (kits at the kit line).
std::vector<LineGroup> physical_groups(const SourcingOrder& o, const ReferenceData& ref);

}  // namespace olmd::jobs::sourcing
