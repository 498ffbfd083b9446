#pragma once
// A TCP server on 127.0.0.1 (free port) that accepts connections and never
// answers: the timeout path of HTTP clients.

#include <atomic>
#include <string>
#include <thread>

namespace olmd::test {

class SilentServer {
public:
    /// Listens and starts accepting; throws when it cannot.
    SilentServer();
    /// Stops accepting and closes every connection.
    ~SilentServer();
    SilentServer(const SilentServer&) = delete;
    SilentServer& operator=(const SilentServer&) = delete;

    /// The port it listens on.
    int port() const { return port_; }
    /// "http://127.0.0.1:<port>".
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    /// How many connections it accepted so far.
    int accepted() const { return accepted_.load(); }

private:
    void run();

    int listen_fd_ = -1;
    int wake_[2] = {-1, -1};
    int port_ = -1;
    std::atomic<int> accepted_{0};
    std::thread thread_;
};

/// A 127.0.0.1 port nothing listens on (bound then released, so connecting is refused).
int closed_port();

}  // namespace olmd::test
