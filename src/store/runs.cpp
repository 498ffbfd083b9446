#include "olmd/store/runs.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

namespace olmd::store {

std::string to_string(Trigger t) {
    switch (t) {
        case Trigger::schedule: return "schedule";
        case Trigger::catch_up: return "catch_up";
        case Trigger::manual: return "manual";
    }
    return "manual";
}

std::string to_string(Outcome o) {
    switch (o) {
        case Outcome::running: return "running";
        case Outcome::succeeded: return "succeeded";
        case Outcome::failed: return "failed";
        case Outcome::interrupted: return "interrupted";
        case Outcome::crashed: return "crashed";
    }
    return "failed";
}

namespace {

Error db_error(const char* what, const std::exception& e) {
    return Error{std::string(what) + ": " + e.what()};
}

std::string text_or_empty(const SQLite::Column& c) { return c.isNull() ? std::string() : c.getString(); }

}  // namespace

Result<RunId> RunRepository::open(Instant fire_at, Instant started_at, const std::string& jobs, Trigger trigger,
                                  const std::string& host) {
    try {
        SQLite::Statement q(db_.raw(),
                            "INSERT INTO automation_runs (fire_at, started_at, jobs, outcome, \"trigger\", summary, host) "
                            "VALUES (?, ?, ?, 'running', ?, '{}', ?)");
        q.bind(1, format_utc(fire_at));
        q.bind(2, format_utc(started_at));
        q.bind(3, jobs);
        q.bind(4, to_string(trigger));
        q.bind(5, host);
        q.exec();
        return db_.raw().getLastInsertRowid();
    } catch (const std::exception& e) {
        return db_error("cannot record the run in automation_runs", e);
    }
}

Status RunRepository::close(RunId id, Outcome outcome, Instant finished_at, const std::string& summary_json) {
    auto r = try_close(id, outcome, finished_at, summary_json);
    if (!r) return r.error();
    if (*r == CloseAttempt::busy)
        return Error{"cannot close run " + std::to_string(id) + " in automation_runs: the database is locked "
                     "(another connection holds a write transaction past [daemon] busy_timeout_ms)"};
    return ok_status();
}

Result<CloseAttempt> RunRepository::try_close(RunId id, Outcome outcome, Instant finished_at,
                                              const std::string& summary_json) {
    try {
        SQLite::Statement q(db_.raw(),
                            "UPDATE automation_runs SET outcome = ?, finished_at = ?, summary = ? WHERE id = ?");
        q.bind(1, to_string(outcome));
        q.bind(2, format_utc(finished_at));
        q.bind(3, summary_json);
        q.bind(4, id);
        if (q.exec() != 1)
            return Error{"cannot close run " + std::to_string(id) + ": automation_runs has no such row"};
        return CloseAttempt::closed;
    } catch (const std::exception& e) {
        if (is_busy(e)) return CloseAttempt::busy;
        return db_error("cannot close the run in automation_runs", e);
    }
}

Status RunRepository::mark_warning_sent(RunId id, Instant at) {
    try {
        SQLite::Statement q(db_.raw(), "UPDATE automation_runs SET warning_sent_at = ? WHERE id = ?");
        q.bind(1, format_utc(at));
        q.bind(2, id);
        q.exec();
        return ok_status();
    } catch (const std::exception& e) {
        return db_error("cannot record warning_sent_at", e);
    }
}

Result<std::vector<RunId>> RunRepository::mark_abandoned_as_crashed(Instant finished_at) {
    try {
        std::vector<RunId> ids;
        SQLite::Statement sel(db_.raw(), "SELECT id FROM automation_runs WHERE outcome = 'running' ORDER BY id");
        while (sel.executeStep()) ids.push_back(sel.getColumn(0).getInt64());
        SQLite::Statement upd(db_.raw(),
                              "UPDATE automation_runs SET outcome = 'crashed', finished_at = ? WHERE outcome = 'running'");
        upd.bind(1, format_utc(finished_at));
        upd.exec();
        return ids;
    } catch (const std::exception& e) {
        return db_error("cannot mark abandoned runs as crashed", e);
    }
}

Result<std::vector<RunRow>> RunRepository::recent(int n) {
    try {
        std::vector<RunRow> rows;
        SQLite::Statement q(db_.raw(),
                            "SELECT id, fire_at, started_at, finished_at, jobs, outcome, \"trigger\", summary, "
                            "warning_sent_at, host FROM automation_runs ORDER BY id DESC LIMIT ?");
        q.bind(1, n);
        while (q.executeStep()) {
            RunRow r;
            r.id = q.getColumn(0).getInt64();
            r.fire_at = text_or_empty(q.getColumn(1));
            r.started_at = text_or_empty(q.getColumn(2));
            r.finished_at = text_or_empty(q.getColumn(3));
            r.jobs = text_or_empty(q.getColumn(4));
            r.outcome = text_or_empty(q.getColumn(5));
            r.trigger = text_or_empty(q.getColumn(6));
            r.summary = text_or_empty(q.getColumn(7));
            r.warning_sent_at = text_or_empty(q.getColumn(8));
            r.host = text_or_empty(q.getColumn(9));
            rows.push_back(std::move(r));
        }
        return rows;
    } catch (const std::exception& e) {
        return db_error("cannot read automation_runs", e);
    }
}

Result<std::optional<Instant>> RunRepository::last_completed_fire_at() {
    try {
        SQLite::Statement q(db_.raw(),
                            "SELECT max(fire_at) FROM automation_runs WHERE \"trigger\" IN ('schedule', 'catch_up') "
                            "AND outcome IN ('succeeded', 'failed')");
        if (!q.executeStep() || q.getColumn(0).isNull()) return std::optional<Instant>{};
        auto t = parse_utc(q.getColumn(0).getString());
        if (!t) return t.error().with_context("automation_runs.fire_at");
        return std::optional<Instant>{*t};
    } catch (const std::exception& e) {
        return db_error("cannot read automation_runs", e);
    }
}

}  // namespace olmd::store
