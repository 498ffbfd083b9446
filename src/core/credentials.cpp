// Secrets from *_file keys or $CREDENTIALS_DIRECTORY (see credentials.hpp).
#include "olmd/core/credentials.hpp"

#include <cstdlib>
#include <filesystem>

#include "olmd/core/files.hpp"

namespace olmd::files {

Result<std::string> read_credential(const std::string& path, const std::string& key) {
    if (path.empty()) return Error{key + " is not set; point it at the file that holds the secret (OPS-8)"};
    const std::string used = secret_path(path);  // the same lookup check-config makes
    auto secret = read_secret_file(used, key);
    if (secret) return secret;
    const std::string name = std::filesystem::path(path).filename().string();
    const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
    const std::string where = dir == nullptr || *dir == '\0'
                                  ? " ($CREDENTIALS_DIRECTORY is not set)"
                                  : (used == path ? " (nor is there " + (std::filesystem::path(dir) / name).string() +
                                                        " in $CREDENTIALS_DIRECTORY)"
                                                  : "");
    return Error{secret.error().message + where + "; create it readable by the olmd user only (mode 600) holding the "
                 "secret on one line, fix " + key + ", or pass it with systemd LoadCredential=" + name +
                 ":/path/to/the/file"};
}

}  // namespace olmd::files
