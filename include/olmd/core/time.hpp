#pragma once
// Instants are UTC seconds; the database stores them as YYYY-MM-DDTHH:MM:SSZ.

#include <chrono>
#include <string>
#include <string_view>

#include "olmd/core/error.hpp"

namespace olmd {

using Instant = std::chrono::sys_seconds;

/// Formats an instant as the database's UTC text, "2026-11-22T13:30:00Z".
std::string format_utc(Instant t);

/// Parses a UTC timestamp read from the database: the contract's "YYYY-MM-DDTHH:MM:SSZ" or SQLite's own
/// "YYYY-MM-DD HH:MM:SS" (rules.md, timestamps read); an error names the text.
Result<Instant> parse_utc(std::string_view text);

}  // namespace olmd
