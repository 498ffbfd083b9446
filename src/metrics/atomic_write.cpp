// The textfile's atomic replacement (OPS-9): a new temp file renamed over the target.
#include <cerrno>

#include "olmd/core/files.hpp"
#include "olmd/metrics/textfile.hpp"

namespace olmd::metrics {

Status write_atomically(const std::string& path, const std::string& text) {
    // node_exporter runs as another user: the file is world-readable whatever the umask.
    auto st = files::replace_file_atomically(path, text, 0644, "the metrics textfile ([metrics] textfile)");
    if (st) return st;
    std::string msg = "cannot write " + st.error().message;
    if (msg.find("No such file") != std::string::npos) msg += "; does its directory exist?";
    if (msg.find("Permission denied") != std::string::npos || msg.find("Read-only") != std::string::npos)
        msg += "; the directory must be writable by olmd (under systemd add it to ReadWritePaths=)";
    return Error{msg};
}

}  // namespace olmd::metrics
