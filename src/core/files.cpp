// Bounded reads and link-refusing writes (see files.hpp).
#include "olmd/core/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace olmd::files {

namespace {

/// "a FIFO", "a directory", ... for a file that is not regular.
std::string kind_of(mode_t m) {
    if (S_ISDIR(m)) return "a directory";
    if (S_ISFIFO(m)) return "a FIFO (named pipe)";
    if (S_ISCHR(m)) return "a character device";
    if (S_ISBLK(m)) return "a block device";
    if (S_ISSOCK(m)) return "a socket";
    if (S_ISLNK(m)) return "a symbolic link";
    return "not a regular file";
}

Error file_error(const std::string& what, const std::string& path, const std::string& problem) {
    return Error{what + " " + path + ": " + problem};
}

std::string errno_text(int err) {
    std::string s = std::strerror(err);
    if (err == ENOENT) s += " (check the path)";
    if (err == EACCES) s += " (olmd's user must be able to read it)";
    return s;
}

std::string size_text(std::size_t n) {
    if (n % (1024 * 1024) == 0) return std::to_string(n / (1024 * 1024)) + " MiB";
    if (n % 1024 == 0) return std::to_string(n / 1024) + " KiB";
    return std::to_string(n) + " bytes";
}

Status check_stat(const struct stat& st, const std::string& path, std::size_t max_bytes, const std::string& what) {
    if (!S_ISREG(st.st_mode))
        return file_error(what, path, "is " + kind_of(st.st_mode) + ", not a regular file");
    if (static_cast<unsigned long long>(st.st_size) > max_bytes)
        return file_error(what, path,
                          "is " + std::to_string(st.st_size) + " bytes, more than the " + size_text(max_bytes) +
                              " allowed");
    return ok_status();
}

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

}  // namespace

Status check_regular_file(const std::string& path, std::size_t max_bytes, const std::string& what) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return file_error(what, path, errno_text(errno));
    return check_stat(st, path, max_bytes, what);
}

Result<std::string> read_regular_file(const std::string& path, std::size_t max_bytes, const std::string& what) {
    // stat first, so a device or FIFO is never even opened; fstat again on what was opened.
    if (auto s = check_regular_file(path, max_bytes, what); !s) return s.error();
    Fd f;
    f.fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (f.fd < 0) return file_error(what, path, errno_text(errno));
    struct stat st {};
    if (::fstat(f.fd, &st) != 0) return file_error(what, path, errno_text(errno));
    if (auto s = check_stat(st, path, max_bytes, what); !s) return s.error();
    std::string text;
    text.resize(max_bytes + 1);
    std::size_t got = 0;
    while (got < text.size()) {
        const ssize_t n = ::read(f.fd, text.data() + got, text.size() - got);
        if (n < 0) {
            if (errno == EINTR) continue;
            return file_error(what, path, errno_text(errno));
        }
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    if (got > max_bytes)
        return file_error(what, path, "grew past the " + size_text(max_bytes) + " allowed while being read");
    text.resize(got);
    return text;
}

Result<std::string> read_secret_file(const std::string& path, const std::string& what) {
    auto text = read_regular_file(path, kMaxSecretBytes, what);
    if (!text) return text.error();
    std::string s = std::move(*text);
    if (s.empty()) return file_error(what, path, "is empty; it must hold the secret on one line");
    if (s.back() == '\n') s.pop_back();
    if (!s.empty() && s.back() == '\r') s.pop_back();
    if (s.find_first_of("\r\n") != std::string::npos)
        return file_error(what, path, "holds more than one line; it must hold the secret alone on one line");
    if (s.find('\0') != std::string::npos) return file_error(what, path, "holds a NUL byte; it must be text");
    if (s.find_first_not_of(" \t") == std::string::npos)
        return file_error(what, path, "holds an empty line; it must hold the secret on one line");
    return s;
}

std::string secret_path(const std::string& path) {
    struct stat st {};
    if (path.empty() || ::stat(path.c_str(), &st) == 0) return path;
    const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
    if (dir == nullptr || *dir == '\0') return path;
    const std::string alt = (std::filesystem::path(dir) / std::filesystem::path(path).filename()).string();
    return ::stat(alt.c_str(), &st) == 0 ? alt : path;
}

Result<int> open_owned_file(const std::string& path, int mode, const std::string& what) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
                          static_cast<mode_t>(mode));
    if (fd < 0) {
        const int err = errno;
        if (err == ELOOP) return file_error(what, path, "is a symbolic link; olmd never writes through one");
        return file_error(what, path, errno_text(err));
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        return file_error(what, path, errno_text(err));
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        return file_error(what, path, "is " + kind_of(st.st_mode) + ", not a regular file");
    }
    if (st.st_nlink > 1) {
        ::close(fd);
        return file_error(what, path,
                          "has " + std::to_string(st.st_nlink) +
                              " hard links; olmd writes only a file of its own (remove the links)");
    }
    return fd;
}

Status replace_file_atomically(const std::string& path, const std::string& text, int mode, const std::string& what) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
        return file_error(what, path, "is " + kind_of(st.st_mode) + "; olmd replaces only a regular file");
    const std::filesystem::path target(path);
    std::string dir = target.parent_path().string();
    if (dir.empty()) dir = ".";
    std::string tmpl = dir + "/." + target.filename().string() + ".XXXXXX";
    const int fd = ::mkstemp(tmpl.data());
    if (fd < 0) return file_error(what, path, "cannot create a temp file in " + dir + ": " + errno_text(errno));
    auto fail = [&](const std::string& step) {
        const int err = errno;
        ::close(fd);
        ::unlink(tmpl.c_str());
        return file_error(what, path, step + " " + tmpl + ": " + errno_text(err));
    };
    if (::fchmod(fd, static_cast<mode_t>(mode)) != 0) return fail("chmod");
    std::size_t off = 0;
    while (off < text.size()) {
        const ssize_t n = ::write(fd, text.data() + off, text.size() - off);
        if (n < 0) {
            if (errno == EINTR) continue;
            return fail("write");
        }
        off += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) return fail("fsync");
    if (::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmpl.c_str());
        return file_error(what, path, "close " + tmpl + ": " + errno_text(err));
    }
    if (::rename(tmpl.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmpl.c_str());
        return file_error(what, path, "rename over it: " + errno_text(err));
    }
    if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
        ::fsync(dfd);  // makes the rename durable; failing that is not worth an error
        ::close(dfd);
    }
    return ok_status();
}

bool same_file(const std::string& a, const std::string& b) {
    if (a.empty() || b.empty()) return false;
    struct stat sa {}, sb {};
    const bool ea = ::stat(a.c_str(), &sa) == 0;
    const bool eb = ::stat(b.c_str(), &sb) == 0;
    if (ea && eb) return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    std::error_code ec;
    const auto ca = std::filesystem::weakly_canonical(std::filesystem::absolute(a, ec), ec);
    const auto cb = std::filesystem::weakly_canonical(std::filesystem::absolute(b, ec), ec);
    return !ca.empty() && ca == cb;
}

}  // namespace olmd::files
