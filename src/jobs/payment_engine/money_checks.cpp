// Bad data in an order's money (see money_checks.hpp).
#include "olmd/jobs/payment_engine/money_checks.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace olmd::jobs::payment_engine {

namespace {

constexpr std::array<std::string_view, 7> kMethods = {"credit_card", "gift_certificate", "customer_credit", "paypal",
                                                      "check",       "cash",             "cod"};
constexpr std::array<std::string_view, 6> kStatuses = {"authorized", "captured", "voided",
                                                       "declined",   "settled",  "pending"};
constexpr std::array<std::string_view, 3> kChecks = {"match", "mismatch", "unavailable"};

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& list, const std::string& v) {
    for (auto x : list)
        if (x == v) return true;
    return false;
}

MoneyProblem on_payment(const domain::PaymentRow& p, const std::string& column, std::string detail) {
    return {"payments." + column + ":payments.id=" + std::to_string(p.id),
            "payment " + std::to_string(p.id) + ": " + column + " " + std::move(detail)};
}

std::string first_of(const std::string& list) { return list.substr(0, list.find(',')); }

MoneyProblem check_payment(const domain::PaymentRow& p) {
    if (!p.bad_types.empty())
        return on_payment(p, first_of(p.bad_types), "is not an integer (text or a fraction is never coerced)");
    if (!one_of(kMethods, p.method)) return on_payment(p, "method", "\"" + p.method + "\" is not a payment method");
    if (!one_of(kStatuses, p.status)) return on_payment(p, "status", "\"" + p.status + "\" is not a payment status");
    if (p.amount_cents < 0 || p.amount_cents > kMaxCents)
        return on_payment(p, "amount_cents", "= " + std::to_string(p.amount_cents) + " is outside 0..10^15");
    if (p.captured_cents < 0 || p.captured_cents > p.amount_cents)
        return on_payment(p, "captured_cents",
                          "= " + std::to_string(p.captured_cents) + " is outside 0..amount_cents (" +
                              std::to_string(p.amount_cents) + ")");
    if (p.reauth_attempts < 0)
        return on_payment(p, "reauth_attempts", "is negative");
    if (!p.avs_result.empty() && !one_of(kChecks, p.avs_result))
        return on_payment(p, "avs_result", "\"" + p.avs_result + "\" is not match, mismatch or unavailable");
    if (!p.cvv_result.empty() && !one_of(kChecks, p.cvv_result))
        return on_payment(p, "cvv_result", "\"" + p.cvv_result + "\" is not match, mismatch or unavailable");
    return {};
}

/// sum += v, false when the sum leaves 0..10^15.
bool add_bounded(Cents& sum, Cents v) {
    Cents r = 0;
    if (__builtin_add_overflow(sum, v, &r) || r > kMaxCents || r < 0) return false;
    sum = r;
    return true;
}

}  // namespace

bool status_not_integer(const domain::PaymentOrder& o) {
    for (std::size_t at = 0; at <= o.bad_types.size();) {
        const auto end = std::min(o.bad_types.find(',', at), o.bad_types.size());
        if (o.bad_types.compare(at, end - at, "status_id") == 0) return true;
        at = end + 1;
    }
    return false;
}

MoneyProblem money_problem(const domain::PaymentOrder& o, const std::set<StatusId>& known_statuses) {
    if (!o.bad_types.empty()) {
        const std::string col = first_of(o.bad_types);
        return {"orders." + col, "order " + o.number + ": " + col +
                                     (col == "is_delayed_delivery" || col == "is_club" ? " is not 0 or 1"
                                                                                        : " is not an integer")};
    }
    if (!known_statuses.count(o.status_id))
        return {"orders.status_id", "order " + o.number + ": status_id " + std::to_string(o.status_id) +
                                        " names no row of order_statuses"};
    if (o.grand_total_cents < 0 || o.grand_total_cents > kMaxCents)
        return {"orders.grand_total_cents", "order " + o.number + ": grand_total_cents = " +
                                                std::to_string(o.grand_total_cents) + " is outside 0..10^15"};
    Cents paid = 0, open = 0;
    for (const auto& p : o.payments) {
        if (auto bad = check_payment(p)) return bad;
        if (p.is_card()) {
            if (!add_bounded(paid, p.captured_cents))
                return on_payment(p, "captured_cents", "makes the order's paid sum pass 10^15 cents");
            if (p.status == "authorized" && !add_bounded(open, p.amount_cents - p.captured_cents))
                return on_payment(p, "amount_cents", "makes the order's open authorizations pass 10^15 cents");
        } else if (p.status == "settled" && !add_bounded(paid, p.amount_cents)) {
            return on_payment(p, "amount_cents", "makes the order's paid sum pass 10^15 cents");
        }
    }
    return {};
}

}  // namespace olmd::jobs::payment_engine
