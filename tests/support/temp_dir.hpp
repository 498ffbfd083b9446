#pragma once
// A fresh directory under $TMPDIR, removed with everything in it at scope end.

#include <filesystem>
#include <string>

namespace olmd::test {

class TempDir {
public:
    /// Creates a unique directory.
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    /// The directory.
    const std::filesystem::path& path() const { return path_; }
    /// path()/name as a string.
    std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

/// Writes text to path (replacing it).
void write_file(const std::string& path, const std::string& text);

/// The whole content of path ("" if missing).
std::string read_file(const std::string& path);

}  // namespace olmd::test
