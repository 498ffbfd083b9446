#pragma once
// What the scheduler decides to run: one run for one or more fire times
// (SCH-2 one fire time, SCH-4 overrun coalescing, SCH-5 catch-up at start).

#include <cstddef>
#include <optional>
#include <vector>

#include "olmd/core/ids.hpp"
#include "olmd/core/time.hpp"
#include "olmd/schedule/fire_times.hpp"
#include "olmd/store/runs.hpp"

namespace olmd::daemon {

/// One run to make.
struct Plan {
    Instant fire_at{};                     ///< the (latest) slot instant it stands for
    Instant now{};                         ///< the run's now
    std::vector<JobKind> jobs;             ///< in the fixed order (SCH-2)
    store::Trigger trigger = store::Trigger::schedule;
    std::size_t fire_times = 1;            ///< how many fire times it covers

    bool operator==(const Plan&) const = default;
};

/// One run for `due` (non-empty, in time order): the union of their jobs, fire_at = now = the latest instant.
Plan coalesce(const std::vector<schedule::FireTime>& due, store::Trigger trigger);

/// SCH-5: the one catch-up run due at start `now`, or nullopt. Fire times after `last_completed` and
/// within `catch_up_hours` before now are missed; none when catch_up_hours is 0 or no run ever
/// completed. fire_at = the latest missed fire time, now = `now` (the run happens now).
std::optional<Plan> catch_up_plan(const schedule::FireTimeCalculator& calc, std::optional<Instant> last_completed,
                                  Instant now, int catch_up_hours);

}  // namespace olmd::daemon
