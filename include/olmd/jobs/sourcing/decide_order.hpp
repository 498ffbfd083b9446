#pragma once
// One order through the sourcing rules, without writing: the pre-checks
// (SRC-2..SRC-6) on the main pass, backorder fulfillment (SRC-14), unit
// sourcing (SRC-7..SRC-10), the resulting status (SRC-11, SRC-13) and what
// SRC-12 would have to authorize. Shared by the run and `olmd explain`.

#include <cstdint>
#include <optional>
#include <string>

#include "olmd/core/error.hpp"
#include "olmd/jobs/sourcing/prechecks.hpp"
#include "olmd/jobs/sourcing/ready_to_ship.hpp"
#include "olmd/jobs/sourcing/resulting_status.hpp"
#include "olmd/jobs/sourcing/unit_sourcing.hpp"

namespace olmd::jobs::sourcing {

/// Which pass visits the order.
enum class Pass {
    main,        ///< SRC-1: the order is in [sourcing] statuses
    backorders,  ///< SRC-14: the order waits on backorders
};

/// What the rules decided for one order.
struct SourcingDecision {
    std::optional<StatusId> to;  ///< nullopt: the order keeps its status
    std::string reason;
    bool bad_data = false;                ///< result.exception for bad data (counted in errors)
    std::optional<CheckResult> precheck;  ///< the pre-check (or bad data) that ended the processing
    Plan plan;                            ///< empty when a pre-check applied or on bad data
    UnitCounts counts;
    StatusChoice choice;
    ReadyToShip rts;                     ///< SRC-12's figures (only computed when it applies)
    std::int64_t ready_cents = 0;        ///< SRC-12 (only computed when it applies)
    std::int64_t auth_needed_cents = 0;  ///< SRC-12: > 0 when a ready-to-ship authorization is needed
    PaymentTotals payments;              ///< SRC-12's figures when computed
};

/// SRC-16: with exclude_drop_ship, the order's shipments have all left and its only open units
/// are drop-ship units on the queue (it then goes to result.awaiting_dropship by SRC-13).
bool dropship_follow_up(const SourcingOrder& o, const Settings& s, const ReferenceData& ref);

/// Decides one order. Units the plan assigns are taken from in.stock; on bad data they are
/// given back. An Error only when payments could not be read.
Result<SourcingDecision> decide_order(const SourcingOrder& o, Pass pass, PlanInput& in,
                                      const PaymentsFn& payments);

}  // namespace olmd::jobs::sourcing
