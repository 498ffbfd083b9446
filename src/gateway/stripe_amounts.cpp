// Stripe's minor units per currency (its published lists: zero-decimal currencies,
// three-decimal currencies, and the special case ISK, which is sent with two decimals that
// must be zero). olmd's amounts are always cents.
#include <algorithm>
#include <array>
#include <limits>

#include "gateway/stripe.hpp"

namespace olmd::gateway {

namespace {

constexpr std::array<std::string_view, 16> kZeroDecimal = {"bif", "clp", "djf", "gnf", "jpy", "kmf",
                                                           "krw", "mga", "pyg", "rwf", "ugx", "vnd",
                                                           "vuv", "xaf", "xof", "xpf"};
constexpr std::array<std::string_view, 5> kThreeDecimal = {"bhd", "jod", "kwd", "omr", "tnd"};

bool in(const auto& list, std::string_view c) {
    return std::find(list.begin(), list.end(), c) != list.end();
}

}  // namespace

std::optional<std::int64_t> to_stripe_amount(Cents cents, std::string_view currency) {
    if (in(kZeroDecimal, currency)) {
        if (cents % 100 != 0) return std::nullopt;
        return cents / 100;
    }
    if (in(kThreeDecimal, currency)) {
        std::int64_t minor = 0;
        if (__builtin_mul_overflow(cents, 10, &minor)) return std::nullopt;
        return minor;
    }
    if (currency == "isk" && cents % 100 != 0) return std::nullopt;
    return cents;
}

Cents from_stripe_amount(std::int64_t amount, std::string_view currency) {
    if (in(kZeroDecimal, currency)) {
        // A reported amount past what cents can hold saturates (fuzz finding F5: no wrap); the engine
        // then refuses it as more than the authorization holds and counts an error (CAP-5).
        Cents cents = 0;
        if (__builtin_mul_overflow(amount, 100, &cents))
            return amount < 0 ? std::numeric_limits<Cents>::min() : std::numeric_limits<Cents>::max();
        return cents;
    }
    if (in(kThreeDecimal, currency)) return amount / 10;
    return amount;
}

}  // namespace olmd::gateway
