#pragma once
// A cpp-httplib server for tests: 127.0.0.1 on a free port, served by a
// background thread, stopped (and joined) by the destructor.

#include <httplib.h>

#include <functional>
#include <string>
#include <thread>

namespace olmd::test {

class TestHttpServer {
public:
    /// Lets routes register its handlers, then starts serving; throws when it cannot listen.
    explicit TestHttpServer(const std::function<void(httplib::Server&)>& routes);
    /// Stops serving and waits for the server thread.
    ~TestHttpServer();
    TestHttpServer(const TestHttpServer&) = delete;
    TestHttpServer& operator=(const TestHttpServer&) = delete;

    /// The port it listens on.
    int port() const { return port_; }
    /// "http://127.0.0.1:<port>".
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

private:
    httplib::Server server_;
    std::thread thread_;
    int port_ = -1;
};

}  // namespace olmd::test
