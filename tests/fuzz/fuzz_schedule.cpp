// libFuzzer target: the schedule syntax of SCH-1 (config/schedule_spec: parse_cron,
// parse_slot, parse_slots) and the fire times computed from it (schedule/fire_times, SCH-1..3).
// Input: an optional first line "@ZONE [TIME]" (IANA zone, cli.md TIME; defaults UTC and
// 2026-03-01T00:00:00Z), then up to four lines, one schedule each for capture, reauth,
// fraud and sourcing: a cron expression, or a comma-separated slot list.
// Properties: parsed slots are half-hour minutes 0..1410; parsing is deterministic; the
// fire times after TIME are strictly increasing, each has jobs, its wall clock maps back to
// it, between() agrees with next_after(), and slot schedules fire within two days.

#include <date/tz.h>

#include <string>
#include <vector>

#include "fuzz_check.hpp"
#include "known_findings.hpp"
#include "olmd/config/config.hpp"
#include "olmd/config/schedule_spec.hpp"
#include "olmd/core/zone.hpp"
#include "olmd/schedule/dst.hpp"
#include "olmd/schedule/fire_times.hpp"

namespace {

using namespace olmd;
using olmd::fuzz::take_line;

/// Splits a slot list on commas, keeping empty items (parse_slots must refuse them).
std::vector<std::string> split_slots(std::string_view line) {
    std::vector<std::string> out;
    while (true) {
        const std::size_t comma = line.find(',');
        out.emplace_back(line.substr(0, comma));
        if (comma == std::string_view::npos) return out;
        line.remove_prefix(comma + 1);
    }
}

/// Vixie cron's day rule: a day field starting with '*' (even "*/2") keeps its bits but makes
/// the rule "both fields match" instead of "either field matches" (cron.c, DOM_STAR/DOW_STAR).
bool vixie_day(const config::CronSpec& c, unsigned dom, unsigned month, unsigned dow) {
    if (!c.months[month]) return false;
    const bool dom_bit = c.days_of_month[dom];
    const bool dow_bit = c.days_of_week[dow];
    return (!c.dom_restricted || !c.dow_restricted) ? dom_bit && dow_bit : dom_bit || dow_bit;
}

/// Checks CronSpec::day_matches against vixie_day on every (month, day, weekday).
void check_day_rule(const config::CronSpec& c) {
    // F4: while open, only crons whose '*' day fields select every day are compared.
    const bool star_step = (!c.dom_restricted && c.days_of_month.count() != 31) ||
                           (!c.dow_restricted && c.days_of_week.count() != 7);
    if (fuzz::known::kF4CronStarStep && star_step) return;
    for (unsigned m = 1; m <= 12; ++m)
        for (unsigned d = 1; d <= 31; ++d)
            for (unsigned w = 0; w < 7; ++w)
                FUZZ_CHECK(c.day_matches(d, m, w) == vixie_day(c, d, m, w),
                           c.text + " on day " + std::to_string(d) + " month " + std::to_string(m) + " weekday " +
                               std::to_string(w));
}

/// Parses one schedule line both ways and checks what the slot parser returns.
config::Schedule read_schedule(std::string_view line) {
    config::Schedule s;
    auto cron = config::parse_cron(line);
    const auto slots = config::parse_slots(split_slots(line));
    if (slots) {
        for (std::size_t i = 0; i < slots->size(); ++i) {
            const int m = (*slots)[i];
            const bool signed_slot = fuzz::known::kF1SignedSlot && m < 0 && m % 30 == 0;
            FUZZ_CHECK((m >= 0 || signed_slot) && m <= 1410 && m % 30 == 0, std::string(line));
            FUZZ_CHECK(i == 0 || (*slots)[i - 1] < m, std::string(line));
        }
    }
    if (cron) {
        FUZZ_CHECK(cron->minutes.any() && cron->hours.any() && cron->months.any(), std::string(line));
        FUZZ_CHECK(!cron->months[0] && !cron->days_of_month[0], std::string(line));
        const auto again = config::parse_cron(line);
        FUZZ_CHECK(again && again->minutes == cron->minutes && again->days_of_week == cron->days_of_week,
                   std::string(line));
        check_day_rule(*cron);
        s.cron = std::move(*cron);
    } else if (slots) {
        s.slots = *slots;
    }
    return s;
}

/// Checks the first fire times after t.
void check_fire_times(const schedule::FireTimeCalculator& calc, Instant t, bool slots_only) {
    Instant after = t;
    for (int i = 0; i < 6; ++i) {
        const auto f = calc.next_after(after);
        if (!f) {
            FUZZ_CHECK(!slots_only, format_utc(after));
            return;
        }
        const std::string seen = schedule::format_fire_time(*f) + " after " + format_utc(after);
        FUZZ_CHECK(f->at > after && !f->jobs.empty(), seen);
        if (slots_only) FUZZ_CHECK(f->at - after <= std::chrono::hours{50}, seen);
        FUZZ_CHECK(f->local == schedule::local_time(calc.zone(), f->at), seen);
        FUZZ_CHECK(schedule::fire_instant(calc.zone(), f->local) == f->at, seen);
        if (i == 0) {
            const auto all = calc.between(after, f->at);
            FUZZ_CHECK(all.size() == 1 && all.front() == *f, seen);
        }
        after = f->at;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text = fuzz::as_text(data, size);
    const date::time_zone* zone = date::locate_zone("UTC");
    Instant t = date::sys_days{date::year{2026} / 3 / 1};
    if (!text.empty() && text.front() == '@') {
        std::string_view head = take_line(text).substr(1);
        const std::size_t blank = head.find(' ');
        const std::string name(head.substr(0, blank));
        if (auto z = resolve_zone(name.empty() ? "UTC" : name)) zone = *z;
        if (blank != std::string_view::npos)
            if (auto at = parse_time_arg(head.substr(blank + 1), zone)) t = *at;
    }

    const std::string_view schedules = text;
    config::Config cfg;
    bool any = false;
    bool slots_only = true;
    for (JobKind k : kAllJobs) {
        if (text.empty()) break;
        const config::Schedule s = read_schedule(take_line(text));
        config::JobCommon& job = k == JobKind::capture  ? static_cast<config::JobCommon&>(cfg.capture)
                                 : k == JobKind::reauth ? static_cast<config::JobCommon&>(cfg.reauth)
                                 : k == JobKind::fraud  ? static_cast<config::JobCommon&>(cfg.fraud)
                                                        : static_cast<config::JobCommon&>(cfg.sourcing);
        job.enabled = s.any();
        job.schedule = s;
        any = any || s.any();
        slots_only = slots_only && !s.cron;
    }
    const schedule::FireTimeCalculator calc(cfg, zone);
    FUZZ_CHECK(calc.empty() == !any, std::string(fuzz::as_text(data, size)));
    // F1: a negative slot is dropped by the calculator, so such a job may never fire.
    const bool negative_slot = fuzz::known::kF1SignedSlot && schedules.find('-') != std::string_view::npos;
    check_fire_times(calc, t, any && slots_only && !negative_slot);
    return 0;
}
