// The status transition of rules.md on PostgreSQL: the optimistic update (status_id still the one read)
// plus its history row, in the batch transaction on the connection (PgDatabase::Impl::batch), a savepoint
// per order. PG-3: a statement that hits a deadlock or a serialization failure is rolled back to its own
// savepoint and run again, at most kPgRetryAttempts times; after that its orders count as concurrent
// (left alone, skipped_concurrent), never as an error of the batch.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <ostream>
#include <unordered_map>

#include "store/postgres/pg_impl.hpp"
#include "store/postgres/pg_ports.hpp"

namespace olmd::store {

namespace {

// One round trip: the optimistic update and, when it moved the order, its history row.
constexpr const char* kMoveOne =
    "WITH u AS (UPDATE orders SET status_id = $1::bigint, updated_at = $2::timestamptz WHERE id = $3::bigint AND "
    "status_id = $4::bigint RETURNING id) INSERT INTO order_status_history (order_id, from_status_id, to_status_id, "
    "job, run_id, reason, changed_at) SELECT u.id, $4::bigint, $1::bigint, $5::text, $6::bigint, $7::text, "
    "$2::timestamptz FROM u";
constexpr const char* kUpdateMany =
    "UPDATE orders SET status_id = t.s, updated_at = $4::timestamptz "
    "FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS t(o, f, s) "
    "WHERE orders.id = t.o AND orders.status_id = t.f RETURNING orders.id";
constexpr const char* kHistoryMany =
    "INSERT INTO order_status_history (order_id, from_status_id, to_status_id, job, run_id, reason, changed_at) "
    "SELECT t.o, t.f, t.s, $5, $6, t.r, $7::timestamptz "
    "FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[]) WITH ORDINALITY AS t(o, f, s, r, i) "
    "ORDER BY t.i";

class PgStatusWriter final : public domain::StatusWriter {
public:
    PgStatusWriter(PgDatabase& db, const domain::WriterOptions& o)
        : db_(db),
          job_(job_name(o.job)),
          run_(o.run),
          now_text_(format_utc(o.now)),
          dry_run_(o.dry_run),
          dry_out_(o.dry_out),
          status_name_(o.status_name) {}

    ~PgStatusWriter() override { rollback_batch(); }

    Status begin_batch() override {
        if (dry_run_) return ok_status();
        try {
            db_.impl().batch = std::make_unique<pqxx::work>(db_.impl().conn);
            return ok_status();
        } catch (const std::exception& e) {
            return pg_error(db_, "cannot start a write transaction", e);
        }
    }

    Status commit_batch() override {
        if (dry_run_ || !db_.impl().batch) return ok_status();
        try {
            db_.impl().batch->commit();
            db_.impl().batch.reset();
            return ok_status();
        } catch (const std::exception& e) {
            rollback_batch();
            return pg_error(db_, "cannot commit the batch, it was rolled back", e);
        }
    }

    void rollback_batch() override {
        auto& batch = db_.impl().batch;
        if (dry_run_ || !batch) return;
        try {
            batch->abort();
        } catch (...) {
            // The connection is gone: the server rolled the transaction back itself.
        }
        batch.reset();
    }

    Status begin_order() override { return savepoint_command("SAVEPOINT olmd_order", "cannot open a savepoint"); }

    Status end_order(bool keep) override {
        if (!keep) {
            if (auto st = savepoint_command("ROLLBACK TO SAVEPOINT olmd_order", "cannot roll the order back"); !st)
                return st;
        }
        return savepoint_command("RELEASE SAVEPOINT olmd_order", "cannot close the order's savepoint");
    }

    Result<domain::TransitionOutcome> apply(const domain::Transition& t) override {
        using domain::TransitionOutcome;
        if (t.to == t.from) return TransitionOutcome::unchanged;
        if (dry_run_) {
            print(t);
            return TransitionOutcome::changed;
        }
        if (!db_.impl().batch) return Error{"status write outside a batch (order " + std::to_string(t.order) + ")"};
        try {
            auto& tx = *db_.impl().batch;
            const auto moved = pg_retried(tx, "status of order " + std::to_string(t.order), [&](pqxx::transaction_base& w) {
                return exec_cached(db_.impl(), w, kMoveOne, t.to, now_text_, t.order, t.from, job_, run_, t.reason)
                           .affected_rows() == 1;
            });
            return moved && *moved ? TransitionOutcome::changed : TransitionOutcome::concurrent;
        } catch (const std::exception& e) {
            return pg_error(db_, "cannot write the status of order " + std::to_string(t.order), e);
        }
    }

    Result<std::vector<domain::TransitionOutcome>> apply_all(const std::vector<domain::Transition>& ts) override {
        using domain::TransitionOutcome;
        std::unordered_map<OrderId, std::size_t> at;
        at.reserve(ts.size());
        bool unique = true;
        for (std::size_t i = 0; i < ts.size() && unique; ++i) unique = at.emplace(ts[i].order, i).second;
        if (dry_run_ || !unique) return StatusWriter::apply_all(ts);
        if (!db_.impl().batch) return Error{"status writes outside a batch"};

        std::vector<TransitionOutcome> out(ts.size(), TransitionOutcome::unchanged);
        std::vector<OrderId> orders;
        std::vector<StatusId> from, to;
        for (std::size_t i = 0; i < ts.size(); ++i) {
            if (ts[i].to == ts[i].from) continue;
            out[i] = TransitionOutcome::concurrent;  // until the update says it moved
            orders.push_back(ts[i].order);
            from.push_back(ts[i].from);
            to.push_back(ts[i].to);
        }
        if (orders.empty()) return out;
        try {
            auto& tx = *db_.impl().batch;
            const auto moved = pg_retried(tx, "statuses of a batch", [&](pqxx::transaction_base& w) {
                std::vector<std::size_t> idx;
                for (const auto& row :
                     exec_cached(db_.impl(), w, kUpdateMany, pg_id_array(orders), pg_id_array(from), pg_id_array(to), now_text_))
                    idx.push_back(at.at(row[0].as<OrderId>()));
                std::sort(idx.begin(), idx.end());
                std::vector<OrderId> o;
                std::vector<StatusId> f, s;
                std::vector<std::string> r;
                for (std::size_t i : idx) {
                    o.push_back(ts[i].order);
                    f.push_back(ts[i].from);
                    s.push_back(ts[i].to);
                    r.push_back(ts[i].reason);
                }
                if (!idx.empty())
                    exec_cached(db_.impl(), w, kHistoryMany, pg_id_array(o), pg_id_array(f), pg_id_array(s), pg_text_array(r), job_,
                                  run_, now_text_);
                return idx;
            });
            if (moved)
                for (std::size_t i : *moved) out[i] = TransitionOutcome::changed;
            return out;
        } catch (const std::exception& e) {
            return pg_error(db_, "cannot write the statuses of a batch of " + std::to_string(ts.size()) + " orders", e);
        }
    }

    bool dry_run() const override { return dry_run_; }
    RunId run_id() const override { return run_; }
    const std::string& now_text() const override { return now_text_; }

private:
    Status savepoint_command(const char* sql, const char* what) {
        if (dry_run_) return ok_status();
        if (!db_.impl().batch) return Error{std::string(what) + ": no batch is open"};
        try {
            db_.impl().batch->exec(sql);
            return ok_status();
        } catch (const std::exception& e) {
            return pg_error(db_, what, e);
        }
    }

    void print(const domain::Transition& t) const {
        if (!dry_out_) return;
        *dry_out_ << "would change order " << (t.order_number.empty() ? std::to_string(t.order) : t.order_number)
                  << ": " << status_name_(t.from) << " -> " << status_name_(t.to) << " (" << job_ << ": " << t.reason
                  << ")\n";
    }

    PgDatabase& db_;
    std::string job_;
    RunId run_;
    std::string now_text_;
    bool dry_run_;
    std::ostream* dry_out_;
    std::function<std::string(StatusId)> status_name_;
};

}  // namespace

std::unique_ptr<domain::StatusWriter> make_pg_status_writer(PgDatabase& db, const domain::WriterOptions& options) {
    return std::make_unique<PgStatusWriter>(db, options);
}

}  // namespace olmd::store
