#pragma once
// Helpers shared by the config_*_test.cpp files.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "olmd/config/loader.hpp"

namespace olmd::config::testing {

/// Loads TOML text as if from "test.toml".
inline LoadResult load(const std::string& text) { return load_config_text(text, "test.toml"); }

/// The findings of one severity.
inline std::vector<Diagnostic> of(const LoadResult& r, Severity s) {
    std::vector<Diagnostic> out;
    for (const auto& d : r.diagnostics.items)
        if (d.severity == s) out.push_back(d);
    return out;
}
inline std::vector<Diagnostic> errors(const LoadResult& r) { return of(r, Severity::error); }
inline std::vector<Diagnostic> warnings(const LoadResult& r) { return of(r, Severity::warning); }

/// Every finding, one per line, for failure messages.
inline std::string dump(const Diagnostics& d) {
    std::string s;
    for (const auto& x : d.items) s += x.to_string() + "\n";
    return s;
}
inline std::string dump(const LoadResult& r) { return dump(r.diagnostics); }

/// True when text contains part.
inline bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// A scratch directory removed at the end of the test.
class TempDir {
public:
    TempDir() {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        path_ = std::filesystem::temp_directory_path() /
                ("olmd-config-" + std::string(info->test_suite_name()) + "-" + info->name() + "-" +
                 std::to_string(::getpid()));
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    /// Writes a file (with the given permission bits) and returns its path.
    std::string write(const std::string& name, const std::string& text,
                      std::filesystem::perms perms = std::filesystem::perms::owner_read |
                                                     std::filesystem::perms::owner_write) const {
        const auto p = path_ / name;
        std::ofstream(p) << text;
        std::filesystem::permissions(p, perms);
        return p.string();
    }
    std::string path() const { return path_.string(); }

private:
    std::filesystem::path path_;
};

}  // namespace olmd::config::testing
