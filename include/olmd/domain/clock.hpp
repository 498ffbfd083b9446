#pragma once
// The Clock port: the wall clock ("now", UTC seconds), the monotonic clock
// (durations, deadlines) and the one way olmd waits — until a monotonic
// deadline or a stop request, whichever comes first (OPS-2). Production code
// gets a SystemClock; tests drive time with a FakeClock, so no test sleeps to
// make a deadline pass.

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "olmd/core/stop_token.hpp"
#include "olmd/core/time.hpp"

namespace olmd::domain {

/// A point on the monotonic clock.
using SteadyInstant = std::chrono::steady_clock::time_point;

/// Wall time, monotonic time and interruptible waits; implementations are thread-safe.
class Clock {
public:
    virtual ~Clock() = default;
    /// The current wall-clock instant (UTC, whole seconds).
    virtual Instant now() const = 0;
    /// The current monotonic instant (never goes back; for durations and deadlines).
    virtual SteadyInstant steady_now() const = 0;
    /// Blocks until steady_now() >= deadline or stop is requested; false when the deadline passed (also
    /// when it already had), true when stopped before it.
    virtual bool wait_until(SteadyInstant deadline, const StopToken& stop) const = 0;
    /// wait_until(steady_now() + d, stop).
    bool wait_for(std::chrono::steady_clock::duration d, const StopToken& stop) const {
        return wait_until(steady_now() + d, stop);
    }
};

/// The machine's clocks; waits block on the stop token's own wait (no CPU while waiting).
class SystemClock final : public Clock {
public:
    /// The wall-clock instant, truncated to seconds.
    Instant now() const override;
    /// std::chrono::steady_clock::now().
    SteadyInstant steady_now() const override;
    /// Waits on stop.wait_for_stop for the time left, in steps of at most a minute.
    bool wait_until(SteadyInstant deadline, const StopToken& stop) const override;
};

/// A clock tests move by hand. Wall and monotonic time move together. In manual mode a wait blocks
/// until another thread moves the clock past its deadline (or stops it); in auto-advance mode a wait
/// moves the clock to its deadline at once, as if the time had passed.
class FakeClock final : public Clock {
public:
    enum class Mode { manual, auto_advance };

    /// Starts at wall instant t.
    explicit FakeClock(Instant t, Mode mode = Mode::manual);
    /// The wall instant.
    Instant now() const override;
    /// The monotonic instant (starts a day after steady_clock's epoch; moves with advance and set).
    SteadyInstant steady_now() const override;
    /// Manual: blocks until advanced past deadline or stopped; auto-advance: jumps to deadline.
    bool wait_until(SteadyInstant deadline, const StopToken& stop) const override;

    /// Moves wall time to t; monotonic time moves forward by the same amount when t is later.
    void set(Instant t);
    /// Moves both clocks forward by d and wakes the waits whose deadline passed.
    void advance(std::chrono::steady_clock::duration d);
    /// Waits in progress (manual mode): lets a test advance time only once a thread is waiting.
    int waiting() const;
    /// Blocks (real time, at most `limit`) until at least n waits are in progress; true when they are.
    bool await_waiters(int n, std::chrono::milliseconds limit = std::chrono::seconds(20)) const;

private:
    mutable std::mutex mu_;
    mutable std::condition_variable cv_;
    Mode mode_;
    // mutable: an auto-advance wait lets the time pass, which a const wait may do.
    mutable std::chrono::sys_time<std::chrono::nanoseconds> wall_;
    mutable std::chrono::steady_clock::duration steady_{std::chrono::hours(24)};  ///< since steady_clock's epoch
    mutable int waiting_ = 0;
};

}  // namespace olmd::domain
