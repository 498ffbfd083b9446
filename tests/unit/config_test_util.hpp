#pragma once
// Helpers shared by the config_*_test.cpp files: loading TOML text, its findings by
// severity, the only error or warning of a text, and config.md's sections.

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

/// The only error of loading text (fails the test when there is not exactly one).
inline Diagnostic only_error(const std::string& text) {
    const auto r = load(text);
    const auto e = errors(r);
    EXPECT_EQ(e.size(), 1u) << dump(r);
    return e.empty() ? Diagnostic{} : e.front();
}

/// The only warning of loading text, which must have no error.
inline Diagnostic only_warning(const std::string& text) {
    const auto r = load(text);
    EXPECT_TRUE(r.ok()) << dump(r);
    const auto w = warnings(r);
    EXPECT_EQ(w.size(), 1u) << dump(r);
    return w.empty() ? Diagnostic{} : w.front();
}

/// Every section of config.md, in its order (the per-channel [fulfillment.channel.NAME] tables aside).
inline const std::vector<std::string> kEverySection = {
    "daemon", "orders", "capture", "reauth", "fraud", "fraud.grand_total", "fraud.shipping_method",
    "fraud.grand_total_and_shipping_method", "fraud.compare_states", "fraud.international_billing",
    "fraud.ip_address", "fraud.compare_zips", "fraud.blacklist", "fraud.avs", "fraud.cvv", "sourcing",
    "sourcing.manual_review", "sourcing.stock", "sourcing.jit", "sourcing.dropship", "sourcing.ready_to_ship_auth",
    "sourcing.result", "fulfillment", "monitor", "metrics", "smtp", "gateway"};

/// A TOML text of the given section headers, each empty: "[daemon]\n[orders]\n...".
inline std::string empty_sections(const std::vector<std::string>& sections) {
    std::string text;
    for (const auto& s : sections) text += "[" + s + "]\n";
    return text;
}

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
