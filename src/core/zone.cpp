#include "olmd/core/zone.hpp"

#include <date/tz.h>

#include <regex>
#include <sstream>

namespace olmd {

Result<const date::time_zone*> resolve_zone(const std::string& name) {
    try {
        if (name.empty()) return date::current_zone();
        return date::locate_zone(name);
    } catch (const std::exception& e) {
        if (name.empty())
            return Error{std::string("cannot determine the system time zone (") + e.what() +
                         "); set [daemon] timezone to an IANA name such as \"America/New_York\""};
        return Error{"unknown time zone \"" + name + "\"; use an IANA name such as \"America/New_York\""};
    }
}

Result<Instant> parse_time_arg(std::string_view text, const date::time_zone* tz) {
    static const std::regex re(
        R"(^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})?$)");
    const std::string s(text);
    std::smatch m;
    const auto usage = [&](const std::string& why) {
        return Error{"bad TIME \"" + s + "\": " + why +
                         " (use 2026-11-22T13:30:00Z, 2026-11-22T08:30:00-05:00, or local 2026-11-22T08:30)",
                     exit_code::usage};
    };
    if (!std::regex_match(s, m, re)) return usage("not an ISO 8601 time");
    const int y = std::stoi(m[1]);
    const unsigned mo = static_cast<unsigned>(std::stoi(m[2]));
    const unsigned d = static_cast<unsigned>(std::stoi(m[3]));
    const int hh = std::stoi(m[4]);
    const int mm = std::stoi(m[5]);
    const int ss = m[6].matched ? std::stoi(m[6]) : 0;
    const date::year_month_day ymd{date::year{y}, date::month{mo}, date::day{d}};
    if (!ymd.ok() || hh > 23 || mm > 59 || ss > 59) return usage("no such date or time");
    using namespace std::chrono;
    const auto tod = hours{hh} + minutes{mm} + seconds{ss};
    if (m[7].matched) {
        const std::string off = m[7];
        seconds offset{0};
        if (off != "Z") {
            const int oh = std::stoi(off.substr(1, 2));
            const int om = std::stoi(off.substr(4, 2));
            if (oh > 23 || om > 59) return usage("bad UTC offset");
            offset = hours{oh} + minutes{om};
            if (off[0] == '-') offset = -offset;
        }
        return Instant{date::sys_days{ymd}.time_since_epoch() + tod - offset};
    }
    if (tz == nullptr) return usage("a local time needs a time zone");
    const date::local_seconds local{date::local_days{ymd}.time_since_epoch() + tod};
    const auto info = tz->get_info(local);
    if (info.result == date::local_info::nonexistent)
        return usage("this local time does not exist in " + tz->name() + " (skipped by a DST change)");
    // Unique or ambiguous: first = the earlier occurrence.
    return Instant{local.time_since_epoch() - info.first.offset};
}

std::string format_local(Instant t, const date::time_zone* tz) {
    const auto info = tz->get_info(t);
    const auto local = date::local_seconds{t.time_since_epoch() + info.offset};
    std::string out = date::format("%Y-%m-%dT%H:%M:%S", local);
    auto off = std::chrono::duration_cast<std::chrono::minutes>(info.offset).count();
    const char sign = off < 0 ? '-' : '+';
    if (off < 0) off = -off;
    char buf[8];
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", sign, static_cast<int>(off / 60), static_cast<int>(off % 60));
    return out + buf;
}

}  // namespace olmd
