#pragma once
// FR-1: which orders the fraud job selects — status in [fraud] statuses, channel in
// [fraud] channels (empty = every channel), never the [orders] hold status.

#include <string>

#include "olmd/config/config.hpp"
#include "olmd/core/error.hpp"
#include "olmd/domain/catalog.hpp"
#include "olmd/domain/fraud_repository.hpp"

namespace olmd::jobs::fraud {

/// The status and channel filter as ids.
struct Selection {
    domain::FraudOrderFilter filter;  ///< statuses without the hold status
    StatusId hold = 0;               ///< 0 when the hold status is not in the database
};

/// Resolves [fraud] statuses/channels and [orders] hold_status through the catalog; an Error
/// names a status or channel the database does not have.
Result<Selection> resolve_selection(const config::Config& cfg, const domain::Catalog& catalog);

/// Why an order is or is not selected.
enum class SelectOutcome { selected, hold_status, status_not_listed, channel_not_listed };

/// FR-1 for one order's status and channel.
SelectOutcome select_order(const Selection& s, StatusId status, RowId channel);

}  // namespace olmd::jobs::fraud
