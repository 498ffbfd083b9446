#pragma once
// Identifiers of rows and of the four jobs.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace olmd {

using RowId = std::int64_t;
using OrderId = RowId;
using StatusId = RowId;
using RunId = RowId;

/// The four jobs, in the fixed run order (SCH-2).
enum class JobKind { capture = 0, reauth = 1, fraud = 2, sourcing = 3 };

inline constexpr std::array<JobKind, 4> kAllJobs = {JobKind::capture, JobKind::reauth,
                                                    JobKind::fraud, JobKind::sourcing};

/// The job's name as used in config sections, --jobs and history rows.
constexpr std::string_view job_name(JobKind k) {
    switch (k) {
        case JobKind::capture: return "capture";
        case JobKind::reauth: return "reauth";
        case JobKind::fraud: return "fraud";
        case JobKind::sourcing: return "sourcing";
    }
    return "?";
}

/// The job with that name, or nullopt.
constexpr std::optional<JobKind> job_from_name(std::string_view n) {
    for (JobKind k : kAllJobs)
        if (job_name(k) == n) return k;
    return std::nullopt;
}

}  // namespace olmd
