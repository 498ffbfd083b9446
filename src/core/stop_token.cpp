// Interruptible waits (see stop_token.hpp).
#include "olmd/core/stop_token.hpp"

#include <algorithm>
#include <thread>

namespace olmd {

namespace {

class NeverStopped final : public StopToken {
public:
    bool stop_requested() const override { return false; }
    bool wait_for_stop(std::chrono::milliseconds d) const override {
        if (d.count() > 0) std::this_thread::sleep_for(d);
        return false;
    }
    const std::atomic<bool>& flag() const override { return never_; }

private:
    std::atomic<bool> never_{false};
};

}  // namespace

const StopToken& never_stopped() {
    static const NeverStopped token;
    return token;
}

bool FlagStopToken::wait_for_stop(std::chrono::milliseconds d) const {
    constexpr std::chrono::milliseconds step{20};
    const auto deadline = std::chrono::steady_clock::now() + d;
    for (;;) {
        if (flag_.load()) return true;
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline) return false;
        std::this_thread::sleep_for(
            std::min<std::chrono::steady_clock::duration>(step, deadline - now));
    }
}

void StopSource::request_stop() {
    {
        std::lock_guard lock(mutex_);
        stop_.store(true);
    }
    cv_.notify_all();
}

bool StopSource::wait_for_stop(std::chrono::milliseconds d) const {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, d, [this] { return stop_.load(); });
}

}  // namespace olmd
