#include "olmd/core/time.hpp"

#include <date/date.h>

#include <sstream>

namespace olmd {

std::string format_utc(Instant t) {
    return date::format("%Y-%m-%dT%H:%M:%SZ", t);
}

Result<Instant> parse_utc(std::string_view text) {
    // Strict shape check first: date::parse is lenient about widths.
    static constexpr std::string_view shape = "dddd-dd-ddTdd:dd:ddZ";
    bool shaped = text.size() == shape.size();
    for (std::size_t i = 0; shaped && i < shape.size(); ++i)
        shaped = shape[i] == 'd' ? (text[i] >= '0' && text[i] <= '9') : text[i] == shape[i];
    if (!shaped)
        return Error{"unparseable timestamp \"" + std::string(text) + "\" (expected YYYY-MM-DDTHH:MM:SSZ, UTC)"};
    std::istringstream in{std::string(text)};
    Instant t{};
    in >> date::parse("%Y-%m-%dT%H:%M:%SZ", t);
    if (in.fail())
        return Error{"invalid timestamp \"" + std::string(text) + "\" (not a real date or time)"};
    // Reject normalised overflows such as 2026-02-30.
    if (format_utc(t) != text)
        return Error{"invalid timestamp \"" + std::string(text) + "\" (not a real date or time)"};
    return t;
}

Instant SystemClock::now() const {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace olmd
