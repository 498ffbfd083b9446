// The rules.md money definitions of an order's payments, and journal state names.
#include "olmd/domain/payments.hpp"

#include <algorithm>
#include <cstdint>

namespace olmd::domain {

namespace {

/// a + b, clamped to the int64 range (the sums are bounded by validation; this only keeps them defined).
Cents saturating_add(Cents a, Cents b) {
    Cents r = 0;
    if (__builtin_add_overflow(a, b, &r)) return b > 0 ? INT64_MAX : INT64_MIN;
    return r;
}

}  // namespace

Cents PaymentOrder::paid_cents() const {
    Cents paid = 0;
    for (const auto& p : payments) {
        if (p.is_card())
            paid = saturating_add(paid, p.captured_cents);
        else if (p.status == "settled")
            paid = saturating_add(paid, p.amount_cents);
    }
    return paid;
}

Cents PaymentOrder::balance_due_cents() const {
    Cents due = 0;
    if (__builtin_sub_overflow(grand_total_cents, paid_cents(), &due)) return grand_total_cents > 0 ? INT64_MAX : 0;
    return std::max<Cents>(0, due);
}

Cents PaymentOrder::open_auth_cents() const {
    Cents open = 0;
    for (const auto& p : payments) {
        Cents left = 0;
        if (p.is_card() && p.status == "authorized" && !__builtin_sub_overflow(p.amount_cents, p.captured_cents, &left))
            open = saturating_add(open, left);
    }
    return open;
}

PaymentRow* PaymentOrder::payment(RowId id) {
    for (auto& p : payments)
        if (p.id == id) return &p;
    return nullptr;
}

std::string_view to_string(OpState s) {
    switch (s) {
        case OpState::pending: return "pending";
        case OpState::succeeded: return "succeeded";
        case OpState::declined: return "declined";
        case OpState::unknown: return "unknown";
    }
    return "?";
}

}  // namespace olmd::domain
