#include "olmd/store/status_writer.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

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

}  // namespace olmd::store
