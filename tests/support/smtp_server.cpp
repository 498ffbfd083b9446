#include "support/smtp_server.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

#include "support/process.hpp"

extern char** environ;

namespace olmd::test {
namespace {

const char* kPython = "/usr/bin/python3";

std::string sink_script() { return std::string(OLMD_SOURCE_DIR) + "/tests/support/smtp_sink.py"; }

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

}  // namespace

bool smtp_sink_available() {
    static const bool ok = run_process(kPython, {"-c", "import aiosmtpd"}).exit_code == 0;
    return ok;
}

std::string ReceivedMail::header(const std::string& name) const {
    const auto end = data.find("\r\n\r\n");
    const std::string head = data.substr(0, end);
    const std::string want = lower(name) + ":";
    std::size_t pos = 0;
    while (pos < head.size()) {
        auto eol = head.find("\r\n", pos);
        if (eol == std::string::npos) eol = head.size();
        const std::string line = head.substr(pos, eol - pos);
        if (lower(line.substr(0, want.size())) == want) {
            std::string value = line.substr(want.size());
            // Unfold continuation lines (CRLF followed by white space).
            std::size_t next = eol + 2;
            while (next < head.size() && (head[next] == ' ' || head[next] == '\t')) {
                auto e2 = head.find("\r\n", next);
                if (e2 == std::string::npos) e2 = head.size();
                value += head.substr(next, e2 - next);
                next = e2 + 2;
            }
            const auto first = value.find_first_not_of(" \t");
            return first == std::string::npos ? "" : value.substr(first);
        }
        pos = eol + 2;
    }
    return "";
}

std::string ReceivedMail::body() const {
    const auto end = data.find("\r\n\r\n");
    return end == std::string::npos ? "" : data.substr(end + 4);
}

SmtpServer::SmtpServer(SmtpServerOptions options) {
    const std::string out_dir = dir_.file("mail");
    std::filesystem::create_directories(out_dir);
    std::vector<std::string> args{kPython, sink_script(), out_dir};
    if (!options.user.empty()) {
        args.insert(args.end(), {"--user", options.user, "--password", options.password});
    }
    if (options.fail_first > 0) args.insert(args.end(), {"--fail-first", std::to_string(options.fail_first)});

    int out_pipe[2];
    if (::pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error("smtp server: pipe failed");
    const std::string log = dir_.file("sink.log");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
    posix_spawn_file_actions_addopen(&fa, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int rc = ::posix_spawn(&pid_, kPython, &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    ::close(out_pipe[1]);
    if (rc != 0) {
        ::close(out_pipe[0]);
        throw std::runtime_error(std::string("smtp server: cannot start python3: ") + std::strerror(rc));
    }
    // The first line of stdout is the port; give the interpreter up to 15 s.
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
        pollfd p{out_pipe[0], POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        char buf[64];
        const ssize_t n = ::read(out_pipe[0], buf, sizeof buf);
        if (n <= 0) break;
        line.append(buf, static_cast<std::size_t>(n));
    }
    ::close(out_pipe[0]);
    try {
        port_ = std::stoi(line);
    } catch (const std::exception&) {
        port_ = -1;
    }
    if (port_ <= 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        pid_ = -1;
        throw std::runtime_error("smtp server did not start: " + read_file(log));
    }
}

SmtpServer::~SmtpServer() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 300; ++i) {
        if (::waitpid(pid_, nullptr, WNOHANG) == pid_) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
}

std::vector<ReceivedMail> SmtpServer::messages() const {
    std::vector<std::filesystem::path> records;
    for (const auto& e : std::filesystem::directory_iterator(dir_.path() / "mail"))
        if (e.path().extension() == ".json") records.push_back(e.path());
    std::sort(records.begin(), records.end());
    std::vector<ReceivedMail> out;
    for (const auto& r : records) {
        const auto j = nlohmann::json::parse(read_file(r.string()));
        ReceivedMail m;
        m.mail_from = j.value("mail_from", "");
        m.rcpt_tos = j.value("rcpt_tos", std::vector<std::string>{});
        m.login = j.value("login", "");
        auto eml = r;
        eml.replace_extension(".eml");
        m.data = read_file(eml.string());
        out.push_back(std::move(m));
    }
    return out;
}

std::string SmtpServer::transcript() const { return read_file(dir_.file("mail/transcript.log")); }

bool SmtpServer::wait_for(std::size_t n, std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (messages().size() >= n) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

}  // namespace olmd::test
