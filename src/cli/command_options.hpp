#pragma once
// cxxopts parsing for one command's arguments, with --help and usage errors handled alike.

#include <cxxopts.hpp>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "olmd/core/error.hpp"

namespace olmd::cli {

/// Parses args with options (help added here); on --help prints it and returns exit 0 in `exit_status`,
/// on a usage error prints it and returns exit 2; otherwise the parse result.
inline std::optional<cxxopts::ParseResult> parse_command(cxxopts::Options& options, const std::vector<std::string>& args,
                                                         int& exit_status) {
    options.add_options()("h,help", "show this help");
    std::vector<std::string> argv_s{options.program()};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<const char*> av;
    for (const auto& s : argv_s) av.push_back(s.c_str());
    try {
        auto r = options.parse(static_cast<int>(av.size()), av.data());
        if (r.count("help")) {
            std::cout << options.help();
            exit_status = exit_code::ok;
            return std::nullopt;
        }
        return r;
    } catch (const std::exception& e) {
        std::cerr << "olmd: " << e.what() << " (see " << options.program() << " --help)\n";
        exit_status = exit_code::usage;
        return std::nullopt;
    }
}

/// Returns a usage error for a positional argument that was not expected.
inline int reject_extra(const cxxopts::ParseResult& r, const std::string& program) {
    if (!r.unmatched().empty()) {
        std::cerr << "olmd: unexpected argument \"" << r.unmatched().front() << "\" (see " << program << " --help)\n";
        return exit_code::usage;
    }
    return -1;
}

}  // namespace olmd::cli
