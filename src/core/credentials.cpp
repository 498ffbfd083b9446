// Secrets from *_file keys or $CREDENTIALS_DIRECTORY (see credentials.hpp).
#include "olmd/core/credentials.hpp"

#include <unistd.h>

#include <cstdlib>

#include "olmd/core/files.hpp"

namespace olmd::files {

namespace {

std::string basename_of(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

Result<std::string> read_credential(const std::string& path, const std::string& key) {
    if (path.empty()) return Error{key + " is not set; point it at the file that holds the secret (OPS-8)"};
    if (::access(path.c_str(), R_OK) == 0) return read_secret_file(path, key);
    const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
    const std::string name = basename_of(path);
    if (dir == nullptr || *dir == '\0' || name.empty()) {
        auto direct = read_secret_file(path, key);  // says why the path itself cannot be read
        if (direct) return direct;
        return Error{direct.error().message + "; create it readable by the olmd user only (mode 600), fix " + key +
                     ", or pass it with systemd LoadCredential=" + name + ":/path/to/the/file " +
                     "($CREDENTIALS_DIRECTORY is not set)"};
    }
    const std::string alt = std::string(dir) + "/" + name;
    if (::access(alt.c_str(), R_OK) == 0) return read_secret_file(alt, key);
    return Error{key + " " + path + " cannot be read and neither can " + alt +
                 " in $CREDENTIALS_DIRECTORY; create the file readable by the olmd user only (mode 600), fix " +
                 key + ", or pass it with systemd LoadCredential=" + name + ":/path/to/the/file"};
}

}  // namespace olmd::files
