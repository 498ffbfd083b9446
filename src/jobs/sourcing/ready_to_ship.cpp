// SRC-12: the amount ready to ship and what must be authorized for it.
#include "olmd/jobs/sourcing/ready_to_ship.hpp"

#include <algorithm>

namespace olmd::jobs::sourcing {

std::int64_t ready_to_ship_cents(const SourcingOrder& o, const Plan& plan) {
    std::int64_t ready = 0;
    for (const NewShipment& s : o.new_shipments) ready += s.value_cents;
    for (const AssignStep& a : plan.assigns)
        if (const OrderLine* l = o.line(a.line_id)) ready += a.quantity * l->unit_price_cents;
    return ready;
}

std::int64_t authorization_needed(std::int64_t ready_cents, const PaymentTotals& p) {
    return std::max<std::int64_t>(0, ready_cents - (p.paid_cents + p.open_auth_cents));
}

}  // namespace olmd::jobs::sourcing
