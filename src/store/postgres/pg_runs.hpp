#pragma once
// automation_runs on PostgreSQL (the RunLog of the PostgreSQL Backend).

#include "olmd/store/pg_database.hpp"
#include "olmd/store/runs.hpp"

namespace olmd::store {

/// RunLog on a PostgreSQL session, which must outlive it; a lock_timeout or deadlock on close is `busy`.
class PgRunLog final : public RunLog {
public:
    explicit PgRunLog(PgDatabase& db);
    Result<RunId> open(Instant fire_at, Instant started_at, const std::string& jobs, Trigger trigger,
                       const std::string& host) override;
    Result<CloseAttempt> try_close(RunId id, Outcome outcome, Instant finished_at,
                                   const std::string& summary_json) override;
    Status mark_warning_sent(RunId id, Instant at) override;
    Result<std::vector<RunId>> mark_abandoned_as_crashed(Instant finished_at) override;
    Result<std::vector<RunRow>> recent(int n) override;
    Result<std::optional<Instant>> last_completed_fire_at() override;

private:
    PgDatabase& db_;
};

}  // namespace olmd::store
