// PG-2: the standby loop of `olmd run` on PostgreSQL (see standby.hpp).
#include "olmd/daemon/standby.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

namespace olmd::daemon {

std::string standby_status(const std::string& holder) {
    return "standby: another olmd holds the instance lock" + (holder.empty() ? std::string() : " (" + holder + ")");
}

Result<LockWait> hold_instance_lock(store::Backend& db, const config::Config& cfg, Control& control,
                                    const domain::Clock& clock, Notifier& notifier) {
    auto first = db.try_instance_lock();
    if (!first) return first.error();
    if (!first->has_value() || **first) return LockWait::held;

    const auto poll = std::chrono::seconds(std::max(1, cfg.daemon.standby_poll_seconds));
    auto holder = db.instance_lock_holder();
    if (!holder) spdlog::warn("standby: {}", holder.error().message);
    const std::string who = holder ? *holder : std::string();
    spdlog::info("standby: the instance lock on {} is held by {}; no job runs here, trying again every {} s",
                 db.name(), who.empty() ? std::string("another session") : who, poll.count());
    notifier.ready(standby_status(who));
    const auto since = clock.steady_now();
    std::chrono::milliseconds step = poll;
    if (auto p = notifier.watchdog_period()) step = std::min(step, *p);
    auto next_try = clock.steady_now() + poll;
    for (;;) {
        if (clock.wait_for(step, control)) return LockWait::stopped;
        notifier.watchdog();
        if (clock.steady_now() < next_try) continue;
        next_try = clock.steady_now() + poll;
        auto held = db.try_instance_lock();
        if (!held) return held.error();
        if (**held) break;
        if (auto now_holder = db.instance_lock_holder(); now_holder && *now_holder != who && !now_holder->empty())
            notifier.status(standby_status(*now_holder));
    }
    const auto waited = std::chrono::duration_cast<std::chrono::seconds>(clock.steady_now() - since);
    spdlog::warn("standby: took over the instance lock on {} after {} s; this instance is now the active one",
                 db.name(), waited.count());
    return LockWait::held;
}

}  // namespace olmd::daemon
