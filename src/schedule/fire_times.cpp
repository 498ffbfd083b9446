#include "olmd/schedule/fire_times.hpp"

#include <date/date.h>

#include "olmd/core/zone.hpp"
#include "olmd/schedule/dst.hpp"

namespace olmd::schedule {

namespace {

constexpr int kMinutesPerDay = 24 * 60;

/// The jobs of a mask, in the fixed order (SCH-2).
std::vector<JobKind> jobs_of(unsigned mask) {
    std::vector<JobKind> out;
    for (std::size_t i = 0; i < kAllJobs.size(); ++i)
        if (mask & (1u << i)) out.push_back(kAllJobs[i]);
    return out;
}

}  // namespace

std::string format_fire_time(const FireTime& f) {
    std::string out = format_local_with_offset(f.local, f.at);
    char sep = ' ';
    for (JobKind k : f.jobs) {
        out += sep;
        out += job_name(k);
        sep = ',';
    }
    return out;
}

Result<FireTimeCalculator> FireTimeCalculator::create(const config::Config& cfg) {
    auto zone = olmd::resolve_zone(cfg.daemon.timezone);
    if (!zone) return zone.error().with_context("[daemon] timezone");
    return FireTimeCalculator(cfg, *zone);
}

FireTimeCalculator::FireTimeCalculator(const config::Config& cfg, const date::time_zone* zone) : zone_(zone) {
    for (std::size_t i = 0; i < kAllJobs.size(); ++i) {
        const config::JobCommon& job = cfg.job(kAllJobs[i]);
        if (!job.enabled || !job.schedule.any()) continue;
        jobs_[i] = JobSchedule{job.schedule.slots, job.schedule.cron};
    }
}

bool FireTimeCalculator::empty() const {
    for (const auto& j : jobs_)
        if (j) return false;
    return true;
}

bool FireTimeCalculator::day_masks(date::local_days day, std::array<Mask, 1440>& masks) const {
    const date::year_month_day ymd{day};
    const unsigned dom = static_cast<unsigned>(ymd.day());
    const unsigned month = static_cast<unsigned>(ymd.month());
    const unsigned dow = date::weekday{day}.c_encoding();
    bool any = false;
    for (std::size_t i = 0; i < jobs_.size(); ++i) {
        if (!jobs_[i]) continue;
        const JobSchedule& js = *jobs_[i];
        const Mask bit = 1u << i;
        if (js.cron) {
            if (!js.cron->day_matches(dom, month, dow)) continue;
            for (std::size_t h = 0; h < 24; ++h) {
                if (!js.cron->hours[h]) continue;
                for (std::size_t m = 0; m < 60; ++m) {
                    if (!js.cron->minutes[m]) continue;
                    if (!any) masks.fill(0);
                    any = true;
                    masks[h * 60 + m] |= bit;
                }
            }
        }
        for (int m : js.slots) {
            if (m < 0 || m >= kMinutesPerDay) continue;
            if (!any) masks.fill(0);
            any = true;
            masks[static_cast<std::size_t>(m)] |= bit;
        }
    }
    return any;
}

date::local_days FireTimeCalculator::first_day(Instant after) const {
    // Local wall time -> fire instant is non-decreasing, so any day whose midnight fires
    // at or before `after` bounds the search from below; two days back covers even a
    // skipped calendar day (Pacific/Apia 2011).
    date::local_days day = date::floor<date::days>(local_time(zone_, after)) - date::days{2};
    while (fire_instant(zone_, date::local_seconds{day}) > after) day -= date::days{1};
    return day;
}

template <class Visit>
void FireTimeCalculator::scan(Instant after, date::local_days last_day, Visit&& visit) const {
    std::array<Mask, 1440> masks{};
    std::optional<Instant> pending_at;
    Mask pending_mask = 0;
    for (date::local_days day = first_day(after); day <= last_day; day += date::days{1}) {
        if (!day_masks(day, masks)) continue;
        for (int m = 0; m < kMinutesPerDay; ++m) {
            const Mask mask = masks[static_cast<std::size_t>(m)];
            if (mask == 0) continue;
            const Instant at = fire_instant(zone_, date::local_seconds{day} + std::chrono::minutes{m});
            if (at <= after) continue;
            if (pending_at && *pending_at == at) {
                pending_mask |= mask;  // SCH-3: same instant, one fire time
                continue;
            }
            if (pending_at && !visit(FireTime{*pending_at, jobs_of(pending_mask), local_time(zone_, *pending_at)}))
                return;
            pending_at = at;
            pending_mask = mask;
        }
    }
    if (pending_at) visit(FireTime{*pending_at, jobs_of(pending_mask), local_time(zone_, *pending_at)});
}

std::optional<FireTime> FireTimeCalculator::next_after(Instant t) const {
    if (empty()) return std::nullopt;
    std::optional<FireTime> found;
    const date::local_days last = date::floor<date::days>(local_time(zone_, t)) + date::days{kSearchHorizonDays};
    scan(t, last, [&](FireTime&& f) {
        found = std::move(f);
        return false;
    });
    return found;
}

std::vector<FireTime> FireTimeCalculator::between(Instant after, Instant until) const {
    std::vector<FireTime> out;
    if (empty() || until <= after) return out;
    // Two days past `until` so a fire time merging across midnight is complete.
    const date::local_days last = date::floor<date::days>(local_time(zone_, until)) + date::days{2};
    scan(after, last, [&](FireTime&& f) {
        if (f.at > until) return false;
        out.push_back(std::move(f));
        return true;
    });
    return out;
}

}  // namespace olmd::schedule
