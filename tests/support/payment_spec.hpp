#pragma once
// The payment row builder both payment worlds take (the SQLite one,
// unit/payments_test_util.hpp, and the in-memory one, unit/payments_memory_fixture.hpp):
// one payments row, every field with a usable default, so a test names only what it
// is about; and the instant the payment tests run at.

#include <cstdint>
#include <string>

#include "olmd/core/time.hpp"

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

}  // namespace olmd::test
