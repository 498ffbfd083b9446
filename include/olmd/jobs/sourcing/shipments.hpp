#pragma once
// SRC-11 shipments: the units a run assigns are grouped into one New shipment
// per warehouse. A later run (SRC-14) never adds units to a shipment that already
// exists — warehouse staff may be picking it — it creates a new one.

#include <vector>

#include "olmd/jobs/sourcing/names.hpp"

namespace olmd::jobs::sourcing {

/// Warehouses where the plan assigns units (each gets a new shipment), ascending.
std::vector<RowId> warehouses_needing_shipment(const SourcingOrder& o, const Plan& plan);

/// Distinct warehouses of the order's New shipments once the plan is written, ascending.
std::vector<RowId> shipment_warehouses(const SourcingOrder& o, const Plan& plan);

/// Number of New shipments the order has once the plan is written.
int new_shipment_count(const SourcingOrder& o, const Plan& plan);

}  // namespace olmd::jobs::sourcing
