#include "support/test_http_server.hpp"

#include "support/listen_backlog.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>

namespace olmd::test {
namespace {


}  // namespace

TestHttpServer::TestHttpServer(const std::function<void(httplib::Server&)>& routes) {
    // Enough workers for every concurrent test request, and idle keep-alive
    // connections released quickly so the destructor does not wait long.
    server_.new_task_queue = [] { return new httplib::ThreadPool(32); };
    server_.set_keep_alive_timeout(1);
    routes(server_);
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("test HTTP server: cannot bind 127.0.0.1");
    widen_listen_backlog(port_);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() is a no-op until the accept loop runs, so wait for it (the socket already listens).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!server_.is_running() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

TestHttpServer::~TestHttpServer() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
}

}  // namespace olmd::test
