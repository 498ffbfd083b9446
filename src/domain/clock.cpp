// The system clock and the fake clock tests drive (see clock.hpp).
#include "olmd/domain/clock.hpp"

#include <algorithm>

namespace olmd::domain {

Instant SystemClock::now() const {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

SteadyInstant SystemClock::steady_now() const { return std::chrono::steady_clock::now(); }

bool SystemClock::wait_until(SteadyInstant deadline, const StopToken& stop) const {
    constexpr auto step = std::chrono::minutes(1);
    for (;;) {
        const auto left = deadline - std::chrono::steady_clock::now();
        if (left <= std::chrono::steady_clock::duration::zero()) return false;
        if (stop.stop_requested()) return true;
        const auto chunk = std::chrono::ceil<std::chrono::milliseconds>(
            std::min<std::chrono::steady_clock::duration>(left, step));
        if (stop.wait_for_stop(chunk)) return true;
    }
}

FakeClock::FakeClock(Instant t, Mode mode) : mode_(mode), wall_(t) {}

Instant FakeClock::now() const {
    std::lock_guard lock(mu_);
    return std::chrono::floor<std::chrono::seconds>(wall_);
}

SteadyInstant FakeClock::steady_now() const {
    std::lock_guard lock(mu_);
    return SteadyInstant(steady_);
}

bool FakeClock::wait_until(SteadyInstant deadline, const StopToken& stop) const {
    std::unique_lock lock(mu_);
    if (mode_ == Mode::auto_advance) {
        if (SteadyInstant(steady_) < deadline && stop.stop_requested()) return true;
        const auto target = deadline.time_since_epoch();
        if (target > steady_) {
            wall_ += target - steady_;
            steady_ = target;
        }
        cv_.notify_all();
        return false;
    }
    ++waiting_;
    cv_.notify_all();
    // A stop token has no callback: look at it every millisecond of real time.
    bool stopped = false;
    for (;;) {
        if (SteadyInstant(steady_) >= deadline) break;  // time that passed has passed, stop or not
        if (stop.stop_requested()) {
            stopped = true;
            break;
        }
        cv_.wait_for(lock, std::chrono::milliseconds(1));
    }
    --waiting_;
    cv_.notify_all();
    return stopped;
}

void FakeClock::set(Instant t) {
    {
        std::lock_guard lock(mu_);
        if (t > wall_) steady_ += t - wall_;
        wall_ = t;
    }
    cv_.notify_all();
}

void FakeClock::advance(std::chrono::steady_clock::duration d) {
    {
        std::lock_guard lock(mu_);
        wall_ += d;
        steady_ += d;
    }
    cv_.notify_all();
}

int FakeClock::waiting() const {
    std::lock_guard lock(mu_);
    return waiting_;
}

bool FakeClock::await_waiters(int n, std::chrono::milliseconds limit) const {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, limit, [&] { return waiting_ >= n; });
}

}  // namespace olmd::domain
