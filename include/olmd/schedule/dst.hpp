#pragma once
// SCH-3's mapping between local wall-clock times and instants across DST.
// Zone lookup and TIME parsing live in olmd/core/zone.hpp.

#include <date/tz.h>

#include <string>

#include "olmd/core/time.hpp"

namespace olmd::schedule {

/// SCH-3: the instant local wall-clock time `local` fires at in `zone` (non-null): a time in a
/// spring-forward gap fires at the end of the gap, a repeated time at its first occurrence.
Instant fire_instant(const date::time_zone* zone, date::local_seconds local);

/// The wall-clock time in `zone` (non-null) at instant `t`.
date::local_seconds local_time(const date::time_zone* zone, Instant t);

/// Formats a local time with its UTC offset (local - at), e.g. "2026-03-08T03:00:00-04:00".
std::string format_local_with_offset(date::local_seconds local, Instant at);

}  // namespace olmd::schedule
