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

/// What one attempt to close a run row came to.
enum class CloseAttempt {
    closed,  ///< outcome, finished_at and summary are committed
    busy,    ///< the database stayed locked past the busy timeout: nothing written, try again (OPS-12)
};

/// automation_runs of one database (RunRepository's contract, on either backend).
class RunLog {
public:
    virtual ~RunLog() = default;
    /// Inserts a row with outcome 'running' and returns its id (committed at once).
    virtual Result<RunId> open(Instant fire_at, Instant started_at, const std::string& jobs, Trigger trigger,
                               const std::string& host) = 0;
    /// One attempt to set outcome, finished_at and summary: closed, busy (locked past the lock timeout), or
    /// an Error for anything else.
    virtual Result<CloseAttempt> try_close(RunId id, Outcome outcome, Instant finished_at,
                                           const std::string& summary_json) = 0;
    /// Records that the long-run warning was sent.
    virtual Status mark_warning_sent(RunId id, Instant at) = 0;
    /// Marks rows still 'running' as 'crashed' and returns their ids (call only holding the instance lock).
    virtual Result<std::vector<RunId>> mark_abandoned_as_crashed(Instant finished_at) = 0;
    /// The newest n runs, newest first.
    virtual Result<std::vector<RunRow>> recent(int n) = 0;
    /// The latest fire_at of a completed scheduled/catch-up run (SCH-5), or nullopt.
    virtual Result<std::optional<Instant>> last_completed_fire_at() = 0;
};

/// Reads and writes automation_runs of a SQLite database.
class RunRepository final : public RunLog {
public:
    explicit RunRepository(Database& db) : db_(db) {}
    /// Inserts a row with outcome 'running' and returns its id (committed at once).
    Result<RunId> open(Instant fire_at, Instant started_at, const std::string& jobs, Trigger trigger,
                       const std::string& host) override;
    /// Sets outcome, finished_at and the JSON summary (committed at once); a locked database is an Error.
    Status close(RunId id, Outcome outcome, Instant finished_at, const std::string& summary_json);
    /// One attempt at close(): closed, busy (locked past the busy timeout), or an Error for anything
    /// else (no such row, disk, schema).
    Result<CloseAttempt> try_close(RunId id, Outcome outcome, Instant finished_at, const std::string& summary_json) override;
    /// Records that the long-run warning was sent.
    Status mark_warning_sent(RunId id, Instant at) override;
    /// Marks rows still 'running' as 'crashed' and returns their ids; call only while holding the
    /// instance lock (OPS-4), so that those rows belong to a process that died.
    Result<std::vector<RunId>> mark_abandoned_as_crashed(Instant finished_at) override;
    /// The newest n runs, newest first.
    Result<std::vector<RunRow>> recent(int n) override;
    /// The latest fire_at of a completed scheduled/catch-up run (SCH-5), or nullopt.
    Result<std::optional<Instant>> last_completed_fire_at() override;

private:
    Database& db_;
};

}  // namespace olmd::store
