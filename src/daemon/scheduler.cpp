#include "olmd/daemon/scheduler.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "olmd/pipeline/runner.hpp"

namespace olmd::daemon {

Scheduler::Scheduler(const domain::Clock& clock, Control& control, LoopHost& host, SchedulerOptions options)
    : clock_(clock), control_(control), host_(host), options_(options) {}

void Scheduler::execute(const Plan& plan) {
    if (control_.stop_requested()) return;
    host_.execute(plan);
}

Instant Scheduler::after_jump(const ScheduleSettings& s, Instant handled, Instant now) {
    spdlog::warn("the wall clock jumped forward (suspend or clock step): it is {} now", format_utc(now));
    const auto first_missed = s.calc.next_after(handled);
    if (!first_missed || first_missed->at > now) return now;
    if (s.catch_up_hours <= 0) {
        spdlog::warn("fire times from {} on were missed; not caught up ([daemon] catch_up_hours = 0)",
                     format_utc(first_missed->at));
        return now;
    }
    const Instant after = std::max(handled, now - std::chrono::hours{s.catch_up_hours});
    const auto missed = s.calc.between(after, now);
    if (missed.empty()) {
        spdlog::warn("fire times missed during the jump are older than [daemon] catch_up_hours = {}; not caught up",
                     s.catch_up_hours);
        return now;
    }
    Plan plan = coalesce(missed, store::Trigger::catch_up);
    plan.now = now;
    spdlog::info("catching up {} missed fire time(s) in one run: jobs {}, latest slot {}", missed.size(),
                 pipeline::job_list(plan.jobs), format_utc(plan.fire_at));
    execute(plan);
    return now;
}

void Scheduler::run(ScheduleSettings s, std::optional<Instant> last_completed) {
    const Instant start = clock_.now();
    if (auto plan = catch_up_plan(s.calc, last_completed, start, s.catch_up_hours)) {
        spdlog::info("catching up {} fire time(s) missed since {} in one run: jobs {}, latest slot {}",
                     plan->fire_times, format_utc(*last_completed), pipeline::job_list(plan->jobs),
                     format_utc(plan->fire_at));
        execute(*plan);
    }
    // Fire times at or before `handled` are done (or deliberately skipped); a completed slot in
    // the future (the clock went back) is never run again.
    Instant handled = std::max(start, last_completed.value_or(start));
    std::optional<Instant> wake_target;

    while (!control_.stop_requested()) {
        if (control_.take_reload()) {
            if (auto fresh = host_.reload()) s = std::move(*fresh);
            // The new schedule applies from now on: nothing between the last run and now is replayed.
            handled = std::max(handled, clock_.now());
            wake_target.reset();
            continue;
        }
        const Instant now = clock_.now();
        const bool jumped = wake_target && now > *wake_target + options_.jump_tolerance;
        wake_target.reset();
        if (jumped) {
            handled = std::max(handled, after_jump(s, handled, now));
            continue;
        }
        const auto due = s.calc.between(handled, now);
        if (!due.empty()) {
            const Plan plan = coalesce(due, store::Trigger::schedule);
            if (due.size() > 1)
                spdlog::warn("{} fire times passed while the previous run was going (overrun); running them as "
                             "one run: jobs {}, latest slot {}",
                             due.size(), pipeline::job_list(plan.jobs), format_utc(plan.fire_at));
            execute(plan);
            handled = std::max(handled, plan.fire_at);
            continue;  // fire times that passed during the run are due now (SCH-4)
        }
        const auto next = s.calc.next_after(handled);
        host_.idle(next);
        std::chrono::milliseconds wait = options_.max_sleep;
        if (next) wait = std::min<std::chrono::milliseconds>(wait, next->at - now);
        wait = std::max(wait, std::chrono::milliseconds{1});
        wake_target = now + std::chrono::ceil<std::chrono::seconds>(wait);
        clock_.wait_for(wait, control_.wake());
    }
}

}  // namespace olmd::daemon
