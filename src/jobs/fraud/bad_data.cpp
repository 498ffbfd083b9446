// rules.md "bad data" for the fraud job (see bad_data.hpp).
#include "olmd/jobs/fraud/bad_data.hpp"

namespace olmd::jobs::fraud {

namespace {

constexpr Cents kMaxCents = 1'000'000'000'000'000;  // rules.md: past 10^15 cents is bad data

std::string first_of(const std::string& list) {
    return list.substr(0, list.find(','));
}

std::string payment_detail(const std::string& column) {
    if (column == "method") return "is not one of the payment methods of database.md";
    if (column == "status") return "is not one of the payment statuses of database.md";
    return "is not match, mismatch or unavailable";
}

}  // namespace

OrderProblem order_problem(const FraudOrder& o) {
    const std::string who = "order " + o.number + ": ";
    if (!o.bad_types.empty()) {
        const std::string col = first_of(o.bad_types);
        return {"orders." + col, who + col + " is not an integer (text or a fraction is never coerced)"};
    }
    if (!o.status_known)
        return {"orders.status_id",
                who + "status_id " + std::to_string(o.status_id) + " names no row of order_statuses"};
    if (!o.channel_known)
        return {"orders.channel_id",
                who + "channel_id " + std::to_string(o.channel_id) + " names no row of channels"};
    if (o.shipping_method_id && !o.shipping_method_name)
        return {"orders.shipping_method_id", who + "shipping_method_id " +
                                                 std::to_string(*o.shipping_method_id) +
                                                 " names no row of shipping_methods"};
    if (!o.grand_total_cents) return {"orders.grand_total_cents", who + "grand_total_cents is NULL"};
    if (*o.grand_total_cents < 0 || *o.grand_total_cents > kMaxCents)
        return {"orders.grand_total_cents",
                who + "grand_total_cents = " + std::to_string(*o.grand_total_cents) + " is outside 0..10^15"};
    if (o.bad_payment_id != 0)
        return {"payments." + o.bad_payment_column + ":payments.id=" + std::to_string(o.bad_payment_id),
                who + "payment " + std::to_string(o.bad_payment_id) + ": " + o.bad_payment_column + " " +
                    payment_detail(o.bad_payment_column)};
    return {};
}

}  // namespace olmd::jobs::fraud
