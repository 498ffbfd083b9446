#include "olmd/core/instance_lock.hpp"

#include "olmd/core/files.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace olmd {

Result<std::unique_ptr<InstanceLock>> InstanceLock::acquire(const std::string& path) {
    // OPS-9: never through a symbolic link, only a regular file of olmd's own.
    auto opened = files::open_owned_file(path, 0640, "lock file");
    if (!opened)
        return Error{"cannot use the " + opened.error().message +
                         " (check the directory exists and is writable, or set [daemon] lock_file)",
                     exit_code::failure};
    const int fd = *opened;
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        char buf[32] = {};
        const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
        ::close(fd);
        std::string holder = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
        while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
        if (err == EWOULDBLOCK)
            return Error{"another olmd" + (holder.empty() ? std::string() : " (pid " + holder + ")") +
                             " is working on this database (lock " + path + " is held); wait for it to finish "
                             "or stop it (systemctl stop olmd)",
                         exit_code::locked};
        return Error{"cannot lock " + path + ": " + std::strerror(err), exit_code::locked};
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) == 0) {
        [[maybe_unused]] const ssize_t w = ::pwrite(fd, pid.data(), pid.size(), 0);
    }
    return std::unique_ptr<InstanceLock>(new InstanceLock(fd));
}

InstanceLock::~InstanceLock() {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
}

}  // namespace olmd
