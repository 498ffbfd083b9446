#pragma once
// SRC-12 ready-to-ship authorization ([sourcing.ready_to_ship_auth] enabled):
// before an order goes to an in-shipping status, ready = Σ assigned units ×
// unit_price_cents in its New shipments; covered = paid_cents +
// open_auth_cents; when ready > covered the difference is authorized on the
// card of the order's most recent credit_card payment. A decline (or no card)
// undoes this run's sourcing of the order and sets the exception status.
// The job makes the gateway call outside any write transaction and then
// sources the order again (see sourcing_job.cpp).

#include <cstdint>

#include "olmd/jobs/sourcing/model.hpp"

namespace olmd::jobs::sourcing {

/// Σ assigned units × unit_price_cents in the order's New shipments once the plan is written.
std::int64_t ready_to_ship_cents(const SourcingOrder& o, const Plan& plan);

/// What must still be authorized: max(0, ready − (paid_cents + open_auth_cents)).
std::int64_t authorization_needed(std::int64_t ready_cents, const PaymentTotals& p);

}  // namespace olmd::jobs::sourcing
