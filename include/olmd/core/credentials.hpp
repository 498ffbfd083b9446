#pragma once
// OPS-8 at run time: the secret of a `*_file` key, read from the file itself or
// from systemd's $CREDENTIALS_DIRECTORY (LoadCredential=), always through
// files::read_secret_file, so the shape check-config enforces holds for every read.

#include <string>

#include "olmd/core/error.hpp"

namespace olmd::files {

/// The secret of the `*_file` key `key` (e.g. "[smtp] password_file") set to path: the file itself or,
/// when olmd cannot read it, $CREDENTIALS_DIRECTORY/<basename of path>, checked and read by
/// read_secret_file. An Error names the key, the file(s) tried and what to do; never the secret.
Result<std::string> read_credential(const std::string& path, const std::string& key);

}  // namespace olmd::files
