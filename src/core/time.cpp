// GCC 12 at -O2 reports a false -Wmaybe-uninitialized inside date::from_stream (date.h's seconds
// field, instantiated by parse_utc); the value is always written before it is read. This file only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "olmd/core/time.hpp"

#include <date/date.h>

#include <sstream>

namespace olmd {

std::string format_utc(Instant t) {
    return date::format("%Y-%m-%dT%H:%M:%SZ", t);
}

Result<Instant> parse_utc(std::string_view text) {
    // Strict shape check first: date::parse is lenient about widths. The contract's form, and
    // SQLite's own datetime('now') form (UTC, a blank for the T, no Z) that back offices write.
    static constexpr std::string_view shape = "dddd-dd-ddTdd:dd:ddZ";
    static constexpr std::string_view sqlite_shape = "dddd-dd-dd dd:dd:dd";
    auto fits = [&text](std::string_view sh) {
        bool ok = text.size() == sh.size();
        for (std::size_t i = 0; ok && i < sh.size(); ++i)
            ok = sh[i] == 'd' ? (text[i] >= '0' && text[i] <= '9') : text[i] == sh[i];
        return ok;
    };
    std::string canonical;
    if (fits(shape)) {
        canonical = std::string(text);
    } else if (fits(sqlite_shape)) {
        canonical = std::string(text.substr(0, 10)) + "T" + std::string(text.substr(11)) + "Z";
    } else {
        return Error{"unparseable timestamp \"" + std::string(text) +
                     "\" (expected YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DD HH:MM:SS, UTC)"};
    }
    std::istringstream in{canonical};
    Instant t{};
    in >> date::parse("%Y-%m-%dT%H:%M:%SZ", t);
    if (in.fail())
        return Error{"invalid timestamp \"" + std::string(text) + "\" (not a real date or time)"};
    // Reject normalised overflows such as 2026-02-30.
    if (format_utc(t) != canonical)
        return Error{"invalid timestamp \"" + std::string(text) + "\" (not a real date or time)"};
    return t;
}

}  // namespace olmd
