#include "olmd/schedule/dst.hpp"

#include <date/date.h>

#include <cstdio>

namespace olmd::schedule {

Instant fire_instant(const date::time_zone* zone, date::local_seconds local) {
    const date::local_info info = zone->get_info(local);
    if (info.result == date::local_info::nonexistent)
        return info.first.end;  // the instant the clocks jump: the first one after the gap
    // Unique, or ambiguous with `first` the earlier occurrence.
    return Instant{local.time_since_epoch()} - info.first.offset;
}

date::local_seconds local_time(const date::time_zone* zone, Instant t) {
    return zone->to_local(t);
}

std::string format_local_with_offset(date::local_seconds local, Instant at) {
    const auto offset = std::chrono::duration_cast<std::chrono::minutes>(local.time_since_epoch() -
                                                                         at.time_since_epoch());
    const long total = offset.count();
    const int mag = static_cast<int>((total < 0 ? -total : total) % (100 * 60));  // |offset| < 24 h
    char buf[16];
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", total < 0 ? '-' : '+', mag / 60, mag % 60);
    return date::format("%Y-%m-%dT%H:%M:%S", local) + buf;
}

}  // namespace olmd::schedule
