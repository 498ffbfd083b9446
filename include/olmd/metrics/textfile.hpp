#pragma once
// The Prometheus textfile (cli.md Metrics, [metrics] textfile): after every
// run, the last run's per-job counts, times and outcome, rewritten atomically
// as node_exporter's textfile collector expects.

#include <chrono>
#include <cstdint>
#include <string>

#include "olmd/config/config.hpp"
#include "olmd/core/error.hpp"
#include "olmd/pipeline/runner.hpp"
#include "olmd/store/backend.hpp"

namespace olmd::metrics {

/// What the textfile says about one finished run.
struct RunSample {
    const pipeline::RunReport& report;
    std::chrono::system_clock::time_point started;
    std::chrono::system_clock::time_point finished;
    std::int64_t warnings_sent_total = 0;  ///< runs that ever sent a long-run warning
};

/// The Prometheus text exposition of a run (HELP and TYPE lines, one series per job and outcome).
std::string render(const RunSample& sample);

/// Writes text to path atomically (OPS-9): a new mkstemp file in the same directory, fsync, rename over path,
/// fsync of the directory; a symbolic link at path is refused. An Error names the path and the reason; no temp file is left.
Status write_atomically(const std::string& path, const std::string& text);

/// After a run: writes [metrics] textfile when it is set (nothing when unset), counting warnings
/// in the database. The Error, if any, is for the caller to log: a metrics failure never stops automation.
Status write_after_run(const config::Config& cfg, store::Backend& db, const pipeline::RunReport& report,
                       std::chrono::system_clock::time_point started, std::chrono::system_clock::time_point finished);

}  // namespace olmd::metrics
