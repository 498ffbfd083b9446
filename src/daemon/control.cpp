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

void Control::wait_for(std::chrono::milliseconds d) {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, d, [this] { return stop_.load() || reload_.load(); });
}

bool Control::wait_for_stop(std::chrono::milliseconds d) const {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, d, [this] { return stop_.load(); });
}

}  // namespace olmd::daemon
