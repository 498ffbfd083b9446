#include "olmd/daemon/control.hpp"

namespace olmd::daemon {

void Control::request_stop() {
    {
        std::lock_guard lock(mutex_);
        stop_.store(true);
    }
    cv_.notify_all();
}

void Control::request_reload() {
    {
        std::lock_guard lock(mutex_);
        reload_.store(true);
    }
    cv_.notify_all();
}

bool Control::take_reload() { return reload_.exchange(false); }

bool Control::WakeToken::wait_for_stop(std::chrono::milliseconds d) const {
    std::unique_lock lock(c_.mutex_);
    return c_.cv_.wait_for(lock, d, [this] { return c_.stop_.load() || c_.reload_.load(); });
}

bool Control::wait_for_stop(std::chrono::milliseconds d) const {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, d, [this] { return stop_.load(); });
}

}  // namespace olmd::daemon
