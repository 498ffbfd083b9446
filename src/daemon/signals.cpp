#include "olmd/daemon/signals.hpp"

#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>

namespace olmd::daemon {

namespace {

sigset_t daemon_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    return set;
}

}  // namespace

Status block_daemon_signals() {
    const sigset_t set = daemon_signals();
    if (const int rc = ::pthread_sigmask(SIG_BLOCK, &set, nullptr); rc != 0)
        return Error{std::string("cannot block SIGTERM/SIGINT/SIGHUP: ") + std::strerror(rc)};
    return ok_status();
}

Result<std::unique_ptr<SignalWatcher>> SignalWatcher::start(Control& control) {
    const sigset_t set = daemon_signals();
    const int sfd = ::signalfd(-1, &set, SFD_CLOEXEC);
    if (sfd < 0) return Error{std::string("cannot create a signalfd: ") + std::strerror(errno)};
    const int efd = ::eventfd(0, EFD_CLOEXEC);
    if (efd < 0) {
        const int err = errno;
        ::close(sfd);
        return Error{std::string("cannot create an eventfd: ") + std::strerror(err)};
    }
    return std::unique_ptr<SignalWatcher>(new SignalWatcher(control, sfd, efd));
}

SignalWatcher::SignalWatcher(Control& control, int signal_fd, int wake_fd)
    : control_(control), signal_fd_(signal_fd), wake_fd_(wake_fd), thread_([this] { loop(); }) {}

SignalWatcher::~SignalWatcher() {
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(wake_fd_, &one, sizeof one);
    if (thread_.joinable()) thread_.join();
    ::close(signal_fd_);
    ::close(wake_fd_);
}

void SignalWatcher::loop() {
    pollfd fds[2] = {{signal_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    for (;;) {
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            spdlog::error("signal watcher: poll failed: {}; SIGTERM and SIGHUP are no longer handled",
                          std::strerror(errno));
            return;
        }
        if (fds[1].revents != 0) return;
        if (fds[0].revents == 0) continue;
        signalfd_siginfo info{};
        if (::read(signal_fd_, &info, sizeof info) != static_cast<ssize_t>(sizeof info)) continue;
        switch (info.ssi_signo) {
            case SIGTERM:
            case SIGINT:
                spdlog::info("received {}: stopping (the order in hand is finished first)",
                             info.ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT");
                control_.request_stop();
                break;
            case SIGHUP:
                spdlog::info("received SIGHUP: reloading the configuration (after the run in progress, if any)");
                control_.request_reload();
                break;
            default: break;
        }
    }
}

}  // namespace olmd::daemon
