#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "olmd/metrics/textfile.hpp"

namespace olmd::metrics {

namespace {

Error io_error(const std::string& what, const std::string& path, int err) {
    std::string msg = "cannot write the metrics textfile: " + what + " " + path + ": " + std::strerror(err);
    if (err == ENOENT) msg += " (does its directory exist? check [metrics] textfile)";
    if (err == EACCES || err == EROFS) msg += " (the directory must be writable by olmd; under systemd add it to ReadWritePaths=)";
    return Error{msg};
}

bool write_all(int fd, const std::string& text) {
    std::size_t off = 0;
    while (off < text.size()) {
        const ssize_t n = ::write(fd, text.data() + off, text.size() - off);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        off += static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

Status write_atomically(const std::string& path, const std::string& text) {
    const std::string tmp = path + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return io_error("open", tmp, errno);
    // node_exporter runs as another user: the file is world-readable whatever the umask.
    if (::fchmod(fd, 0644) != 0 || !write_all(fd, text) || ::fsync(fd) != 0) {
        const int err = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        return io_error("write", tmp, err);
    }
    if (::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        return io_error("close", tmp, err);
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        return io_error("rename to", path, err);
    }
    // Make the rename itself durable; failing that is not worth an error.
    std::string dir = std::filesystem::path(path).parent_path().string();
    if (dir.empty()) dir = ".";
    if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return ok_status();
}

}  // namespace olmd::metrics
