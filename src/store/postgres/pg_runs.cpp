// automation_runs on PostgreSQL: RunLog with the SQL of runs.cpp, each write committed at once.
#include "store/postgres/pg_runs.hpp"

#include <algorithm>

#include "store/postgres/pg_impl.hpp"

namespace olmd::store {

PgRunLog::PgRunLog(PgDatabase& db) : db_(db) {}

Result<RunId> PgRunLog::open(Instant fire_at, Instant started_at, const std::string& jobs, Trigger trigger,
                             const std::string& host) {
    try {
        return in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
            return t
                .exec_params1("INSERT INTO automation_runs (fire_at, started_at, jobs, outcome, \"trigger\", summary, "
                              "host) VALUES ($1::timestamptz, $2::timestamptz, $3, 'running', $4, '{}', $5) "
                              "RETURNING id",
                              format_utc(fire_at), format_utc(started_at), jobs, to_string(trigger), host)[0]
                .as<RunId>();
        });
    } catch (const std::exception& e) {
        return pg_error(db_, "cannot record the run in automation_runs", e);
    }
}

Result<CloseAttempt> PgRunLog::try_close(RunId id, Outcome outcome, Instant finished_at,
                                         const std::string& summary_json) {
    try {
        const auto n = in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
            return t
                .exec_params("UPDATE automation_runs SET outcome = $1, finished_at = $2::timestamptz, summary = $3 "
                             "WHERE id = $4",
                             to_string(outcome), format_utc(finished_at), summary_json, id)
                .affected_rows();
        });
        if (n != 1) return Error{"cannot close run " + std::to_string(id) + ": automation_runs has no such row"};
        return CloseAttempt::closed;
    } catch (const std::exception& e) {
        if (pg_is_lock_timeout(e) || pg_is_retryable(e)) return CloseAttempt::busy;
        return pg_error(db_, "cannot close the run in automation_runs", e);
    }
}

Status PgRunLog::mark_warning_sent(RunId id, Instant at) {
    try {
        in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
            t.exec_params("UPDATE automation_runs SET warning_sent_at = $1::timestamptz WHERE id = $2", format_utc(at),
                          id);
        });
        return ok_status();
    } catch (const std::exception& e) {
        return pg_error(db_, "cannot record warning_sent_at", e);
    }
}

Result<std::vector<RunId>> PgRunLog::mark_abandoned_as_crashed(Instant finished_at) {
    try {
        return in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
            std::vector<RunId> ids;
            for (const auto& row :
                 t.exec_params("UPDATE automation_runs SET outcome = 'crashed', finished_at = $1::timestamptz "
                               "WHERE outcome = 'running' RETURNING id",
                               format_utc(finished_at)))
                ids.push_back(row[0].as<RunId>());
            std::sort(ids.begin(), ids.end());
            return ids;
        });
    } catch (const std::exception& e) {
        return pg_error(db_, "cannot mark abandoned runs as crashed", e);
    }
}

Result<std::vector<RunRow>> PgRunLog::recent(int n) {
    try {
        return in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
            std::vector<RunRow> rows;
            for (const auto& q : t.exec_params(
                     "SELECT id, " + pg_utc_text("fire_at") + ", " + pg_utc_text("started_at") + ", " +
                         pg_utc_text("finished_at") + ", jobs, outcome, \"trigger\", summary, " +
                         pg_utc_text("warning_sent_at") + ", host FROM automation_runs ORDER BY id DESC LIMIT $1",
                     n)) {
                RunRow r;
                r.id = q[0].as<RunId>();
                r.fire_at = pg_text(q[1]);
                r.started_at = pg_text(q[2]);
                r.finished_at = pg_text(q[3]);
                r.jobs = pg_text(q[4]);
                r.outcome = pg_text(q[5]);
                r.trigger = pg_text(q[6]);
                r.summary = pg_text(q[7]);
                r.warning_sent_at = pg_text(q[8]);
                r.host = pg_text(q[9]);
                rows.push_back(std::move(r));
            }
            return rows;
        });
    } catch (const std::exception& e) {
        return pg_error(db_, "cannot read automation_runs", e);
    }
}

Result<std::optional<Instant>> PgRunLog::last_completed_fire_at() {
    try {
        const std::string text = in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
            return pg_text(t.exec("SELECT " + pg_utc_text("max(fire_at)") +
                                  " FROM automation_runs WHERE \"trigger\" IN ('schedule', 'catch_up') "
                                  "AND outcome IN ('succeeded', 'failed')")[0][0]);
        });
        if (text.empty()) return std::optional<Instant>{};
        auto at = parse_utc(text);
        if (!at) return at.error().with_context("automation_runs.fire_at");
        return std::optional<Instant>{*at};
    } catch (const std::exception& e) {
        return pg_error(db_, "cannot read automation_runs", e);
    }
}

}  // namespace olmd::store
