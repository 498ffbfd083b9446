#pragma once
// Fire times (SCH-1..SCH-3): when each enabled job's slots or cron come due in
// the schedule's time zone, merged per instant, in the fixed job order.

#include <date/tz.h>

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "olmd/config/config.hpp"
#include "olmd/core/error.hpp"
#include "olmd/core/ids.hpp"
#include "olmd/core/time.hpp"

namespace olmd::schedule {

/// One fire time: the instant, the jobs due then, and the wall clock at that instant.
struct FireTime {
    Instant at;
    std::vector<JobKind> jobs;   ///< in the fixed order capture, reauth, fraud, sourcing (SCH-2)
    date::local_seconds local;   ///< wall-clock time in the zone at `at` (03:00 for a 02:30 in a gap)

    bool operator==(const FireTime&) const = default;
};

/// Formats a fire time for `olmd schedule`: "2026-03-08T03:00:00-04:00 capture,fraud".
std::string format_fire_time(const FireTime& f);

/// How far ahead next_after() looks before giving up (SCH-1 cron like "0 0 30 2 *" never fires).
inline constexpr int kSearchHorizonDays = 5 * 366;

/// The schedules of the enabled jobs in one time zone; a copy, independent of the Config's lifetime.
class FireTimeCalculator {
public:
    /// Builds from the config, resolving `[daemon] timezone` (empty = the system zone).
    static Result<FireTimeCalculator> create(const config::Config& cfg);

    /// Builds from the config's enabled, scheduled jobs in `zone` (must not be null).
    FireTimeCalculator(const config::Config& cfg, const date::time_zone* zone);

    /// The zone fire times are computed in.
    const date::time_zone* zone() const { return zone_; }

    /// True when no enabled job has a schedule, so nothing ever fires.
    bool empty() const;

    /// The first fire time strictly after `t`, or nullopt when none within kSearchHorizonDays.
    std::optional<FireTime> next_after(Instant t) const;

    /// Every fire time with after < at <= until, in order (SCH-5 catch-up).
    std::vector<FireTime> between(Instant after, Instant until) const;

private:
    using Mask = unsigned;  ///< bit i = kAllJobs[i]

    struct JobSchedule {
        std::vector<int> slots;                 ///< minutes after midnight
        std::optional<config::CronSpec> cron;
    };

    /// Fills `masks` (1440 minutes) with the jobs due on local day `day`; false when none.
    bool day_masks(date::local_days day, std::array<Mask, 1440>& masks) const;

    /// Walks merged fire times after `after` up to local day `last_day`; stops when `visit` returns false.
    template <class Visit>
    void scan(Instant after, date::local_days last_day, Visit&& visit) const;

    /// A local day such that every fire time of an earlier day is at or before `after`.
    date::local_days first_day(Instant after) const;

    std::array<std::optional<JobSchedule>, 4> jobs_;  ///< by JobKind; nullopt = never fires
    const date::time_zone* zone_;
};

}  // namespace olmd::schedule
