#pragma once
// The requests that reach the daemon from outside (SIGTERM/SIGINT = stop,
// SIGHUP = reload), as flags the loop and the runner read, with a wait that
// ends as soon as a request arrives (SCH-6).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "olmd/core/stop_token.hpp"

namespace olmd::daemon {

/// Stop and reload requests; thread-safe; set by the signal thread, read by the loop.
class Control final : public StopToken {
public:
    /// Asks the daemon to stop: the runner finishes the order in hand, the loop ends (OPS-2).
    void request_stop();
    /// Asks the daemon to re-read its configuration (OPS-3).
    void request_reload();
    /// True once a stop was requested.
    bool stop_requested() const override { return stop_.load(); }
    /// True when a reload was requested since the last call; clears the request.
    bool take_reload();
    /// The flag the runner and jobs poll (jobs::JobContext::stop).
    const std::atomic<bool>& stop_flag() const { return stop_; }
    /// The same flag (StopToken).
    const std::atomic<bool>& flag() const override { return stop_; }
    /// The token the scheduler's sleep waits on: "requested" while a stop or a reload is pending
    /// (SCH-6), so either ends the sleep at once; its flag() is the stop flag alone.
    const StopToken& wake() const { return wake_; }
    /// Blocks for up to d, returning at once when a stop is requested (a reload does not end it);
    /// true when one was. The wait of SQLite's busy handler and of retries (OPS-2).
    bool wait_for_stop(std::chrono::milliseconds d) const override;

private:
    /// Stop or reload pending (see wake()).
    class WakeToken final : public StopToken {
    public:
        explicit WakeToken(const Control& c) : c_(c) {}
        bool stop_requested() const override { return c_.stop_.load() || c_.reload_.load(); }
        bool wait_for_stop(std::chrono::milliseconds d) const override;
        const std::atomic<bool>& flag() const override { return c_.stop_; }

    private:
        const Control& c_;
    };

    std::atomic<bool> stop_{false};
    std::atomic<bool> reload_{false};
    mutable std::mutex mutex_;
    mutable std::condition_variable cv_;
    WakeToken wake_{*this};
};

}  // namespace olmd::daemon
