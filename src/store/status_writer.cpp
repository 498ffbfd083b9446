#include "olmd/store/status_writer.hpp"
#include "store/multi_row.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <map>
#include <unordered_map>

namespace olmd::store {

struct SqliteStatusWriter::Statements {
    explicit Statements(SQLite::Database& db)
        : update(db, "UPDATE orders SET status_id = ?1, updated_at = ?2 WHERE id = ?3 AND "
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
    /// The set-based statements for n transitions (n a power of two), prepared on first use.
    struct Chunk {
        std::unique_ptr<SQLite::Statement> update, history;
    };
    std::map<std::size_t, Chunk> chunks;
};

namespace {

/// The largest chunk apply_all writes in one statement: 4 (update) and 5 (history) parameters per
/// order stay below SQLite's default limit of 32766 host parameters.
constexpr std::size_t kMaxChunk = 4096;

/// The next chunk of n transitions (multi_row.hpp).
std::size_t chunk_size(std::size_t n) { return chunk_rows(n, kMaxChunk); }

/// The optimistic update of n orders: rows (order, from, to, from_not_integer), then now; returns the ids moved.
std::string update_sql(std::size_t n) {
    return "WITH t(o, f, s, x) AS (VALUES " + values_rows(n, 4, false) +
           ") UPDATE orders SET status_id = t.s, updated_at = ?" + std::to_string(4 * n + 1) +
           " FROM t WHERE orders.id = t.o AND iif(t.x = 1, typeof(orders.status_id) <> 'integer', "
           "orders.status_id = t.f) RETURNING orders.id";
}

/// The history rows of n moved orders: rows (order, from, to, reason, from_not_integer), then job, run, now;
/// the from status and the reason as apply() writes them.
std::string history_sql(std::size_t n) {
    const std::string job = "?" + std::to_string(5 * n + 1), run = "?" + std::to_string(5 * n + 2),
                      now = "?" + std::to_string(5 * n + 3);
    return "WITH t(i, o, f, s, r, x) AS (VALUES " + values_rows(n, 5, true) +
           ") INSERT INTO order_status_history (order_id, from_status_id, to_status_id, job, run_id, reason, "
           "changed_at) SELECT t.o, iif(t.x = 1, t.s, coalesce(st.id, t.s)), t.s, " + job + ", " + run +
           ", t.r || iif(t.x = 1, ' (from a status_id that is not an integer)', iif(st.id IS NOT NULL, '', "
           "' (from status_id ' || t.f || ', which names no status)')), " + now +
           " FROM t LEFT JOIN order_statuses st ON st.id = t.f ORDER BY t.i";
}

}  // namespace


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
    SQLite::Statement* current = nullptr;
    try {
        for (std::size_t done = 0; done < todo.size();) {
            const std::size_t n = chunk_size(todo.size() - done);
            auto& u = st_->chunks[n].update;
            if (!u) u = std::make_unique<SQLite::Statement>(db_.raw(), update_sql(n));
            current = u.get();
            int p = 1;
            for (std::size_t r = 0; r < n; ++r) {
                const auto& t = ts[todo[done + r]];
                u->bind(p++, static_cast<std::int64_t>(t.order));
                u->bind(p++, static_cast<std::int64_t>(t.from));
                u->bind(p++, static_cast<std::int64_t>(t.to));
                u->bind(p++, t.from_not_integer ? 1 : 0);
            }
            u->bind(p, now_text_);
            while (u->executeStep()) out[at.at(u->getColumn(0).getInt64())] = TransitionOutcome::changed;
            u->reset();
            done += n;
        }
        std::vector<std::size_t> moved;
        for (std::size_t i : todo)
            if (out[i] == TransitionOutcome::changed) moved.push_back(i);
        for (std::size_t done = 0; done < moved.size();) {
            const std::size_t n = chunk_size(moved.size() - done);
            auto& h = st_->chunks[n].history;
            if (!h) h = std::make_unique<SQLite::Statement>(db_.raw(), history_sql(n));
            current = h.get();
            int p = 1;
            for (std::size_t r = 0; r < n; ++r) {
                const auto& t = ts[moved[done + r]];
                h->bind(p++, static_cast<std::int64_t>(t.order));
                h->bind(p++, static_cast<std::int64_t>(t.from));
                h->bind(p++, static_cast<std::int64_t>(t.to));
                h->bind(p++, t.reason);
                h->bind(p++, t.from_not_integer ? 1 : 0);
            }
            h->bind(p++, std::string(job_name(job_)));
            h->bind(p++, static_cast<std::int64_t>(run_));
            h->bind(p, now_text_);
            h->exec();
            h->reset();
            done += n;
        }
        return out;
    } catch (const std::exception& e) {
        if (current != nullptr) current->tryReset();
        return Error{"cannot write the statuses of a batch of " + std::to_string(ts.size()) + " orders: " + e.what()};
    }
}

}  // namespace olmd::store
