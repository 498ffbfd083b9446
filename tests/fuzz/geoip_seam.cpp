#include "geoip_seam.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>

#include "fuzz_check.hpp"

namespace olmd::fuzz {

namespace {

std::optional<Result<http::Response>> g_answer;
http::Request g_request;

/// Removes the key files at exit.
struct KeyFiles {
    std::map<std::string, std::string> by_key;
    ~KeyFiles() {
        for (const auto& [key, path] : by_key) std::remove(path.c_str());
    }
};

}  // namespace

const Result<http::Response>& script_answer(std::string_view text) {
    if (!text.empty() && text.front() == '!') {
        g_answer = Result<http::Response>(Error{std::string(text.substr(1))});
        return *g_answer;
    }
    std::string_view rest = text;
    const std::string_view head = take_line(rest);
    http::Response r;
    r.status = 200;
    r.body = std::string(text);
    if (!head.empty() && head.size() <= 3 && head.find_first_not_of("0123456789") == std::string_view::npos &&
        rest.size() < text.size()) {
        r.status = std::stol(std::string(head));
        r.body = std::string(rest);
    }
    g_answer = Result<http::Response>(std::move(r));
    return *g_answer;
}

const http::Request& last_request() { return g_request; }

std::string key_file(const std::string& key) {
    static KeyFiles files;
    if (auto it = files.by_key.find(key); it != files.by_key.end()) return it->second;
    const char* tmp = std::getenv("TMPDIR");
    std::string path = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/olmd-fuzz-key-XXXXXX";
    const int fd = ::mkstemp(path.data());
    FUZZ_CHECK(fd >= 0, "cannot create " + path);
    const bool written = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size());
    ::close(fd);
    FUZZ_CHECK(written, "cannot write " + path);
    files.by_key.emplace(key, path);
    return path;
}

}  // namespace olmd::fuzz

namespace olmd::http {

/// The seam: the scripted answer instead of a transfer.
Result<Response> perform(const Request& req) {
    fuzz::g_request = req;
    FUZZ_CHECK(fuzz::g_answer.has_value(), "http::perform called with no scripted answer");
    return *fuzz::g_answer;
}

}  // namespace olmd::http
