#pragma once
// SRC-14 backorder fulfillment (stock.auto_fulfill_backorders): an order's
// backordered units, and its just-in-time units on the purchase-order queue
// (a jit receipt: the queue line shrinks or goes when it is not yet a purchase
// order), become assignments as stock becomes available, in new shipments
// (SRC-11). With split = false they are filled at the order's warehouse; when
// that warehouse has become inactive or blacklisted, its backorders move to the
// warehouse SRC-8 now chooses. With split = true any candidate warehouse in
// SRC-8 rank order. Under ship_kits_complete a kit is filled all at once or not
// at all (kit_completion.cpp). The job visits such orders oldest first
// (created_at, then id).

#include "olmd/jobs/sourcing/unit_sourcing.hpp"

namespace olmd::jobs::sourcing {

/// True when the order holds at least one backordered or purchase-order-queue (po_queue) allocation.
bool has_backorders(const SourcingOrder& o);

/// Appends to out.plan the assignments that fill the order's backorders from available stock
/// (AssignStep::backorder_id names the allocation each fills); stops at bad data.
void fill_backorders(const SourcingOrder& o, PlanInput& in, PlanOutcome& out);

}  // namespace olmd::jobs::sourcing
