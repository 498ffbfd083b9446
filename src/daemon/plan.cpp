#include "olmd/daemon/plan.hpp"

#include <algorithm>
#include <chrono>

#include "olmd/pipeline/runner.hpp"

namespace olmd::daemon {

Plan coalesce(const std::vector<schedule::FireTime>& due, store::Trigger trigger) {
    Plan plan;
    plan.trigger = trigger;
    plan.fire_times = due.size();
    for (const auto& f : due) {
        plan.jobs.insert(plan.jobs.end(), f.jobs.begin(), f.jobs.end());
        plan.fire_at = std::max(plan.fire_at, f.at);
    }
    plan.jobs = pipeline::in_run_order(std::move(plan.jobs));
    plan.now = plan.fire_at;
    return plan;
}

std::optional<Plan> catch_up_plan(const schedule::FireTimeCalculator& calc, std::optional<Instant> last_completed,
                                  Instant now, int catch_up_hours) {
    if (catch_up_hours <= 0 || !last_completed) return std::nullopt;
    const Instant window_start = now - std::chrono::hours{catch_up_hours};
    const Instant after = std::max(*last_completed, window_start);
    const auto missed = calc.between(after, now);
    if (missed.empty()) return std::nullopt;
    Plan plan = coalesce(missed, store::Trigger::catch_up);
    plan.now = now;
    return plan;
}

}  // namespace olmd::daemon
