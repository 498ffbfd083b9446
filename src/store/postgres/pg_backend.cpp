// The PostgreSQL Backend (PG-1): run rows, catalog, the RunStore of a run and the housekeeping after it,
// all on one session.
#include <chrono>

#include "olmd/store/backend.hpp"
#include "olmd/store/pg_reference.hpp"
#include "store/postgres/pg_impl.hpp"
#include "store/postgres/pg_ports.hpp"
#include "store/postgres/pg_runs.hpp"

namespace olmd::store {

namespace {

class PgRunStore final : public domain::RunStore {
public:
    explicit PgRunStore(PgDatabase& db) : db_(db) {}

    Result<std::unique_ptr<domain::StatusWriter>> status_writer(const domain::WriterOptions& o) override {
        return make_pg_status_writer(db_, o);
    }
    Result<std::unique_ptr<domain::PaymentRepository>> payments() override { return make_pg_payments(db_); }
    Result<std::unique_ptr<domain::FraudOrderPages>> fraud_orders(const domain::FraudOrderFilter& filter) override {
        return make_pg_fraud_pages(db_, filter);
    }
    Result<std::optional<domain::FraudOrder>> fraud_order(OrderId id) override { return read_pg_fraud_order(db_, id); }
    Result<std::unique_ptr<domain::SourcingRepository>> sourcing() override { return make_pg_sourcing(db_); }

private:
    PgDatabase& db_;
};

/// Rows deleted per statement: each is its own short transaction (OPS-7).
constexpr int kPurgeChunk = 1000;

class PgBackend final : public Backend {
public:
    explicit PgBackend(std::unique_ptr<PgDatabase> db) : db_(std::move(db)), runs_(*db_) {}

    const std::string& name() const override { return db_->server(); }
    Result<domain::Catalog> catalog() override { return load_pg_catalog(*db_); }
    RunLog& runs() override { return runs_; }

    Result<std::optional<domain::OrderRef>> find_order(const std::string& number) override {
        try {
            return in_transaction(db_->impl(), [&](pqxx::transaction_base& t) {
                const pqxx::result r = t.exec_params(
                    "SELECT id, order_number, status_id, channel_id FROM orders WHERE order_number = $1", number);
                if (r.empty()) return std::optional<domain::OrderRef>{};
                return std::optional<domain::OrderRef>{domain::OrderRef{
                    r[0][0].as<OrderId>(), r[0][1].as<std::string>(), r[0][2].as<StatusId>(), r[0][3].as<RowId>()}};
            });
        } catch (const std::exception& e) {
            return pg_error(*db_, "cannot read orders", e);
        }
    }
    std::unique_ptr<domain::RunStore> run_store() override { return std::make_unique<PgRunStore>(*db_); }

    Result<PurgeCounts> purge_finished_operations(Instant now, int days) override {
        if (days < 1) return Error{"run_retention_days must be at least 1, not " + std::to_string(days)};
        const std::string cutoff = format_utc(now - std::chrono::days{days});
        PurgeCounts counts;
        try {
            counts.operations = chunks(
                "DELETE FROM gateway_operations WHERE id IN (SELECT id FROM gateway_operations WHERE state NOT IN "
                "('pending', 'unknown') AND completed_at IS NOT NULL AND completed_at < $1::timestamptz LIMIT $2)",
                cutoff);
            // The sandbox answers a repeated key from its ledger: keep the rows an open operation may resend.
            counts.ledger_rows = chunks(
                "DELETE FROM sandbox_ledger WHERE id IN (SELECT l.id FROM sandbox_ledger l WHERE l.created_at < "
                "$1::timestamptz AND NOT EXISTS (SELECT 1 FROM gateway_operations g WHERE g.idempotency_key = "
                "l.idempotency_key AND g.state IN ('pending', 'unknown')) LIMIT $2)",
                cutoff);
            return counts;
        } catch (const std::exception& e) {
            return pg_error(*db_, "cannot purge finished gateway operations older than " + std::to_string(days) +
                                      " days",
                            e);
        }
    }

    Result<std::vector<Violation>> audit(const AuditOptions& options) override { return audit_pg(*db_, options); }

    Result<std::int64_t> count_runs_with_warning() override {
        try {
            return in_transaction(db_->impl(), [&](pqxx::transaction_base& t) {
                return t.exec("SELECT count(*) FROM automation_runs WHERE warning_sent_at IS NOT NULL")[0][0]
                    .as<std::int64_t>();
            });
        } catch (const std::exception& e) {
            return pg_error(*db_, "cannot count the runs that sent a warning", e);
        }
    }

    Result<std::optional<bool>> try_instance_lock() override {
        try {
            const bool held = in_transaction(db_->impl(), [&](pqxx::transaction_base& t) {
                return t.exec_params1("SELECT pg_try_advisory_lock($1)", kPgInstanceLockKey)[0].as<bool>();
            });
            return std::optional<bool>{held};
        } catch (const std::exception& e) {
            return pg_error(*db_, "cannot take the instance lock (pg_try_advisory_lock)", e);
        }
    }

    Result<std::string> instance_lock_holder() override {
        try {
            return in_transaction(db_->impl(), [&](pqxx::transaction_base& t) {
                const pqxx::result r = t.exec_params(
                    "SELECT coalesce(host(a.client_addr), 'local socket'), a.application_name, a.pid, " +
                        pg_utc_text("a.backend_start") +
                        " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
                        "AND l.granted AND l.classid = ($1::bigint >> 32)::oid AND l.objid = ($1::bigint & 4294967295)::oid "
                        "AND l.objsubid = 1 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                    kPgInstanceLockKey);
                if (r.empty()) return std::string();
                return std::string("pid ") + r[0][2].c_str() + " (" + r[0][1].c_str() + ") from " + r[0][0].c_str() +
                       ", connected since " + (r[0][3].is_null() ? std::string("?") : r[0][3].as<std::string>());
            });
        } catch (const std::exception& e) {
            return pg_error(*db_, "cannot read who holds the instance lock", e);
        }
    }

    bool alive() override {
        try {
            in_transaction(db_->impl(), [](pqxx::transaction_base& t) { t.exec("SELECT 1"); });
            return true;
        } catch (const std::exception&) {
            return false;
        }
    }

    PgDatabase* postgres() override { return db_.get(); }

private:
    /// Runs a chunked DELETE ($1 cutoff, $2 limit), each chunk committed, until a chunk is short; the total.
    std::int64_t chunks(const std::string& sql, const std::string& cutoff) {
        std::int64_t total = 0;
        for (;;) {
            const auto n = in_transaction(db_->impl(), [&](pqxx::transaction_base& t) {
                return static_cast<std::int64_t>(t.exec_params(sql, cutoff, kPurgeChunk).affected_rows());
            });
            total += n;
            if (n < kPurgeChunk) return total;
        }
    }

    std::unique_ptr<PgDatabase> db_;
    PgRunLog runs_;
};

}  // namespace

std::unique_ptr<Backend> pg_backend(std::unique_ptr<PgDatabase> db) { return std::make_unique<PgBackend>(std::move(db)); }

}  // namespace olmd::store
