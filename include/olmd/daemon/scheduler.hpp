#pragma once
// The scheduler loop (SCH-2, SCH-4, SCH-5, SCH-6): sleeps until the next fire
// time, runs it, coalesces fire times that passed during a run, catches up
// once at start, and reacts at once to stop and reload. The clock (whose
// waits are the loop's sleeps) and what a run does are injected, so tests
// drive it with a fake clock.

#include <chrono>
#include <optional>

#include "olmd/core/time.hpp"
#include "olmd/daemon/control.hpp"
#include "olmd/daemon/plan.hpp"
#include "olmd/domain/clock.hpp"
#include "olmd/schedule/fire_times.hpp"

namespace olmd::daemon {

/// The schedule in force: fire times and the catch-up window.
struct ScheduleSettings {
    schedule::FireTimeCalculator calc;
    int catch_up_hours = 24;
};

/// What the loop asks of the daemon around it.
class LoopHost {
public:
    virtual ~LoopHost() = default;
    /// Makes one run; returns when it is over (early, interrupted, when a stop is requested).
    virtual void execute(const Plan& plan) = 0;
    /// SIGHUP: the new schedule, or nullopt to keep the one in force (invalid config).
    virtual std::optional<ScheduleSettings> reload() = 0;
    /// Called before each sleep with the next fire time (nullopt: none scheduled).
    virtual void idle(const std::optional<schedule::FireTime>& next) = 0;
};

struct SchedulerOptions {
    /// Longest single sleep: the wall clock is re-read at least this often (SCH-6).
    std::chrono::milliseconds max_sleep{std::chrono::seconds{60}};
    /// A wake this much later than planned means the clock jumped forward (suspend, NTP step).
    std::chrono::seconds jump_tolerance{60};
};

/// The loop itself; single-threaded, runs on the caller's thread.
class Scheduler {
public:
    /// clock: wall time and the sleeps (cut by control.wake()); control: stop/reload requests;
    /// host: runs, reloads, idle status.
    Scheduler(const domain::Clock& clock, Control& control, LoopHost& host, SchedulerOptions options = {});

    /// Runs until a stop is requested: first the SCH-5 catch-up run (if fire times were missed since
    /// `last_completed`), then one run per fire time. Returns after the run in progress, if any, ends.
    void run(ScheduleSettings settings, std::optional<Instant> last_completed);

private:
    /// Fire times missed across a forward clock jump: one catch-up run within catch_up_hours; returns now.
    Instant after_jump(const ScheduleSettings& s, Instant handled, Instant now);
    /// Executes plan unless a stop was requested meanwhile.
    void execute(const Plan& plan);

    const domain::Clock& clock_;
    Control& control_;
    LoopHost& host_;
    SchedulerOptions options_;
};

}  // namespace olmd::daemon
