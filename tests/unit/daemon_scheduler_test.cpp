// The scheduler loop (SCH-2, SCH-4, SCH-5, SCH-6, OPS-2/3 at the loop level),
// driven by a fake clock: the sleeper advances it, the host records each run
// and may take (fake) time.
#include <gtest/gtest.h>

#include <date/tz.h>

#include <functional>
#include <thread>

#include "olmd/daemon/plan.hpp"
#include "olmd/daemon/scheduler.hpp"
#include "olmd/store/runs.hpp"
#include "support/pg_mirror.hpp"
#include "support/test_db.hpp"

// Schedules are written as designated initializers naming only the jobs that matter.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace olmd::test {
namespace {

using namespace std::chrono_literals;
using daemon::Plan;
using store::Trigger;

Instant at(const char* utc) { return *parse_utc(utc); }

/// Schedules in UTC: slots (minutes after midnight) or a cron line per job.
struct Jobs {
    std::vector<int> capture_slots, fraud_slots;
    std::string capture_cron, fraud_cron, sourcing_cron;
};

std::vector<int> every_half_hour() {
    std::vector<int> v;
    for (int m = 0; m < 24 * 60; m += 30) v.push_back(m);
    return v;
}

config::Config make_config(const Jobs& j, int catch_up_hours = 24) {
    config::Config c;
    c.daemon.timezone = "UTC";
    c.daemon.catch_up_hours = catch_up_hours;
    auto set = [](config::JobCommon& job, const std::vector<int>& slots, const std::string& cron) {
        if (slots.empty() && cron.empty()) return;
        job.enabled = true;
        job.schedule.slots = slots;
        if (!cron.empty()) job.schedule.cron = *config::parse_cron(cron);
    };
    set(c.capture, j.capture_slots, j.capture_cron);
    set(c.fraud, j.fraud_slots, j.fraud_cron);
    set(c.sourcing, {}, j.sourcing_cron);
    return c;
}

daemon::ScheduleSettings settings(const Jobs& j, int catch_up_hours = 24) {
    const config::Config c = make_config(j, catch_up_hours);
    return daemon::ScheduleSettings{schedule::FireTimeCalculator(c, date::locate_zone("UTC")), catch_up_hours};
}

/// Records runs; each run may move the fake clock (its duration) and run a hook.
class FakeHost final : public daemon::LoopHost {
public:
    explicit FakeHost(domain::FakeClock& clock) : clock_(clock) {}
    void execute(const Plan& plan) override {
        runs.push_back(plan);
        started_at.push_back(clock_.now());
        clock_.advance(duration);
        if (on_execute) on_execute(plan);
    }
    std::optional<daemon::ScheduleSettings> reload() override {
        ++reloads;
        reload_at.push_back(clock_.now());
        return next_settings;
    }
    void idle(const std::optional<schedule::FireTime>& next) override { idles.push_back(next); }

    std::vector<Plan> runs;
    std::vector<Instant> started_at;
    std::chrono::seconds duration{0};
    std::function<void(const Plan&)> on_execute;
    std::optional<daemon::ScheduleSettings> next_settings;
    int reloads = 0;
    std::vector<Instant> reload_at;
    std::vector<std::optional<schedule::FireTime>> idles;

private:
    domain::FakeClock& clock_;
};

/// The loop's clock: wall time is the fake clock's; each wait (the loop's sleep) is recorded, advances the
/// fake clock by its length, and stops the loop once the clock reaches stop_at (or after too many sleeps:
/// a loop that never sleeps long enough is a test failure).
class FakeSleeper final : public domain::Clock {
public:
    FakeSleeper(domain::FakeClock& clock, daemon::Control& control, Instant stop_at)
        : clock_(clock), control_(control), stop_at_(stop_at) {}
    Instant now() const override { return clock_.now(); }
    domain::SteadyInstant steady_now() const override { return clock_.steady_now(); }
    bool wait_until(domain::SteadyInstant deadline, const StopToken& stop) const override {
        const auto d = std::chrono::ceil<std::chrono::milliseconds>(deadline - clock_.steady_now());
        sleeps.push_back(d);
        clock_.advance(std::chrono::ceil<std::chrono::seconds>(d));
        if (on_sleep) on_sleep(sleeps.size());
        if (clock_.now() >= stop_at_ || sleeps.size() > 100000) control_.request_stop();
        return stop.stop_requested();
    }
    mutable std::vector<std::chrono::milliseconds> sleeps;
    std::function<void(std::size_t)> on_sleep;  ///< called with the number of sleeps so far

private:
    domain::FakeClock& clock_;
    daemon::Control& control_;
    Instant stop_at_;
};

/// One loop under test.
struct Harness {
    Harness(Instant start, Instant stop_at) : clock(start), host(clock), sleeper(clock, control, stop_at) {}
    void run(daemon::ScheduleSettings s, std::optional<Instant> last_completed = std::nullopt) {
        daemon::Scheduler(sleeper, control, host).run(std::move(s), last_completed);
    }
    domain::FakeClock clock;
    daemon::Control control;
    FakeHost host;
    FakeSleeper sleeper;
};

TEST(DaemonScheduler, SCH2_FireTimeRunsItsJobsAtTheSlotInstant) {
    Harness h(at("2026-11-22T14:10:00Z"), at("2026-11-22T15:05:00Z"));
    h.run(settings({.capture_slots = every_half_hour(), .fraud_slots = {14 * 60 + 30}}));
    ASSERT_EQ(h.host.runs.size(), 2u);
    const Plan& first = h.host.runs[0];
    EXPECT_EQ(first.fire_at, at("2026-11-22T14:30:00Z"));
    EXPECT_EQ(first.now, first.fire_at);
    EXPECT_EQ(first.trigger, Trigger::schedule);
    EXPECT_EQ(first.jobs, (std::vector<JobKind>{JobKind::capture, JobKind::fraud}));
    EXPECT_EQ(h.host.started_at[0], at("2026-11-22T14:30:00Z"));
    EXPECT_EQ(h.host.runs[1].fire_at, at("2026-11-22T15:00:00Z"));
    EXPECT_EQ(h.host.runs[1].jobs, std::vector<JobKind>{JobKind::capture});
}

TEST(DaemonScheduler, SCH4_OverrunCoalescesMissedFireTimesIntoOneRun) {
    Harness h(at("2026-11-22T14:00:30Z"), at("2026-11-22T14:05:30Z"));
    // capture every minute, sourcing at 14:03 only; the first run takes 3 min 10 s.
    h.host.duration = 190s;
    h.host.on_execute = [&](const Plan&) { h.host.duration = 0s; };
    h.run(settings({.capture_cron = "* * * * *", .sourcing_cron = "3 14 * * *"}));
    ASSERT_EQ(h.host.runs.size(), 3u);
    EXPECT_EQ(h.host.runs[0].fire_at, at("2026-11-22T14:01:00Z"));
    const Plan& coalesced = h.host.runs[1];
    EXPECT_EQ(coalesced.fire_times, 3u);  // 14:02, 14:03, 14:04
    EXPECT_EQ(coalesced.fire_at, at("2026-11-22T14:04:00Z"));
    EXPECT_EQ(coalesced.now, at("2026-11-22T14:04:00Z"));
    EXPECT_EQ(coalesced.trigger, Trigger::schedule);
    EXPECT_EQ(coalesced.jobs, (std::vector<JobKind>{JobKind::capture, JobKind::sourcing}));
    // Started as soon as the long run ended, without sleeping first.
    EXPECT_EQ(h.host.started_at[1], at("2026-11-22T14:04:10Z"));
    EXPECT_EQ(h.host.runs[2].fire_at, at("2026-11-22T14:05:00Z"));
    EXPECT_EQ(h.host.runs[2].fire_times, 1u);
}

TEST(DaemonScheduler, SCH5_CatchUpRunsOnceForMissedSlots) {
    Harness h(at("2026-11-22T11:10:00Z"), at("2026-11-22T11:45:00Z"));
    h.run(settings({.capture_slots = {9 * 60}, .fraud_slots = every_half_hour()}), at("2026-11-22T08:00:00Z"));
    ASSERT_EQ(h.host.runs.size(), 2u);
    const Plan& catch_up = h.host.runs[0];
    EXPECT_EQ(catch_up.trigger, Trigger::catch_up);
    EXPECT_EQ(catch_up.fire_times, 6u);  // 08:30 .. 11:00
    EXPECT_EQ(catch_up.fire_at, at("2026-11-22T11:00:00Z"));
    EXPECT_EQ(catch_up.now, at("2026-11-22T11:10:00Z"));
    EXPECT_EQ(catch_up.jobs, (std::vector<JobKind>{JobKind::capture, JobKind::fraud}));
    EXPECT_EQ(h.host.started_at[0], at("2026-11-22T11:10:00Z"));
    EXPECT_EQ(h.host.runs[1].trigger, Trigger::schedule);
    EXPECT_EQ(h.host.runs[1].fire_at, at("2026-11-22T11:30:00Z"));
}

TEST(DaemonScheduler, SCH5_NoCatchUpBeyondCatchUpHours) {
    {
        // Only the fire times of the last 2 hours count: capture's 08:30 is too old.
        Harness h(at("2026-11-22T11:10:00Z"), at("2026-11-22T11:20:00Z"));
        h.run(settings({.capture_slots = {8 * 60 + 30}, .fraud_slots = every_half_hour()}, 2),
              at("2026-11-21T08:00:00Z"));
        ASSERT_EQ(h.host.runs.size(), 1u);
        EXPECT_EQ(h.host.runs[0].trigger, Trigger::catch_up);
        EXPECT_EQ(h.host.runs[0].fire_times, 4u);  // 09:30, 10:00, 10:30, 11:00
        EXPECT_EQ(h.host.runs[0].jobs, std::vector<JobKind>{JobKind::fraud});
    }
    {
        Harness h(at("2026-11-22T11:10:00Z"), at("2026-11-22T11:20:00Z"));
        h.run(settings({.capture_slots = {8 * 60 + 30}}, 2), at("2026-11-21T08:00:00Z"));
        EXPECT_TRUE(h.host.runs.empty());
    }
}

TEST(DaemonScheduler, SCH5_CatchUpHoursZeroNeverCatchesUp) {
    Harness h(at("2026-11-22T11:10:00Z"), at("2026-11-22T11:20:00Z"));
    h.run(settings({.fraud_slots = every_half_hour()}, 0), at("2026-11-22T08:00:00Z"));
    EXPECT_TRUE(h.host.runs.empty());
}

TEST(DaemonScheduler, SCH5_NoCompletedRunEverMeansNoCatchUp) {
    Harness h(at("2026-11-22T11:10:00Z"), at("2026-11-22T11:20:00Z"));
    h.run(settings({.fraud_slots = every_half_hour()}), std::nullopt);
    EXPECT_TRUE(h.host.runs.empty());
}

TEST(DaemonScheduler, SCH5_RestartDoesNotRepeatACompletedSlot) {
    // The run rows through store::RunLog, on both backends (pg: prefix, support/pg_mirror.hpp).
    TestDb t;
    std::unique_ptr<PgMirror> twin;
    with_backend(twin, t, [&](store::Backend& b) {
        store::RunLog& runs = b.runs();
        auto record = [&](const char* fire_at, Trigger trigger, store::Outcome outcome) {
            auto id = runs.open(at(fire_at), at(fire_at), "fraud", trigger, "test");
            ASSERT_TRUE(id.ok());
            auto closed = runs.try_close(*id, outcome, at(fire_at), "{}");
            ASSERT_TRUE(closed.ok() && *closed == store::CloseAttempt::closed);
        };
        record("2026-11-22T11:00:00Z", Trigger::schedule, store::Outcome::succeeded);
        record("2026-11-22T11:05:00Z", Trigger::manual, store::Outcome::succeeded);  // run-once suppresses nothing
        auto last = runs.last_completed_fire_at();
        ASSERT_TRUE(last.ok());
        ASSERT_EQ(*last, std::optional<Instant>(at("2026-11-22T11:00:00Z")));
        {
            // Restart ten minutes after the completed 11:00 slot: nothing to catch up; next is 11:30.
            Harness h(at("2026-11-22T11:10:00Z"), at("2026-11-22T11:35:00Z"));
            h.run(settings({.fraud_slots = every_half_hour()}), *last);
            ASSERT_EQ(h.host.runs.size(), 1u);
            EXPECT_EQ(h.host.runs[0].trigger, Trigger::schedule);
            EXPECT_EQ(h.host.runs[0].fire_at, at("2026-11-22T11:30:00Z"));
        }
        // The 11:30 run was interrupted (SIGTERM): it did not complete, so a restart catches it up, alone.
        record("2026-11-22T11:30:00Z", Trigger::schedule, store::Outcome::interrupted);
        last = runs.last_completed_fire_at();
        ASSERT_TRUE(last.ok());
        Harness h(at("2026-11-22T11:40:00Z"), at("2026-11-22T11:50:00Z"));
        h.run(settings({.fraud_slots = every_half_hour()}), *last);
        ASSERT_EQ(h.host.runs.size(), 1u);
        EXPECT_EQ(h.host.runs[0].trigger, Trigger::catch_up);
        EXPECT_EQ(h.host.runs[0].fire_times, 1u);
        EXPECT_EQ(h.host.runs[0].fire_at, at("2026-11-22T11:30:00Z"));
    });
}

TEST(DaemonScheduler, SCH5_CompletedSlotAheadOfTheClockIsNotRunAgain) {
    // The clock was stepped back after the 12:00 run completed; restarting at 11:50 must not repeat 12:00.
    Harness h(at("2026-11-22T11:50:00Z"), at("2026-11-22T12:35:00Z"));
    h.run(settings({.fraud_slots = every_half_hour()}), at("2026-11-22T12:00:00Z"));
    ASSERT_EQ(h.host.runs.size(), 1u);
    EXPECT_EQ(h.host.runs[0].fire_at, at("2026-11-22T12:30:00Z"));
}

TEST(DaemonScheduler, SCH6_SleepsUntilTheNextFireTimeInSlicesOfAtMostAMinute) {
    Harness h(at("2026-11-22T12:00:00Z"), at("2026-11-22T14:31:00Z"));
    h.run(settings({.fraud_slots = {14 * 60 + 30}}));
    ASSERT_EQ(h.host.runs.size(), 1u);
    EXPECT_EQ(h.host.started_at[0], at("2026-11-22T14:30:00Z"));
    for (auto d : h.sleeper.sleeps) {
        EXPECT_LE(d, 60s);
        EXPECT_GE(d, 1s);
    }
    // No polling: one wake a minute (151 minutes), not one per second.
    EXPECT_LE(h.sleeper.sleeps.size(), 152u);
    ASSERT_FALSE(h.host.idles.empty());
    ASSERT_TRUE(h.host.idles.front().has_value());
    EXPECT_EQ(h.host.idles.front()->at, at("2026-11-22T14:30:00Z"));
}

TEST(DaemonScheduler, SCH6_NothingScheduledStillWakesEveryMinute) {
    Harness h(at("2026-11-22T12:00:00Z"), at("2026-11-22T12:10:00Z"));
    h.run(settings({}));
    EXPECT_TRUE(h.host.runs.empty());
    EXPECT_EQ(h.sleeper.sleeps.size(), 10u);
    ASSERT_FALSE(h.host.idles.empty());
    EXPECT_FALSE(h.host.idles.front().has_value());
}

TEST(DaemonScheduler, SCH6_WakesAtOnceOnStop) {
    // The real clock: a stop request ends a 60 s sleep at once.
    domain::SystemClock wall;
    daemon::Control control;
    domain::FakeClock unused(wall.now());
    FakeHost host(unused);
    daemon::Scheduler loop(wall, control, host);
    const auto t0 = std::chrono::steady_clock::now();
    std::thread stopper([&] {
        std::this_thread::sleep_for(200ms);
        control.request_stop();
    });
    loop.run(settings({.fraud_slots = {}}), std::nullopt);
    const auto elapsed = std::chrono::steady_clock::now() - t0;
    stopper.join();
    EXPECT_LT(elapsed, 2s);
    EXPECT_TRUE(host.runs.empty());
}

TEST(DaemonScheduler, SCH6_StopRequestedDuringASleepRunsNothingMore) {
    Harness h(at("2026-11-22T14:29:30Z"), at("2026-11-23T00:00:00Z"));
    // SIGTERM arrives during the sleep that ends at 14:30: the 14:30 slot is not started.
    h.sleeper.on_sleep = [&](std::size_t) { h.control.request_stop(); };
    h.run(settings({.fraud_slots = every_half_hour()}));
    EXPECT_TRUE(h.host.runs.empty());
    EXPECT_EQ(h.sleeper.sleeps.size(), 1u);
}

TEST(DaemonScheduler, SCH6_ClockJumpForwardIsNoticedWithinAMinute) {
    Harness h(at("2026-11-22T12:00:10Z"), at("2026-11-22T15:40:00Z"));
    // During the third sleep the machine is suspended for three hours.
    h.sleeper.on_sleep = [&](std::size_t n) {
        if (n == 3) h.clock.advance(3h);
    };
    h.run(settings({.fraud_slots = every_half_hour()}));
    ASSERT_GE(h.host.runs.size(), 2u);
    const Plan& missed = h.host.runs[0];
    EXPECT_EQ(missed.trigger, Trigger::catch_up);
    EXPECT_EQ(missed.fire_times, 6u);  // 12:30 .. 15:00
    EXPECT_EQ(missed.fire_at, at("2026-11-22T15:00:00Z"));
    // Noticed at the first wake after the jump (12:03:10 + 3 h).
    EXPECT_EQ(h.host.started_at[0], at("2026-11-22T15:03:10Z"));
    EXPECT_EQ(h.host.runs[1].trigger, Trigger::schedule);
    EXPECT_EQ(h.host.runs[1].fire_at, at("2026-11-22T15:30:00Z"));
}

TEST(DaemonScheduler, SCH6_ClockJumpForwardWithCatchUpHoursZeroSkipsTheMissedSlots) {
    Harness h(at("2026-11-22T12:00:10Z"), at("2026-11-22T15:40:00Z"));
    h.sleeper.on_sleep = [&](std::size_t n) {
        if (n == 3) h.clock.advance(3h);
    };
    h.run(settings({.fraud_slots = every_half_hour()}, 0));
    ASSERT_EQ(h.host.runs.size(), 1u);
    EXPECT_EQ(h.host.runs[0].fire_at, at("2026-11-22T15:30:00Z"));
}

TEST(DaemonScheduler, SCH6_ClockJumpBackwardDoesNotRepeatASlot) {
    Harness h(at("2026-11-22T12:25:00Z"), at("2026-11-22T13:05:00Z"));
    bool stepped = false;
    h.host.on_execute = [&](const Plan&) {
        if (!stepped) h.clock.set(at("2026-11-22T12:10:00Z"));  // NTP steps the clock back 20 minutes
        stepped = true;
    };
    h.run(settings({.fraud_slots = every_half_hour()}));
    ASSERT_EQ(h.host.runs.size(), 2u);
    EXPECT_EQ(h.host.runs[0].fire_at, at("2026-11-22T12:30:00Z"));
    EXPECT_EQ(h.host.runs[1].fire_at, at("2026-11-22T13:00:00Z"));
}

TEST(DaemonScheduler, OPS3_ReloadRecomputesTheSchedule) {
    Harness h(at("2026-11-22T12:00:00Z"), at("2026-11-22T13:20:00Z"));
    // At 12:20 SIGHUP brings a schedule with fraud at 12:10 (already past: not replayed) and 12:45.
    h.host.next_settings = settings({.fraud_slots = {12 * 60 + 10, 12 * 60 + 45}});
    h.sleeper.on_sleep = [&](std::size_t) {
        if (h.clock.now() == at("2026-11-22T12:20:00Z")) h.control.request_reload();
    };
    h.run(settings({.capture_slots = every_half_hour()}));
    EXPECT_EQ(h.host.reloads, 1);
    ASSERT_EQ(h.host.runs.size(), 1u);
    EXPECT_EQ(h.host.runs[0].fire_at, at("2026-11-22T12:45:00Z"));
    EXPECT_EQ(h.host.runs[0].jobs, std::vector<JobKind>{JobKind::fraud});
}

TEST(DaemonScheduler, OPS3_InvalidReloadKeepsTheSchedule) {
    Harness h(at("2026-11-22T12:00:00Z"), at("2026-11-22T12:35:00Z"));
    h.host.next_settings = std::nullopt;  // the new config was invalid
    h.sleeper.on_sleep = [&](std::size_t n) {
        if (n == 5) h.control.request_reload();
    };
    h.run(settings({.capture_slots = every_half_hour()}));
    EXPECT_EQ(h.host.reloads, 1);
    ASSERT_EQ(h.host.runs.size(), 1u);
    EXPECT_EQ(h.host.runs[0].fire_at, at("2026-11-22T12:30:00Z"));
}

TEST(DaemonScheduler, OPS2_StopDuringARunEndsTheLoopWhenTheRunReturns) {
    Harness h(at("2026-11-22T14:00:30Z"), at("2026-11-22T15:00:00Z"));
    h.host.duration = 300s;  // fire times pass during the run, but no coalesced run follows a stop
    h.host.on_execute = [&](const Plan&) { h.control.request_stop(); };
    h.run(settings({.capture_cron = "* * * * *"}));
    ASSERT_EQ(h.host.runs.size(), 1u);
    EXPECT_TRUE(h.sleeper.sleeps.size() <= 1u);
}

}  // namespace
}  // namespace olmd::test
