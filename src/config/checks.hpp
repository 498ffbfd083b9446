#pragma once
// Private to the config module: checks that look at the config as a whole,
// after every section has been read.

#include "load_context.hpp"

namespace olmd::config::detail {

/// Errors for keys required by what is enabled (job statuses, threshold, ip
/// service credentials, stripe key) and for files that cannot be read.
void check_required(LoadContext& ctx);

/// OPS-9: errors when the lock file or metrics textfile is a file olmd does not own
/// (database, -wal/-shm, config, secret files); a warning when the metrics directory is missing.
void check_files(LoadContext& ctx);

/// config.md's status flow: warnings for statuses that loop, collide, leak past fraud or stop.
void check_status_flow(LoadContext& ctx);

/// Warnings for legal but risky combinations (FR-13, capture vs fully-paid
/// channels, no schedule, empty fraud lists, capture of every status, MON-1).
void check_warnings(LoadContext& ctx);

}  // namespace olmd::config::detail
