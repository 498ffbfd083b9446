// libFuzzer target: olmd::parse_amount and format_cents (core/money).
// Input: any bytes, read as the amount text; its first 8 bytes are also read as cents.
// Properties: parse_amount agrees with an exact 128-bit model of its documented grammar
// (digits, then optionally '.' and one or two digits; no sign, no blanks), and
// parse_amount(format_cents(x)) == x for every x it can represent.

#include <cstring>
#include <limits>
#include <optional>

#include "fuzz_check.hpp"
#include "olmd/core/money.hpp"

namespace {

using olmd::Cents;

/// The largest cents parse_amount takes (rules.md: past 10^15 cents is bad data).
constexpr Cents kMaxParsed = olmd::kMaxAmountCents;

/// The value text should parse to under the documented grammar, or nullopt when it must be refused.
std::optional<Cents> model(std::string_view text) {
    const std::size_t dot = text.find('.');
    const std::string_view units = text.substr(0, dot);
    const std::string_view dec = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
    const auto digits = [](std::string_view s) { return s.find_first_not_of("0123456789") == std::string_view::npos; };
    if (units.empty() || !digits(units) || !digits(dec)) return std::nullopt;
    if (dot != std::string_view::npos && (dec.empty() || dec.size() > 2)) return std::nullopt;
    __int128 v = 0;
    for (char c : units) {
        v = v * 10 + (c - '0');
        if (v > kMaxParsed / 100) return std::nullopt;
    }
    int fraction = 0;
    for (char c : dec) fraction = fraction * 10 + (c - '0');
    if (dec.size() == 1) fraction *= 10;
    if (v * 100 + fraction > kMaxParsed) return std::nullopt;
    return static_cast<Cents>(v * 100 + fraction);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = olmd::fuzz::as_text(data, size);
    const auto parsed = olmd::parse_amount(text);
    const auto expected = model(text);
    FUZZ_CHECK(parsed.ok() == expected.has_value(), std::string(text));
    if (parsed.ok()) {
        FUZZ_CHECK(*parsed == *expected, std::string(text) + " -> " + std::to_string(*parsed));
        const auto again = olmd::parse_amount(olmd::format_cents(*parsed));
        FUZZ_CHECK(again.ok() && *again == *parsed, olmd::format_cents(*parsed));
    } else {
        FUZZ_CHECK(parsed.error().message.rfind("invalid amount \"", 0) == 0, parsed.error().message);
    }

    if (size >= sizeof(Cents)) {
        Cents x = 0;
        std::memcpy(&x, data, sizeof x);
        const std::string shown = olmd::format_cents(x);
        const auto back = olmd::parse_amount(shown);
        if (x >= 0 && x <= kMaxParsed)
            FUZZ_CHECK(back.ok() && *back == x, std::to_string(x) + " -> " + shown);
        else
            FUZZ_CHECK(!back.ok(), std::to_string(x) + " -> " + shown);
    }
    return 0;
}
