#pragma once
// rules.md "bad data" for the fraud job: every column it reads from orders and
// payments, checked whatever tests are enabled (storage types via typeof(),
// ids that name no row, enumerations, the 10^15-cent bound). A problem sends the
// order to [orders] non_compliant_status, reason "bad_data:<table>.<column>[:<table>.id=N]".

#include <string>

#include "olmd/jobs/fraud/names.hpp"

namespace olmd::jobs::fraud {

/// One bad-data finding on an order.
struct OrderProblem {
    std::string field;   ///< "orders.channel_id", "payments.method:payments.id=17"
    std::string detail;  ///< what is wrong, for explain and the log
    /// True when something was found.
    explicit operator bool() const { return !field.empty(); }
};

/// The first bad-data problem of the order (orders columns, then payments by id); empty when none.
OrderProblem order_problem(const FraudOrder& o);

}  // namespace olmd::jobs::fraud
