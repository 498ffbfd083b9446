#pragma once
// SIGTERM, SIGINT and SIGHUP are blocked in every thread and read from a
// signalfd by one watcher thread, which turns them into Control requests.

#include <memory>
#include <thread>

#include "olmd/core/error.hpp"
#include "olmd/daemon/control.hpp"

namespace olmd::daemon {

/// Blocks SIGTERM, SIGINT and SIGHUP in the calling thread and every thread it creates later;
/// call before any thread exists.
Status block_daemon_signals();

/// A thread that waits on a signalfd: SIGTERM/SIGINT -> request_stop(), SIGHUP -> request_reload().
class SignalWatcher {
public:
    /// Starts watching (the signals must already be blocked); an Error when a descriptor cannot be made.
    static Result<std::unique_ptr<SignalWatcher>> start(Control& control);
    /// Stops the thread and closes the descriptors.
    ~SignalWatcher();
    SignalWatcher(const SignalWatcher&) = delete;
    SignalWatcher& operator=(const SignalWatcher&) = delete;

private:
    SignalWatcher(Control& control, int signal_fd, int wake_fd);
    void loop();

    Control& control_;
    int signal_fd_;
    int wake_fd_;
    std::thread thread_;
};

}  // namespace olmd::daemon
