#pragma once
// automation_runs: one row per run (scheduled, catch-up or manual).

#include <optional>
#include <string>
#include <vector>

#include "olmd/core/error.hpp"
#include "olmd/core/ids.hpp"
#include "olmd/core/time.hpp"
#include "olmd/store/database.hpp"

namespace olmd::store {

enum class Trigger { schedule, catch_up, manual };
enum class Outcome { running, succeeded, failed, interrupted, crashed };

/// The text stored for a trigger / outcome.
std::string to_string(Trigger t);
std::string to_string(Outcome o);

/// One automation_runs row.
struct RunRow {
    RunId id = 0;
    std::string fire_at, started_at, finished_at, jobs, outcome, trigger, summary, warning_sent_at, host;
};

/// Reads and writes automation_runs.
class RunRepository {
public:
    explicit RunRepository(Database& db) : db_(db) {}
    /// Inserts a row with outcome 'running' and returns its id (committed at once).
    Result<RunId> open(Instant fire_at, Instant started_at, const std::string& jobs, Trigger trigger,
                       const std::string& host);
    /// Sets outcome, finished_at and the JSON summary (committed at once).
    Status close(RunId id, Outcome outcome, Instant finished_at, const std::string& summary_json);
    /// Records that the long-run warning was sent.
    Status mark_warning_sent(RunId id, Instant at);
    /// Marks rows still 'running' (a process died mid-run) as 'crashed'; returns their ids.
    Result<std::vector<RunId>> mark_abandoned_as_crashed(Instant finished_at);
    /// The newest n runs, newest first.
    Result<std::vector<RunRow>> recent(int n);
    /// The latest fire_at of a completed scheduled/catch-up run (SCH-5), or nullopt.
    Result<std::optional<Instant>> last_completed_fire_at();

private:
    Database& db_;
};

}  // namespace olmd::store
