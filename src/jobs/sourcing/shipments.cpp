// SRC-11: one New shipment per warehouse per run; an existing shipment is never added to.
#include "olmd/jobs/sourcing/shipments.hpp"

#include <algorithm>

namespace olmd::jobs::sourcing {

namespace {

void insert_sorted(std::vector<RowId>& v, RowId id) {
    auto it = std::lower_bound(v.begin(), v.end(), id);
    if (it == v.end() || *it != id) v.insert(it, id);
}

}  // namespace

std::vector<RowId> warehouses_needing_shipment(const SourcingOrder&, const Plan& plan) {
    // SRC-11: this run's units go into new shipments, never into one that exists already.
    std::vector<RowId> out;
    for (const AssignStep& a : plan.assigns) insert_sorted(out, a.warehouse_id);
    return out;
}

std::vector<RowId> shipment_warehouses(const SourcingOrder& o, const Plan& plan) {
    std::vector<RowId> out;
    for (const NewShipment& s : o.new_shipments) insert_sorted(out, s.warehouse_id);
    for (const AssignStep& a : plan.assigns) insert_sorted(out, a.warehouse_id);
    return out;
}

int new_shipment_count(const SourcingOrder& o, const Plan& plan) {
    return static_cast<int>(o.new_shipments.size() + warehouses_needing_shipment(o, plan).size());
}

}  // namespace olmd::jobs::sourcing
