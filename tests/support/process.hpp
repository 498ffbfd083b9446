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

}  // namespace olmd::test
