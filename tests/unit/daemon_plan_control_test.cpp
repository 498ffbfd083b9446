// The loop's two small pieces on their own: coalescing due fire times into one plan (the
// union of their jobs in run order, at the latest instant), and the control's wait ended
// at once by a reload request (taken once) and its stop flag.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "olmd/daemon/plan.hpp"
#include "olmd/daemon/scheduler.hpp"
#include "olmd/store/runs.hpp"

namespace olmd::test {
namespace {

using namespace std::chrono_literals;
using daemon::Plan;
using store::Trigger;

Instant at(const char* utc) { return *parse_utc(utc); }

TEST(DaemonPlan, CoalesceTakesTheUnionInRunOrderAndTheLatestInstant) {
    const std::vector<schedule::FireTime> due = {
        {at("2026-11-22T10:00:00Z"), {JobKind::fraud, JobKind::sourcing}, {}},
        {at("2026-11-22T10:30:00Z"), {JobKind::capture, JobKind::fraud}, {}},
    };
    const Plan p = daemon::coalesce(due, Trigger::schedule);
    EXPECT_EQ(p.jobs, (std::vector<JobKind>{JobKind::capture, JobKind::fraud, JobKind::sourcing}));
    EXPECT_EQ(p.fire_at, at("2026-11-22T10:30:00Z"));
    EXPECT_EQ(p.now, p.fire_at);
    EXPECT_EQ(p.fire_times, 2u);
}

TEST(DaemonControl, WaitEndsAtOnceOnReloadAndTheRequestIsTakenOnce) {
    daemon::Control control;
    std::thread t([&] {
        std::this_thread::sleep_for(100ms);
        control.request_reload();
    });
    const auto t0 = std::chrono::steady_clock::now();
    control.wake().wait_for_stop(30s);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
    t.join();
    EXPECT_TRUE(control.take_reload());
    EXPECT_FALSE(control.take_reload());
    EXPECT_FALSE(control.stop_requested());
    control.request_stop();
    EXPECT_TRUE(control.stop_flag().load());
}

}  // namespace
}  // namespace olmd::test
