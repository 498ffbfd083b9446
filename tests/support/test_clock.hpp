#pragma once
// Clocks for tests that need one but do not drive it: the machine's, and a
// fake one whose waits pass at once.

#include <chrono>
#include <cstddef>
#include <functional>
#include <vector>

#include "olmd/domain/clock.hpp"

namespace olmd::test {

/// The machine's clock, for tests that measure real time (delivery threads, servers).
inline const domain::Clock& wall_clock() {
    static const domain::SystemClock clock;
    return clock;
}

/// A fake clock in auto-advance mode: every wait ends at once at its deadline, so a gateway's backoffs
/// take no real time.
inline const domain::Clock& instant_clock() {
    static domain::FakeClock clock(Instant{std::chrono::seconds{1'795'000'000}}, domain::FakeClock::Mode::auto_advance);
    return clock;
}

/// A clock for one thread whose waits end at once: each wait's length is recorded and handed to
/// on_wait (which may request the stop, or change the world), then the clock moves on by it unless the
/// stop was requested; the wait says whether it was.
class ScriptedClock final : public domain::Clock {
public:
    explicit ScriptedClock(Instant t) : clock_(t) {}
    Instant now() const override { return clock_.now(); }
    domain::SteadyInstant steady_now() const override { return clock_.steady_now(); }
    bool wait_until(domain::SteadyInstant deadline, const StopToken& stop) const override {
        waits.push_back(std::chrono::ceil<std::chrono::milliseconds>(deadline - clock_.steady_now()));
        if (on_wait) on_wait(waits.size());
        if (stop.stop_requested()) return true;
        clock_.advance(waits.back());
        return false;
    }

    mutable std::vector<std::chrono::milliseconds> waits;  ///< every wait's length, in order
    std::function<void(std::size_t)> on_wait;              ///< called with the number of waits so far

private:
    mutable domain::FakeClock clock_;
};

}  // namespace olmd::test
