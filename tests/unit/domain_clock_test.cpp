// The Clock port (OPS-2): the fake clock tests drive, and the system clock's waits cut by a stop.
#include <gtest/gtest.h>

#include <thread>

#include "olmd/core/stop_token.hpp"
#include "olmd/domain/clock.hpp"

namespace olmd::test {
namespace {

using namespace std::chrono_literals;

const Instant kStart{std::chrono::seconds{1'795'000'000}};

TEST(Clock, OPS2_FakeWaitEndsOnlyWhenTheClockIsAdvancedPastTheDeadline) {
    domain::FakeClock clock(kStart);
    StopSource stop;
    const auto deadline = clock.steady_now() + 10s;
    std::atomic<int> result{-1};
    std::thread waiter([&] { result = clock.wait_until(deadline, stop) ? 1 : 0; });
    ASSERT_TRUE(clock.await_waiters(1));
    clock.advance(9s);
    std::this_thread::sleep_for(20ms);
    EXPECT_EQ(result.load(), -1) << "9 s of the 10 s passed: still waiting";
    clock.advance(1s);
    waiter.join();
    EXPECT_EQ(result.load(), 0) << "the deadline passed";
    EXPECT_EQ(clock.now(), kStart + 10s) << "wall time moves with monotonic time";
}

TEST(Clock, OPS2_StopEndsAFakeWait) {
    domain::FakeClock clock(kStart);
    StopSource stop;
    std::atomic<int> result{-1};
    std::thread waiter([&] { result = clock.wait_for(1h, stop) ? 1 : 0; });
    ASSERT_TRUE(clock.await_waiters(1));
    stop.request_stop();
    waiter.join();
    EXPECT_EQ(result.load(), 1);
    EXPECT_EQ(clock.now(), kStart) << "no time passed";
}

TEST(Clock, OPS2_TimeThatPassedCountsEvenWhenAStopFollows) {
    domain::FakeClock clock(kStart);
    StopSource stop;
    clock.advance(5s);
    stop.request_stop();
    EXPECT_FALSE(clock.wait_until(clock.steady_now() - 1s, stop)) << "the deadline had passed";
    EXPECT_TRUE(clock.wait_for(1s, stop));
}

TEST(Clock, AutoAdvanceWaitMovesTheClockToItsDeadline) {
    domain::FakeClock clock(kStart, domain::FakeClock::Mode::auto_advance);
    const auto t0 = clock.steady_now();
    EXPECT_FALSE(clock.wait_for(90s, never_stopped()));
    EXPECT_EQ(clock.steady_now() - t0, 90s);
    EXPECT_EQ(clock.now(), kStart + 90s);
    StopSource stop;
    stop.request_stop();
    EXPECT_TRUE(clock.wait_for(1s, stop));
    EXPECT_EQ(clock.now(), kStart + 90s) << "a stopped wait lets no time pass";
}

TEST(Clock, SetMovesWallTimeAndNeverMonotonicTimeBack) {
    domain::FakeClock clock(kStart);
    const auto s0 = clock.steady_now();
    clock.set(kStart - 20min);  // NTP steps the wall clock back
    EXPECT_EQ(clock.now(), kStart - 20min);
    EXPECT_EQ(clock.steady_now(), s0);
    clock.set(kStart);
    EXPECT_EQ(clock.steady_now() - s0, 20min);
}

TEST(Clock, OPS2_SystemWaitIsCutAtOnceByAStop) {
    domain::SystemClock clock;
    StopSource stop;
    std::thread sigterm([&] {
        std::this_thread::sleep_for(100ms);
        stop.request_stop();
    });
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_TRUE(clock.wait_for(10min, stop));
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
    sigterm.join();
}

TEST(Clock, SystemWaitEndsAtItsDeadline) {
    domain::SystemClock clock;
    const auto t0 = clock.steady_now();
    EXPECT_FALSE(clock.wait_for(30ms, never_stopped()));
    EXPECT_GE(clock.steady_now() - t0, 30ms);
}

}  // namespace
}  // namespace olmd::test
