#pragma once
// SRC-2..SRC-6, in the spec's order; the first that applies sets the order's
// status and ends its processing for this run. The bad data these checks meet
// (a line that cannot be interpreted) sends the order to result.exception at the
// point it is met; no ship country is not bad data (SRC-3 then does not apply).

#include <functional>
#include <optional>
#include <string>

#include "olmd/core/error.hpp"
#include "olmd/jobs/sourcing/model.hpp"
#include "olmd/jobs/sourcing/settings.hpp"

namespace olmd::jobs::sourcing {

/// The status a pre-check (or a bad-data finding) sets.
struct CheckResult {
    StatusId to = 0;
    std::string reason;  ///< history reason, e.g. "invalid_us_zip"
    std::string rule;    ///< "SRC-3", or "bad data"
    std::string why;     ///< what was compared, for explain
    bool bad_data = false;
};

/// Reads an order's payment figures (SRC-4, SRC-12).
using PaymentsFn = std::function<Result<PaymentTotals>(OrderId)>;

/// True when a ship zip is NNNNN or NNNNN-NNNN (surrounding blanks ignored).
bool valid_us_zip(std::string_view zip);

/// The first line that cannot be interpreted (unknown SKU, quantity <= 0, a kit line with no
/// component lines, a component whose kit line is missing) as a reason naming the row; "" when
/// every line is fine.
std::string invalid_line(const SourcingOrder& o, const ReferenceData& ref);

/// Runs SRC-2..SRC-6 (with the line validation before SRC-6, which needs the SKUs); nullopt when
/// none applies and sourcing goes on. trace (may be null) gets one line per check passed.
/// An Error only when the payments could not be read.
Result<std::optional<CheckResult>> run_prechecks(const SourcingOrder& o, const Settings& s,
                                                 const ReferenceData& ref, const PaymentsFn& payments,
                                                 Trace* trace);

}  // namespace olmd::jobs::sourcing
