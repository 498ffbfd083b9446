#pragma once
// Runs the real olmd binary (or any program) and captures what it printed.

#include <map>
#include <string>
#include <vector>

namespace olmd::test {

/// What a finished process left behind.
struct ProcessResult {
    int exit_code = -1;   ///< exit status, or 128+signal when killed
    std::string out;      ///< stdout
    std::string err;      ///< stderr
    bool timed_out = false;  ///< killed (SIGKILL) because it outlived its time limit
};

/// Runs program with args (no shell), extra environment entries added, and waits for it;
/// one that outlives limit_ms is killed with SIGKILL and reported timed_out.
ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                          const std::map<std::string, std::string>& env = {}, int limit_ms = 600000);

/// Runs the olmd binary under test with args.
ProcessResult run_olmd(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {});

/// Runs the olmd binary under test with args, killing it after limit_ms.
ProcessResult run_olmd_within(int limit_ms, const std::vector<std::string>& args,
                              const std::map<std::string, std::string>& env = {});

/// Path of the olmd binary under test.
std::string olmd_binary();

/// A child's argv (program, then args) and envp (this process's environment without the
/// variables named in drop, then env on top), kept alive for posix_spawn.
class SpawnArgs {
public:
    SpawnArgs(const std::string& program, const std::vector<std::string>& args,
              const std::map<std::string, std::string>& env, const std::vector<std::string>& drop);
    SpawnArgs(const SpawnArgs&) = delete;
    SpawnArgs& operator=(const SpawnArgs&) = delete;
    char* const* argv() { return argv_.data(); }
    char* const* envp() { return envp_.data(); }

private:
    std::vector<std::string> argv_s_, env_s_;
    std::vector<char*> argv_, envp_;
};

}  // namespace olmd::test
