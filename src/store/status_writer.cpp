#include "olmd/store/status_writer.hpp"
#include "store/multi_row.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <unordered_map>

namespace olmd::store {

struct SqliteStatusWriter::Statements {
    SQLite::Database& db;
    explicit Statements(SQLite::Database& d)
        : db(d),
          update(db, "UPDATE orders SET status_id = ?1, updated_at = ?2 WHERE id = ?3 AND "
                        "iif(?5 = 1, typeof(status_id) <> 'integer', status_id = ?4)"),
          history(db,
                  "INSERT INTO order_status_history (order_id, from_status_id, to_status_id, job, run_id, reason, "
                  "changed_at) VALUES (?1, iif(?8 = 1, ?3, coalesce((SELECT id FROM order_statuses WHERE id = ?2), ?3)), "
                  "?3, ?4, ?5, "
                  // A from status that names no row or is no integer (bad data) cannot be referenced:
                  // the reason keeps it.
                  "?6 || iif(?8 = 1, ' (from a status_id that is not an integer)', "
                  "iif(EXISTS (SELECT 1 FROM order_statuses WHERE id = ?2), '', "
                  "' (from status_id ' || ?2 || ', which names no status)')), ?7)") {}
    SQLite::Statement update;
    SQLite::Statement history;
    /// apply_all's set-based forms: rows (order, from, to, from_not_integer), then :now; returns the
    /// ids moved.
    MultiRow batch_update{db, "WITH t(o, f, s, x) AS (VALUES ", 4,
                          ") UPDATE orders SET status_id = t.s, updated_at = :now FROM t WHERE orders.id = t.o "
                          "AND iif(t.x = 1, typeof(orders.status_id) <> 'integer', orders.status_id = t.f) "
                          "RETURNING orders.id"};
    /// The moved orders' history rows (index, order, from, to, reason, from_not_integer), then :job,
    /// :run, :now; the from status and the reason as apply() writes them.
    MultiRow batch_history{
        db, "WITH t(i, o, f, s, r, x) AS (VALUES ", 6,
        ") INSERT INTO order_status_history (order_id, from_status_id, to_status_id, job, run_id, reason, "
        "changed_at) SELECT t.o, iif(t.x = 1, t.s, coalesce(st.id, t.s)), t.s, :job, :run, "
        "t.r || iif(t.x = 1, ' (from a status_id that is not an integer)', iif(st.id IS NOT NULL, '', "
        "' (from status_id ' || t.f || ', which names no status)')), :now "
        "FROM t LEFT JOIN order_statuses st ON st.id = t.f ORDER BY t.i"};
};

SqliteStatusWriter::SqliteStatusWriter(Database& db, JobKind job, RunId run, Instant now, bool dry_run, std::ostream* dry_out,
                           std::function<std::string(StatusId)> status_name)
    : db_(db),
      job_(job),
      run_(run),
      now_text_(format_utc(now)),
      dry_run_(dry_run),
      dry_out_(dry_out),
      status_name_(std::move(status_name)) {
    if (!dry_run_) st_ = std::make_unique<Statements>(db_.raw());
}

SqliteStatusWriter::~SqliteStatusWriter() { rollback_batch(); }

Status SqliteStatusWriter::begin_batch() {
    if (dry_run_) return ok_status();
    try {
        db_.raw().exec("BEGIN IMMEDIATE");
        in_batch_ = true;
        return ok_status();
    } catch (const std::exception& e) {
        return Error{std::string("cannot start a write transaction (database busy or locked past [daemon] "
                                 "busy_timeout_ms?): ") + e.what()};
    }
}

Status SqliteStatusWriter::commit_batch() {
    if (dry_run_ || !in_batch_) return ok_status();
    try {
        db_.raw().exec("COMMIT");
        in_batch_ = false;
        return ok_status();
    } catch (const std::exception& e) {
        rollback_batch();
        return Error{std::string("cannot commit the batch, it was rolled back: ") + e.what()};
    }
}

void SqliteStatusWriter::rollback_batch() {
    if (dry_run_ || !in_batch_) return;
    in_batch_ = false;
    try {
        db_.raw().exec("ROLLBACK");
    } catch (...) {
        // The transaction is already gone (SQLite rolls back on some errors by itself).
    }
}

Status SqliteStatusWriter::begin_order() {
    if (dry_run_) return ok_status();
    try {
        db_.raw().exec("SAVEPOINT olmd_order");
        return ok_status();
    } catch (const std::exception& e) {
        return Error{std::string("cannot open a savepoint: ") + e.what()};
    }
}

Status SqliteStatusWriter::end_order(bool keep) {
    if (dry_run_) return ok_status();
    try {
        if (!keep) db_.raw().exec("ROLLBACK TO olmd_order");
        db_.raw().exec("RELEASE olmd_order");
        return ok_status();
    } catch (const std::exception& e) {
        return Error{std::string("cannot close the order's savepoint: ") + e.what()};
    }
}

Result<domain::TransitionOutcome> SqliteStatusWriter::apply(const domain::Transition& t) {
    if (t.to == t.from) return domain::TransitionOutcome::unchanged;
    if (dry_run_) {
        if (dry_out_)
            *dry_out_ << "would change order " << (t.order_number.empty() ? std::to_string(t.order) : t.order_number)
                      << ": " << status_name_(t.from) << " -> " << status_name_(t.to) << " (" << job_name(job_)
                      << ": " << t.reason << ")\n";
        return domain::TransitionOutcome::changed;
    }
    try {
        auto& u = st_->update;
        u.reset();
        u.bind(1, static_cast<std::int64_t>(t.to));
        u.bind(2, now_text_);
        u.bind(3, static_cast<std::int64_t>(t.order));
        u.bind(4, static_cast<std::int64_t>(t.from));
        u.bind(5, t.from_not_integer ? 1 : 0);
        if (u.exec() == 0) return domain::TransitionOutcome::concurrent;
        auto& h = st_->history;
        h.reset();
        h.bind(1, static_cast<std::int64_t>(t.order));
        h.bind(2, static_cast<std::int64_t>(t.from));
        h.bind(3, static_cast<std::int64_t>(t.to));
        h.bind(4, std::string(job_name(job_)));
        h.bind(5, static_cast<std::int64_t>(run_));
        h.bind(6, t.reason);
        h.bind(7, now_text_);
        h.bind(8, t.from_not_integer ? 1 : 0);
        h.exec();
        return domain::TransitionOutcome::changed;
    } catch (const std::exception& e) {
        return Error{"cannot write the status of order " + std::to_string(t.order) + ": " + e.what()};
    }
}

Result<std::vector<domain::TransitionOutcome>> SqliteStatusWriter::apply_all(
    const std::vector<domain::Transition>& ts) {
    using domain::TransitionOutcome;
    // Dry runs print one line per order; an order twice in one batch needs apply()'s order of effects.
    std::unordered_map<OrderId, std::size_t> at;
    at.reserve(ts.size());
    bool unique = true;
    for (std::size_t i = 0; i < ts.size() && unique; ++i) unique = at.emplace(ts[i].order, i).second;
    if (dry_run_ || !unique) return StatusWriter::apply_all(ts);

    std::vector<TransitionOutcome> out(ts.size(), TransitionOutcome::unchanged);
    std::vector<std::size_t> todo;
    for (std::size_t i = 0; i < ts.size(); ++i)
        if (ts[i].to != ts[i].from) {
            todo.push_back(i);
            out[i] = TransitionOutcome::concurrent;  // until the update says it moved
        }
    try {
        st_->batch_update.run(
            todo.size(),
            [&](SQLite::Statement& q, int p, std::size_t r) {
                const auto& t = ts[todo[r]];
                q.bind(p, static_cast<std::int64_t>(t.order));
                q.bind(p + 1, static_cast<std::int64_t>(t.from));
                q.bind(p + 2, static_cast<std::int64_t>(t.to));
                q.bind(p + 3, t.from_not_integer ? 1 : 0);
            },
            [&](SQLite::Statement& q) { out[at.at(q.getColumn(0).getInt64())] = TransitionOutcome::changed; },
            [&](SQLite::Statement& q) { q.bind(":now", now_text_); });
        std::vector<std::size_t> moved;
        for (std::size_t i : todo)
            if (out[i] == TransitionOutcome::changed) moved.push_back(i);
        const std::string job(job_name(job_));
        st_->batch_history.run(
            moved.size(),
            [&](SQLite::Statement& q, int p, std::size_t r) {
                const auto& t = ts[moved[r]];
                q.bind(p, static_cast<std::int64_t>(r));
                q.bind(p + 1, static_cast<std::int64_t>(t.order));
                q.bind(p + 2, static_cast<std::int64_t>(t.from));
                q.bind(p + 3, static_cast<std::int64_t>(t.to));
                q.bind(p + 4, t.reason);
                q.bind(p + 5, t.from_not_integer ? 1 : 0);
            },
            {},
            [&](SQLite::Statement& q) {
                q.bind(":job", job);
                q.bind(":run", static_cast<std::int64_t>(run_));
                q.bind(":now", now_text_);
            });
        return out;
    } catch (const std::exception& e) {
        return Error{"cannot write the statuses of a batch of " + std::to_string(ts.size()) + " orders: " + e.what()};
    }
}

}  // namespace olmd::store
