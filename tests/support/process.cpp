#include "support/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace olmd::test {

std::string olmd_binary() { return OLMD_BINARY; }

SpawnArgs::SpawnArgs(const std::string& program, const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& env, const std::vector<std::string>& drop) {
    argv_s_.push_back(program);
    argv_s_.insert(argv_s_.end(), args.begin(), args.end());
    for (auto& a : argv_s_) argv_.push_back(a.data());
    argv_.push_back(nullptr);

    std::map<std::string, std::string> merged;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string kv = *e;
        const auto eq = kv.find('=');
        if (eq != std::string::npos) merged[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    for (const auto& k : drop) merged.erase(k);
    for (const auto& [k, v] : env) merged[k] = v;
    for (const auto& [k, v] : merged) env_s_.push_back(k + "=" + v);
    for (auto& e : env_s_) envp_.push_back(e.data());
    envp_.push_back(nullptr);
}

ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                          const std::map<std::string, std::string>& env, int limit_ms) {
    int out_pipe[2], err_pipe[2];
    if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);

    SpawnArgs spawn(program, args, env, {"JOURNAL_STREAM", "NOTIFY_SOCKET", "OLMD_CONFIG"});

    pid_t pid = 0;
    const int rc = ::posix_spawn(&pid, program.c_str(), &fa, nullptr, spawn.argv(), spawn.envp());
    posix_spawn_file_actions_destroy(&fa);
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    ProcessResult res;
    if (rc != 0) {
        ::close(out_pipe[0]);
        ::close(err_pipe[0]);
        res.err = std::string("posix_spawn failed: ") + std::strerror(rc);
        return res;
    }
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    int open_fds = 2;
    char buf[4096];
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(limit_ms);
    while (open_fds > 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            ::kill(pid, SIGKILL);
            res.timed_out = true;
            for (auto& f : fds)
                if (f.fd >= 0) ::close(f.fd);
            break;
        }
        const int ready = ::poll(fds, 2, static_cast<int>(left.count()));
        if (ready < 0) break;
        if (ready == 0) continue;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) continue;
            const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
            if (n <= 0) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
            } else {
                (i == 0 ? res.out : res.err).append(buf, static_cast<std::size_t>(n));
            }
        }
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    res.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return res;
}

ProcessResult run_olmd(const std::vector<std::string>& args, const std::map<std::string, std::string>& env) {
    return run_process(olmd_binary(), args, env);
}

ProcessResult run_olmd_within(int limit_ms, const std::vector<std::string>& args,
                              const std::map<std::string, std::string>& env) {
    return run_process(olmd_binary(), args, env, limit_ms);
}

}  // namespace olmd::test
