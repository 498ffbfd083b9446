#pragma once
// A stop request (SIGTERM/SIGINT, OPS-2) and the primitive wait it cuts
// short. Code that waits does so through domain::Clock::wait_until(deadline,
// stop), whose system implementation blocks on wait_for_stop; tests drive the
// clock, and a stop ends every wait at once.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace olmd {

/// A stop request and the waits it cuts short; thread-safe.
class StopToken {
public:
    virtual ~StopToken() = default;
    /// True once a stop was requested.
    virtual bool stop_requested() const = 0;
    /// Blocks for up to d, returning early when a stop is (or already was) requested; true when one was.
    virtual bool wait_for_stop(std::chrono::milliseconds d) const = 0;
    /// The flag behind stop_requested(), for code that polls an atomic (jobs::JobContext::stop).
    virtual const std::atomic<bool>& flag() const = 0;
};

/// A token that is never stopped: its waits last their whole time (commands a signal simply ends).
const StopToken& never_stopped();

/// A StopToken over an atomic flag set elsewhere (e.g. a job runner's stop flag); waits check it
/// every 20 ms.
class FlagStopToken final : public StopToken {
public:
    /// flag must outlive the token.
    explicit FlagStopToken(const std::atomic<bool>& flag) : flag_(flag) {}
    /// The flag's value.
    bool stop_requested() const override { return flag_.load(); }
    /// Waits up to d in 20 ms steps, ending when the flag is set.
    bool wait_for_stop(std::chrono::milliseconds d) const override;
    /// The flag given.
    const std::atomic<bool>& flag() const override { return flag_; }

private:
    const std::atomic<bool>& flag_;
};

/// A StopToken owning its flag; request_stop() wakes every waiter at once.
class StopSource final : public StopToken {
public:
    /// Requests the stop and wakes the waiters.
    void request_stop();
    /// True once request_stop() was called.
    bool stop_requested() const override { return stop_.load(); }
    /// Waits up to d on a condition variable, ending at once on request_stop().
    bool wait_for_stop(std::chrono::milliseconds d) const override;
    /// The flag itself.
    const std::atomic<bool>& flag() const override { return stop_; }

private:
    std::atomic<bool> stop_{false};
    mutable std::mutex mutex_;
    mutable std::condition_variable cv_;
};

}  // namespace olmd
