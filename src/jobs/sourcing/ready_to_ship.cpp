// SRC-12: what is ready to ship, what was spent, what covers it (see ready_to_ship.hpp).
#include "olmd/jobs/sourcing/ready_to_ship.hpp"

#include <algorithm>
#include <map>

#include "olmd/jobs/sourcing/kits.hpp"

namespace olmd::jobs::sourcing {

namespace {

using LineUnits = std::map<RowId, std::int64_t>;  // line id -> units

/// value(set): the set's units at their lines' prices, plus every kit the set completes.
std::int64_t value(const SourcingOrder& o, const ReferenceData& ref, const LineUnits& set) {
    std::int64_t v = 0;
    for (const auto& [line, n] : set)
        // A line's units never count past its quantity: order_bad_data() bounds the order's whole
        // value (every line at quantity x price) at 10^15 cents, so no sum here can overflow.
        if (const OrderLine* l = o.line(line)) v += std::min(n, l->quantity) * l->unit_price_cents;
    for (const LineGroup& g : physical_groups(o, ref)) {
        if (g.kit == nullptr || g.kit->unit_price_cents == 0) continue;
        bool whole = true;
        for (const OrderLine* l : g.lines) {
            auto it = set.find(l->id);
            whole = whole && it != set.end() && it->second >= l->quantity;
        }
        if (whole) v += g.kit->unit_price_cents * g.kit->quantity;
    }
    return v;
}

}  // namespace

ReadyToShip ready_to_ship(const SourcingOrder& o, const Plan& plan, const ReferenceData& ref, const PaymentTotals& p) {
    LineUnits all, left, shipped_or_new;
    for (const OrderLine& l : o.lines)
        if (is_physical(l, ref)) all[l.id] = l.quantity;
    for (const ShippedUnits& s : o.shipment_units) {
        shipped_or_new[s.line_id] += s.quantity;
        if (!s.is_new) left[s.line_id] += s.quantity;
    }
    for (const AssignStep& a : plan.assigns) shipped_or_new[a.line_id] += a.quantity;  // this run's new shipments
    ReadyToShip r;
    const std::int64_t spent_units = value(o, ref, left);
    r.charges = std::max<std::int64_t>(0, o.grand_total_cents - value(o, ref, all));
    r.ready = value(o, ref, shipped_or_new) - spent_units + (o.any_shipment_left ? 0 : r.charges);
    r.spent = spent_units + (o.any_shipment_left ? r.charges : 0);
    r.covered = std::max<std::int64_t>(0, p.paid_cents + p.valid_open_auth_cents - r.spent);
    r.needed = std::max<std::int64_t>(0, r.ready - r.covered);
    return r;
}

}  // namespace olmd::jobs::sourcing
