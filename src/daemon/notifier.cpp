#include "olmd/daemon/notifier.hpp"

#include <date/date.h>
#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <cstring>

#include "olmd/pipeline/runner.hpp"

namespace olmd::daemon {

std::string idle_status(const std::optional<schedule::FireTime>& next) {
    if (!next) return "idle: no enabled job has a schedule";
    return "idle until " + date::format("%Y-%m-%d %H:%M", next->local) + " (" + pipeline::job_list(next->jobs) + ")";
}

std::string running_status(JobKind job, std::int64_t done, std::int64_t selected) {
    return "running " + std::string(job_name(job)) + " " + std::to_string(done) + "/" + std::to_string(selected);
}

Notifier::Notifier() {
    std::uint64_t usec = 0;
    // 0 = do not unset the environment; > 0 = the watchdog is on for this process.
    if (::sd_watchdog_enabled(0, &usec) > 0 && usec > 0)
        period_ = std::chrono::milliseconds{std::max<std::uint64_t>(usec / 2000, 1)};
}

void Notifier::send(const std::string& message) {
    const int rc = ::sd_notify(0, message.c_str());
    if (rc < 0) spdlog::debug("sd_notify failed: {}", std::strerror(-rc));
}

void Notifier::ready(const std::string& status) {
    std::lock_guard lock(mutex_);
    last_status_ = status;
    last_ping_ = std::chrono::steady_clock::now();
    send("READY=1\nSTATUS=" + status + (period_ ? "\nWATCHDOG=1" : ""));
}

void Notifier::status(const std::string& text) {
    std::lock_guard lock(mutex_);
    if (text == last_status_) return;
    last_status_ = text;
    send("STATUS=" + text);
}

void Notifier::watchdog() {
    std::lock_guard lock(mutex_);
    if (!period_) return;
    const auto now = std::chrono::steady_clock::now();
    // A little early rather than late: the loop's own wake-ups are not exact.
    if (now - last_ping_ < *period_ * 9 / 10) return;
    last_ping_ = now;
    send("WATCHDOG=1");
}

void Notifier::stopping() {
    std::lock_guard lock(mutex_);
    if (stopping_sent_) return;
    stopping_sent_ = true;
    send("STOPPING=1\nSTATUS=stopping");
}

}  // namespace olmd::daemon
