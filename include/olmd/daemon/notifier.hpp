#pragma once
// OPS-1: what systemd hears from `olmd run` (Type=notify): READY=1, STATUS=
// lines, WATCHDOG=1 pings and STOPPING=1. Without $NOTIFY_SOCKET every call
// is a no-op, so a daemon started by hand behaves the same.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "olmd/core/ids.hpp"
#include "olmd/schedule/fire_times.hpp"

namespace olmd::daemon {

/// "idle until 2026-11-22 14:30 (capture,fraud)" (the fire time's local time), or a line saying
/// that no job is scheduled when next is nullopt.
std::string idle_status(const std::optional<schedule::FireTime>& next);

/// "running fraud 1200/5000".
std::string running_status(JobKind job, std::int64_t done, std::int64_t selected);

/// sd_notify(3) messages; safe to call from any thread.
class Notifier {
public:
    /// Reads $NOTIFY_SOCKET and the watchdog settings ($WATCHDOG_USEC, $WATCHDOG_PID) once.
    Notifier();

    /// READY=1 with a first STATUS line.
    void ready(const std::string& status);
    /// STATUS=text, sent only when it differs from the last one.
    void status(const std::string& text);
    /// WATCHDOG=1 when systemd set a watchdog and at least half its interval passed since the last ping.
    void watchdog();
    /// STOPPING=1, once.
    void stopping();
    /// Half the watchdog interval (the ping period), or nullopt when no watchdog is set.
    std::optional<std::chrono::milliseconds> watchdog_period() const { return period_; }

private:
    void send(const std::string& message);

    std::mutex mutex_;
    std::optional<std::chrono::milliseconds> period_;
    std::chrono::steady_clock::time_point last_ping_{};
    std::string last_status_;
    bool stopping_sent_ = false;
};

}  // namespace olmd::daemon
