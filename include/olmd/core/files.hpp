#pragma once
// Reading and writing files safely (OPS-8, OPS-9, OPS-10): every file read by
// path is a bounded regular file, every file written refuses symbolic links and
// is replaced atomically, so no path can make olmd hang, exhaust memory or
// truncate a file it does not own.

#include <cstddef>
#include <string>
#include <vector>

#include "olmd/core/error.hpp"

namespace olmd::files {

inline constexpr std::size_t kMaxConfigBytes = 1024 * 1024;  ///< OPS-10: the config file
inline constexpr std::size_t kMaxSecretBytes = 4096;         ///< OPS-8: a secret file

/// Reads the whole file at path; an Error names `what` and path when it is not a regular
/// file (FIFO, device, directory: never opened blocking), cannot be read or exceeds max_bytes.
Result<std::string> read_regular_file(const std::string& path, std::size_t max_bytes, const std::string& what);

/// Checks the file at path is a regular file of at most max_bytes without reading it
/// (for files handed to a library by path, such as an .mmdb database).
Status check_regular_file(const std::string& path, std::size_t max_bytes, const std::string& what);

/// OPS-8: the secret held by the file at path: a regular file of at most 4 KiB holding
/// one non-empty line (one trailing "\n" or "\r\n" allowed); anything else is an Error
/// naming the file and what is wrong with it. The secret itself is never in a message.
Result<std::string> read_secret_file(const std::string& path, const std::string& what);

/// OPS-8: where a secret named by a `*_file` key is read from: path itself when it exists,
/// else $CREDENTIALS_DIRECTORY/<basename of path> (systemd LoadCredential=) when that exists,
/// else path (so the error names what the operator wrote).
std::string secret_path(const std::string& path);

/// OPS-9: opens path for writing (O_NOFOLLOW, created with mode if missing), refusing a
/// symbolic link or anything but a regular file; returns the descriptor (O_CLOEXEC).
Result<int> open_owned_file(const std::string& path, int mode, const std::string& what);

/// OPS-9: replaces path with text atomically: a new temp file (mkstemp in path's directory,
/// chmod mode, fsync) renamed over path; a symbolic link or non-regular file at path is refused.
Status replace_file_atomically(const std::string& path, const std::string& text, int mode, const std::string& what);

/// True when a and b name the same file: the same inode if both exist, else the same
/// lexically normalized absolute path (so a file not created yet is still recognized).
bool same_file(const std::string& a, const std::string& b);

}  // namespace olmd::files
