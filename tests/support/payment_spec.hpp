#pragma once
// The payment row builder both payment worlds take (the SQLite one,
// unit/payments_test_util.hpp, and the in-memory one, unit/payments_memory_fixture.hpp):
// one payments row, every field with a usable default, so a test names only what it
// is about (payment_row() for the in-memory store, support/payment_sql.hpp for SQLite);
// and the instant the payment tests run at.

#include <cstdint>
#include <string>

#include "olmd/core/time.hpp"
#include "olmd/domain/payments.hpp"

namespace olmd::test {

inline const Instant kPayNow = *parse_utc("2026-11-22T12:00:00Z");

/// A payments row; every field has a usable default.
struct PaymentSpec {
    std::string method = "credit_card";
    std::string status = "authorized";
    std::int64_t amount = 10000;
    std::int64_t captured = 0;
    std::string token = "tok_visa_1";
    std::string ref = "sbx_auth_1";        ///< "" = NULL
    std::string created_at = "2026-11-20T10:00:00Z";
    std::string authorized_at = "2026-11-20T10:00:05Z";  ///< "" = NULL
    int reauth_attempts = 0;
    std::string last_attempt_at = {};      ///< "" = NULL
    std::string customer_ref = "cus_olmd_test";  ///< "" = NULL (Stripe then cannot re-use the card: card_not_reusable)
};

/// The payments row a spec describes, as a PaymentRepository reads it (for the in-memory store).
inline domain::PaymentRow payment_row(RowId id, OrderId order_id, const PaymentSpec& s) {
    domain::PaymentRow p;
    p.id = id;
    p.order_id = order_id;
    p.method = s.method;
    p.status = s.status;
    p.amount_cents = s.amount;
    p.captured_cents = s.captured;
    p.card_token = s.token;
    p.customer_ref = s.customer_ref;
    p.gateway_ref = s.ref;
    p.created_at = s.created_at;
    p.authorized_at = s.authorized_at;
    p.reauth_attempts = s.reauth_attempts;
    p.last_attempt_at = s.last_attempt_at;
    return p;
}

}  // namespace olmd::test
