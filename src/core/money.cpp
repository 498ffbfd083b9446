#include "olmd/core/money.hpp"

#include <limits>

namespace olmd {

Result<Cents> parse_amount(std::string_view text) {
    auto bad = [&](const std::string& why) {
        std::string shown(text.substr(0, 40));
        if (text.size() > 40) shown += "…";
        return Error{"invalid amount \"" + shown + "\": " + why +
                     " (write whole units or up to two decimals, e.g. \"500\" or \"500.00\")"};
    };
    if (text.empty()) return bad("empty");
    Cents units = 0;
    std::size_t i = 0;
    bool any_digit = false;
    for (; i < text.size() && text[i] != '.'; ++i) {
        const char c = text[i];
        if (c < '0' || c > '9') return bad(c == '-' ? "negative amounts are not allowed" : "not a number");
        if (units > kMaxAmountCents / 100) return bad("too large (at most " + format_cents(kMaxAmountCents) + ")");
        units = units * 10 + (c - '0');
        any_digit = true;
    }
    Cents fraction = 0;
    if (i < text.size()) {  // at '.'
        const std::string_view dec = text.substr(i + 1);
        if (dec.empty() || dec.size() > 2) return bad("at most two decimals");
        for (char c : dec) {
            if (c < '0' || c > '9') return bad("not a number");
            fraction = fraction * 10 + (c - '0');
        }
        if (dec.size() == 1) fraction *= 10;
    }
    if (!any_digit) return bad("not a number");
    if (units * 100 + fraction > kMaxAmountCents)
        return bad("too large (at most " + format_cents(kMaxAmountCents) + ")");
    return units * 100 + fraction;
}

std::string format_cents(Cents cents) {
    const bool neg = cents < 0;
    const unsigned long long v = neg ? 0ULL - static_cast<unsigned long long>(cents)
                                     : static_cast<unsigned long long>(cents);
    std::string frac = std::to_string(v % 100);
    if (frac.size() < 2) frac.insert(0, "0");
    return (neg ? "-" : "") + std::to_string(v / 100) + "." + frac;
}

}  // namespace olmd
