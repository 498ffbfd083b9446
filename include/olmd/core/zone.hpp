#pragma once
// IANA time zones (system tzdata via Howard Hinnant's date/tz) and the TIME
// argument formats of cli.md.

#include <string>
#include <string_view>

#include "olmd/core/error.hpp"
#include "olmd/core/time.hpp"

namespace date {
class time_zone;
}

namespace olmd {

/// The zone named (IANA), or the system's zone when name is empty; an Error names unknown zones.
Result<const date::time_zone*> resolve_zone(const std::string& name);

/// Parses a cli.md TIME: "2026-11-22T13:30:00Z", "2026-11-22T08:30:00-05:00", or a local
/// "2026-11-22T08:30[:SS]" / "2026-11-22 08:30[:SS]" read in tz. A local time skipped by DST
/// is an error; a repeated one means its first occurrence. Errors are usage errors (exit 2).
Result<Instant> parse_time_arg(std::string_view text, const date::time_zone* tz);

/// Formats an instant as local time with offset in tz, e.g. "2026-03-08T03:00:00-04:00".
std::string format_local(Instant t, const date::time_zone* tz);

}  // namespace olmd
