#pragma once
// Money is integer cents everywhere; never a floating-point amount.

#include <cstdint>
#include <string>
#include <string_view>

#include "olmd/core/error.hpp"

namespace olmd {

using Cents = std::int64_t;

/// rules.md: any amount or sum past 10^15 cents is bad data (and no config amount may exceed it).
inline constexpr Cents kMaxAmountCents = 1'000'000'000'000'000;

/// Parses "500", "500.5", "500.00" (at most two decimals, no sign, at most 10^15 cents) into cents.
Result<Cents> parse_amount(std::string_view text);

/// Formats cents as a plain decimal with two places, e.g. 50000 -> "500.00".
std::string format_cents(Cents cents);

}  // namespace olmd
