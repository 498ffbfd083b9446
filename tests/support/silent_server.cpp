#include "support/silent_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <vector>

namespace olmd::test {
namespace {

/// A TCP socket bound to 127.0.0.1 on a free port; returns the fd and sets port.
int bind_loopback(int& port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("socket() failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        ::close(fd);
        throw std::runtime_error("cannot bind 127.0.0.1");
    }
    port = ntohs(addr.sin_port);
    return fd;
}

}  // namespace

SilentServer::SilentServer() {
    listen_fd_ = bind_loopback(port_);
    if (::listen(listen_fd_, 64) != 0 || ::pipe2(wake_, O_CLOEXEC) != 0) {
        ::close(listen_fd_);
        throw std::runtime_error("silent server: listen/pipe failed");
    }
    thread_ = std::thread([this] { run(); });
}

SilentServer::~SilentServer() {
    const char byte = 'x';
    [[maybe_unused]] const ssize_t n = ::write(wake_[1], &byte, 1);
    if (thread_.joinable()) thread_.join();
    ::close(listen_fd_);
    ::close(wake_[0]);
    ::close(wake_[1]);
}

void SilentServer::run() {
    std::vector<int> conns;  // held open, never read or written
    for (;;) {
        pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) continue;
        if (fds[1].revents != 0) break;
        if (fds[0].revents & POLLIN) {
            const int c = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (c >= 0) {
                conns.push_back(c);
                ++accepted_;
            }
        }
    }
    for (const int c : conns) ::close(c);
}

int closed_port() {
    int port = 0;
    ::close(bind_loopback(port));
    return port;
}

}  // namespace olmd::test
