#pragma once
// SRC-11 shipments: an order's assigned units are grouped into one New
// shipment per warehouse. Units assigned in a later run join the order's New
// shipment at that warehouse when there is one.

#include <vector>

#include "olmd/jobs/sourcing/model.hpp"

namespace olmd::jobs::sourcing {

/// Warehouses where the plan assigns units and the order has no New shipment yet, ascending.
std::vector<RowId> warehouses_needing_shipment(const SourcingOrder& o, const Plan& plan);

/// Distinct warehouses of the order's New shipments once the plan is written, ascending.
std::vector<RowId> shipment_warehouses(const SourcingOrder& o, const Plan& plan);

/// Number of New shipments the order has once the plan is written.
int new_shipment_count(const SourcingOrder& o, const Plan& plan);

/// The order's existing New shipment at a warehouse (lowest id), or null.
const NewShipment* new_shipment_at(const SourcingOrder& o, RowId warehouse);

}  // namespace olmd::jobs::sourcing
