#pragma once
// Private to the config module: checks that look at the config as a whole,
// after every section has been read.

#include "load_context.hpp"

namespace olmd::config::detail {

/// Errors for keys required by what is enabled (job statuses, threshold, ip
/// service credentials, stripe key) and for files that cannot be read.
void check_required(LoadContext& ctx);

/// Warnings for legal but risky combinations (FR-13, capture vs fully-paid
/// channels, no schedule, empty fraud lists, capture of every status, MON-1).
void check_warnings(LoadContext& ctx);

}  // namespace olmd::config::detail
