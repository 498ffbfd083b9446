// Where an installed olmd finds the files installed with it (see common.hpp).
#include <filesystem>
#include <string>
#include <system_error>

#include "cli/common.hpp"
#include "olmd/core/files.hpp"

// Compiled in for this file only (CMakeLists.txt): the configured install directories.
#ifndef OLMD_DEFAULT_CONFIG
#define OLMD_DEFAULT_CONFIG "/etc/olmd/olmd.toml"
#endif
#ifndef OLMD_SQL_DIR
#define OLMD_SQL_DIR "/usr/share/olmd/sql"
#endif
#ifndef OLMD_BIN_DIR
#define OLMD_BIN_DIR "/usr/bin"
#endif
#ifndef OLMD_SYSCONFDIR_SETTING
#define OLMD_SYSCONFDIR_SETTING "etc"
#endif
#ifndef OLMD_DATADIR_SETTING
#define OLMD_DATADIR_SETTING "share"
#endif

namespace olmd::cli {

namespace {

/// The directory of the running binary ("" when /proc/self/exe cannot be read).
std::filesystem::path self_dir() {
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::path() : exe.parent_path();
}

/// GNUInstallDirs' CMAKE_INSTALL_FULL_SYSCONFDIR for prefix (scripts/install_files.cmake does the same).
std::string sysconfdir_for(const std::string& prefix, const std::string& setting) {
    if (std::filesystem::path(setting).is_absolute()) return setting;
    if (prefix.empty() || prefix == "/usr") return "/" + setting;
    if (prefix.rfind("/opt/", 0) == 0) return "/" + setting + prefix;
    return prefix + "/" + setting;
}

}  // namespace

InstallPaths install_paths() {
    InstallPaths p{OLMD_DEFAULT_CONFIG, OLMD_SQL_DIR};
    const std::filesystem::path dir = self_dir();
    // A build tree, or installed where it was configured for: the compiled-in paths hold.
    if (dir.empty() || dir.filename() != "bin" || files::same_file(dir.string(), OLMD_BIN_DIR)) return p;
    std::string prefix = dir.parent_path().string();  // /usr/local/bin/olmd -> /usr/local
    if (prefix == "/") prefix.clear();
    p.config_file = sysconfdir_for(prefix, OLMD_SYSCONFDIR_SETTING) + "/olmd/olmd.toml";
    const std::string data = OLMD_DATADIR_SETTING;
    p.sql_dir = (std::filesystem::path(data).is_absolute() ? data : (prefix.empty() ? "/usr" : prefix) + "/" + data) +
                "/olmd/sql";
    return p;
}

}  // namespace olmd::cli
