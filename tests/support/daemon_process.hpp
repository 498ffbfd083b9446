#pragma once
// The olmd daemon (or any program) started in the background for integration
// tests, its stderr kept in a file, plus a fake systemd $NOTIFY_SOCKET.

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace olmd::test {

/// A background process; killed (SIGKILL) and reaped at scope end if still running.
class DaemonProcess {
public:
    /// Starts program with args (no shell) and extra environment entries; stdout and stderr go to
    /// `log_path`. $JOURNAL_STREAM, $NOTIFY_SOCKET, $WATCHDOG_* and $OLMD_CONFIG are not inherited.
    DaemonProcess(const std::string& program, const std::vector<std::string>& args,
                  const std::map<std::string, std::string>& env, std::string log_path);
    ~DaemonProcess();
    DaemonProcess(const DaemonProcess&) = delete;
    DaemonProcess& operator=(const DaemonProcess&) = delete;

    /// The process id (0 when it could not be started).
    pid_t pid() const { return pid_; }
    /// Sends sig.
    void signal(int sig) const;
    /// Waits up to timeout for the process to exit: its exit status (128+signal when killed), or nullopt.
    std::optional<int> wait_exit(std::chrono::milliseconds timeout);
    /// True while it has not exited.
    bool running();
    /// Everything it wrote so far.
    std::string log() const;
    /// Waits until its output contains text; false on timeout or when it exited without writing it.
    bool wait_for_log(const std::string& text, std::chrono::milliseconds timeout);

private:
    pid_t pid_ = 0;
    std::optional<int> status_;
    std::string log_path_;
};

/// Starts the olmd binary under test in the background.
DaemonProcess start_olmd(const std::vector<std::string>& args, const std::string& log_path,
                         const std::map<std::string, std::string>& env = {});

/// A bound AF_UNIX datagram socket standing in for systemd's notification socket.
class NotifySocket {
public:
    /// Binds path (must not exist).
    explicit NotifySocket(std::string path);
    ~NotifySocket();
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;

    /// The next datagram within timeout, or nullopt.
    std::optional<std::string> receive(std::chrono::milliseconds timeout);
    /// Receives until a datagram containing text arrives (kept in received()); false on timeout.
    bool wait_for(const std::string& text, std::chrono::milliseconds timeout);
    /// Every datagram received so far.
    const std::vector<std::string>& received() const { return received_; }
    /// The socket path, for $NOTIFY_SOCKET.
    const std::string& path() const { return path_; }

private:
    std::string path_;
    int fd_ = -1;
    std::vector<std::string> received_;
};

/// Polls pred every 50 ms until it is true or timeout passes; returns its last value.
template <class Pred>
bool eventually(Pred&& pred, std::chrono::milliseconds timeout);

}  // namespace olmd::test

#include <thread>

template <class Pred>
bool olmd::test::eventually(Pred&& pred, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (pred()) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}
