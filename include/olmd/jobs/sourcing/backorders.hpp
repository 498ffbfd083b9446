#pragma once
// SRC-14 backorder fulfillment (stock.auto_fulfill_backorders): an order's
// backordered units become assignments as stock becomes available. With
// split = false (and for a kit under kits_single_warehouse) only the
// backorder's own warehouse may fill it; with split = true any candidate
// warehouse in SRC-8 rank order. Under ship_kits_complete a kit's backorders
// are filled all together or not at all. The job visits such orders oldest
// first (created_at, then id).

#include "olmd/jobs/sourcing/unit_sourcing.hpp"

namespace olmd::jobs::sourcing {

/// True when the order holds at least one backordered allocation.
bool has_backorders(const SourcingOrder& o);

/// Appends to out.plan the assignments that fill the order's backorders from available stock
/// (AssignStep::backorder_id names the allocation each fills); stops at bad data.
void fill_backorders(const SourcingOrder& o, PlanInput& in, PlanOutcome& out);

}  // namespace olmd::jobs::sourcing
