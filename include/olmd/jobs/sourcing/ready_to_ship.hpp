#pragma once
// SRC-12 ready-to-ship authorization ([sourcing.ready_to_ship_auth] enabled):
// before an order goes to an in-shipping status, the part of what is ready to
// ship that existing payments do not cover is authorized on the card (and
// customer) of the order's most recent live card payment.
//   value(units) = Σ units × unit_price_cents of their lines, plus each kit line's
//                  own price × quantity when all its component units are in the set;
//   charges      = max(0, grand_total − value(every unit)) — tax, shipping — go with
//                  the order's first shipment;
//   ready        = value of the units in New shipments (this run's included), plus
//                  the charges while no shipment has left;
//   spent        = value of the units in shipments that have left, plus the charges
//                  once one has;
//   covered      = max(0, paid + open authorizations still valid − spent): an
//                  authorization older than [gateway] authorization_valid_days covers
//                  nothing.
// A decline (or no card) undoes this run's sourcing of the order and sets the
// exception status. The job makes the gateway call outside any write transaction
// and then sources the order again (see rts_authorization.cpp).

#include <cstdint>

#include "olmd/jobs/sourcing/names.hpp"

namespace olmd::jobs::sourcing {

/// SRC-12's figures for an order once the plan is written (cents).
struct ReadyToShip {
    std::int64_t charges = 0, ready = 0, spent = 0, covered = 0;
    std::int64_t needed = 0;  ///< max(0, ready − covered): what must be authorized
};

/// Computes SRC-12 for the order (p.valid_open_auth_cents: only authorizations still valid).
ReadyToShip ready_to_ship(const SourcingOrder& o, const Plan& plan, const ReferenceData& ref, const PaymentTotals& p);

}  // namespace olmd::jobs::sourcing
