#pragma once
// --jobs parsing and the choice of jobs for a run.

#include <optional>
#include <string>
#include <vector>

#include "olmd/config/config.hpp"
#include "olmd/core/error.hpp"

namespace olmd::cli {

/// Parses "capture,fraud" into jobs; an unknown name is a usage error listing the valid ones.
Result<std::vector<JobKind>> parse_job_list(const std::string& text);

/// The jobs to run: the listed ones (each must be enabled and available, else a usage error),
/// or every enabled job this build has; in the fixed order.
Result<std::vector<JobKind>> select_jobs(const config::Config& cfg, const std::optional<std::vector<JobKind>>& listed);

/// This machine's host name.
std::string host_name();

}  // namespace olmd::cli
