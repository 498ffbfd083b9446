#pragma once
// SRC-2..SRC-6, in the spec's order; the first that applies sets the order's
// status and ends its processing for this run. Bad data in the order's own rows
// (bad_data.hpp) is checked first, and bad payments or a bad is_cod where SRC-4
// reads them; each sends the order to result.exception. No ship country is not
// bad data (SRC-3 then does not apply).

#include <functional>
#include <optional>
#include <string>

#include "olmd/core/error.hpp"
#include "olmd/jobs/sourcing/bad_data.hpp"
#include "olmd/jobs/sourcing/names.hpp"
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

/// The bad-data result (result.exception) of a finding.
CheckResult bad_data_result(const Settings& s, const BadData& bad);

/// Runs the order's bad-data checks (order_bad_data) then SRC-2..SRC-6; nullopt when none
/// applies and sourcing goes on. trace (may be null) gets one line per check passed.
/// An Error only when the payments could not be read.
Result<std::optional<CheckResult>> run_prechecks(const SourcingOrder& o, const Settings& s,
                                                 const ReferenceData& ref, const PaymentsFn& payments,
                                                 Trace* trace);

}  // namespace olmd::jobs::sourcing
