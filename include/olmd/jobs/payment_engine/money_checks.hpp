#pragma once
// Bad data in an order's money (rules.md common definitions), checked where the
// payment jobs read it: storage types (typeof(), never coerced), enumerations,
// negative or inconsistent amounts, an unknown status id, and overflow-checked
// sums bounded at 10^15 cents. A problem sends the order to the job's exception
// status with a reason naming the field; it never reaches the gateway.

#include <set>
#include <string>

#include "olmd/core/ids.hpp"
#include "olmd/core/money.hpp"
#include "olmd/domain/payments.hpp"

namespace olmd::jobs::payment_engine {

/// Past this, a money value or sum is bad data (rules.md: 10^15 cents).
inline constexpr Cents kMaxCents = 1'000'000'000'000'000;

/// One bad-data finding.
struct MoneyProblem {
    std::string field;   ///< for the history reason: "payments.captured_cents:payments.id=17"
    std::string detail;  ///< for the log and explain: what the value is and what is allowed
    /// True when something was found.
    explicit operator bool() const { return !field.empty(); }
};

/// The first bad-data problem of the order and its payments, or an empty MoneyProblem.
/// known_statuses: every order_statuses id (an id that names no row is bad data).
MoneyProblem money_problem(const domain::PaymentOrder& o, const std::set<StatusId>& known_statuses);

/// True when the orders row's status_id is stored as something other than an integer.
bool status_not_integer(const domain::PaymentOrder& o);

}  // namespace olmd::jobs::payment_engine
