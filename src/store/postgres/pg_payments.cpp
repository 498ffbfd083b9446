// The payments and gateway journal on PostgreSQL (the PostgreSQL twin of SqlitePayments,
// payments_reads.cpp / payments_writes.cpp: the same selections, attempt numbers, keys and writes).
// Every statement runs in the batch transaction the StatusWriter opened, or in one of its own for a
// read outside a batch. The columns are typed (their rows decoded in pg_payment_rows.cpp), so
// bad_types is always empty.
#include <algorithm>

#include "store/postgres/pg_impl.hpp"
#include "store/postgres/pg_payment_rows.hpp"
#include "store/postgres/pg_ports.hpp"

namespace olmd::store {

namespace {

using domain::JournalOp;
using domain::OpState;
using domain::Operation;
using domain::PaymentOrder;
using domain::PaymentRow;

/// An order as load_order reads it: nullopt when it is gone.
using PgOrderRead = std::optional<PaymentOrder>;

/// CAP-2 / CAP-3 as capture_where() of payments_reads.cpp ($1 statuses, '{}' = any).
std::string capture_where(const domain::CaptureFilter& f) {
    std::string w = "p.method = 'credit_card' AND p.status = 'authorized'";
    if (f.hold_status != 0) w += " AND o.status_id <> " + std::to_string(f.hold_status);
    if (!f.statuses.empty()) w += " AND o.status_id = ANY('" + pg_id_array(f.statuses) + "'::bigint[])";
    const std::string shipped = "o.status_id = " + std::to_string(f.fully_shipped_status);
    const std::string regular = f.only_fully_shipped ? shipped : "true";
    const std::string delayed = f.delayed_on_creation ? "true" : shipped;
    return w + " AND ((NOT o.is_delayed_delivery AND " + regular + ") OR (o.is_delayed_delivery AND " + delayed + "))";
}

class PgPayments final : public domain::PaymentRepository {
public:
    explicit PgPayments(PgDatabase& db) : db_(db) {}

    Result<std::vector<OrderId>> capture_orders(const domain::CaptureFilter& f, OrderId after, int limit) override {
        return ids("cannot read capture candidates",
                   "SELECT DISTINCT p.order_id FROM payments p JOIN orders o ON o.id = p.order_id WHERE " +
                       capture_where(f) + " AND p.order_id > $1 ORDER BY p.order_id LIMIT $2",
                   after, limit);
    }

    Result<std::int64_t> capture_count(const domain::CaptureFilter& f) override {
        try {
            return in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
                return t.exec("SELECT count(*) FROM payments p JOIN orders o ON o.id = p.order_id WHERE " +
                              capture_where(f))[0][0]
                    .as<std::int64_t>();
            });
        } catch (const std::exception& e) {
            return pg_error(db_, "cannot count capture candidates", e);
        }
    }

    Result<std::vector<OrderId>> reauth_orders(const domain::ReauthFilter& f, OrderId after, int limit) override {
        std::string w = "p.method = 'credit_card' AND p.status = 'authorized' AND p.captured_cents <> p.amount_cents "
                        "AND (p.authorized_at IS NULL OR p.authorized_at <= '" + sql_text(f.cutoff) +
                        "'::timestamptz)";
        if (f.hold_status != 0) w += " AND o.status_id <> " + std::to_string(f.hold_status);
        w += " AND o.status_id = ANY('" + pg_id_array(f.statuses) + "'::bigint[])";
        return ids("cannot read reauth candidates",
                   "SELECT DISTINCT p.order_id FROM payments p JOIN orders o ON o.id = p.order_id WHERE " + w +
                       " AND p.order_id > $1 ORDER BY p.order_id LIMIT $2",
                   after, limit);
    }

    Result<std::vector<OrderId>> club_orders(StatusId club_status, OrderId after, int limit) override {
        return ids("cannot read club orders",
                   "SELECT id FROM orders WHERE is_club AND status_id = " + std::to_string(club_status) +
                       " AND id > $1 ORDER BY id LIMIT $2",
                   after, limit);
    }

    Result<std::optional<PaymentOrder>> load_order(OrderId id) override {
        try {
            if (db_.impl().batch) return load_locked(*db_.impl().batch, id);
            return in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
                // The payment columns (NULL when the order has none), then the order's: tables a run
                // barely grows, so the statement keeps its cached plan; the journal's open operations
                // follow in a statement of their own, planned each call (open_operations_sql).
                const pqxx::result r = exec_cached(
                    db_.impl(), t,
                    "SELECT " + kPaymentColumns + ", " + kOrderColumns +
                        " FROM orders o LEFT JOIN payments p ON p.order_id = o.id WHERE o.id = $1 ORDER BY p.id",
                    id);
                if (r.empty()) return std::optional<PaymentOrder>{};
                PaymentOrder o = read_order(r[0], kPaymentColumnCount);
                for (const auto& row : r)
                    if (!row[0].is_null()) o.payments.push_back(read_payment(row));
                if (!o.payments.empty()) mark_open(o.payments, t.exec(open_operations_sql(std::to_string(id))));
                return std::optional<PaymentOrder>{std::move(o)};
            });
        } catch (const std::exception& e) {
            return pg_error(db_, "cannot read order " + std::to_string(id), e);
        }
    }

    /// CAP-4 inside the batch: the order row locked FOR UPDATE first (it conflicts with the FOR KEY SHARE
    /// of the foreign-key check, so no payment can be added to it until the batch commits), then its
    /// payments locked, then their open journal operations, each in a statement of its own whose fresh
    /// snapshot sees every payment committed before the order's lock was granted (under READ COMMITTED
    /// one statement could not do both). The five statements, savepoint included, go in one round trip
    /// (a pipeline of simple queries: the id is an integer, inlined); PG-3: a deadlock rolls back to the
    /// savepoint and the read runs again, up to kPgRetryAttempts times.
    Result<PgOrderRead> load_locked(pqxx::transaction_base& t, OrderId id) {
        const std::string n = std::to_string(id);
        for (int attempt = 1; attempt <= kPgRetryAttempts; ++attempt) {
            try {
                return read_locked_once(t, n);
            } catch (const std::exception& e) {
                pg_undo_attempt(t, "order " + n, e, attempt);  // rethrows what a retry cannot mend
            }
        }
        return Error{"order " + n + ": still deadlocked after " + std::to_string(kPgRetryAttempts) +
                     " attempts; left for the next run"};
    }

    /// One attempt of load_locked (n: the order id as text); throws what the server answered.
    static PgOrderRead read_locked_once(pqxx::transaction_base& t, const std::string& n) {
        pqxx::pipeline pipe(t);
        pipe.retain(5);
        pipe.insert("SAVEPOINT olmd_retry");
        const auto order = pipe.insert("SELECT " + kOrderColumns + " FROM orders o WHERE o.id = " + n + " FOR UPDATE");
        const auto payments = pipe.insert("SELECT " + kPaymentColumns + " FROM payments p WHERE p.order_id = " + n +
                                          " ORDER BY p.id FOR UPDATE");
        const auto open = pipe.insert(open_operations_sql(n));
        const auto release = pipe.insert("RELEASE SAVEPOINT olmd_retry");
        const pqxx::result o = pipe.retrieve(order);
        const pqxx::result p = pipe.retrieve(payments);
        const pqxx::result u = pipe.retrieve(open);
        pipe.retrieve(release);
        pipe.complete();
        if (o.empty()) return std::nullopt;
        PaymentOrder out = read_order(o[0], 0);
        for (const auto& row : p) out.payments.push_back(read_payment(row));
        mark_open(out.payments, u);
        return out;
    }

    /// The open (pending/unknown) journal operations of order n's payments: payment_id and the purpose of
    /// its first one. A simple query, planned on each call as every statement on the journal is.
    static std::string open_operations_sql(const std::string& n) {
        return "SELECT DISTINCT ON (g.payment_id) g.payment_id, coalesce(g.purpose, '') FROM gateway_operations g "
               "WHERE g.payment_id IN (SELECT id FROM payments WHERE order_id = " + n +
               ") AND g.state IN ('pending', 'unknown') ORDER BY g.payment_id, g.id";
    }

    /// Marks the payments that rows (payment_id, purpose of its first open operation) name.
    static void mark_open(std::vector<PaymentRow>& payments, const pqxx::result& rows) {
        for (const auto& row : rows)
            for (auto& p : payments)
                if (p.id == row[0].as<RowId>()) {
                    p.unresolved_op = true;
                    p.unresolved_purpose = pg_text(row[1]);
                }
    }

    Result<OrderId> order_of_payment(RowId payment_id) override {
        try {
            return in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
                const pqxx::result r = exec_cached(db_.impl(), t, "SELECT order_id FROM payments WHERE id = $1", payment_id);
                return r.empty() ? OrderId{0} : r[0][0].as<OrderId>();
            });
        } catch (const std::exception& e) {
            return pg_error(db_, "cannot read payment " + std::to_string(payment_id), e);
        }
    }

    Result<std::vector<JournalOp>> unresolved(const std::vector<std::string>& purposes) override {
        if (purposes.empty()) return std::vector<JournalOp>{};
        try {
            return in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
                std::vector<JournalOp> v;
                for (const auto& row : exec_replanned(t, "SELECT " + kOpColumns +
                                                              " FROM gateway_operations WHERE state IN ('pending', "
                                                              "'unknown') AND purpose = ANY($1::text[]) ORDER BY id",
                                                      pg_text_array(purposes)))
                    v.push_back(read_op(row));
                return v;
            });
        } catch (const std::exception& e) {
            return pg_error(db_, "cannot read the gateway journal", e);
        }
    }

    Result<std::string> key_namespace() override {
        if (!ns_.empty()) return ns_;
        try {
            ns_ = in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
                const pqxx::result r = t.exec("SELECT value FROM gateway_settings WHERE name = 'key_namespace'");
                return r.empty() ? std::string("0") : r[0][0].as<std::string>();
            });
            return ns_;
        } catch (const std::exception& e) {
            return pg_error(db_, "cannot read gateway_settings", e);
        }
    }

    Result<JournalOp> journal(RowId payment_id, Operation op, const std::string& purpose, Cents amount,
                              const std::string& request_ref, RunId run, Instant now) override {
        auto ns = key_namespace();
        if (!ns) return ns.error();
        try {
            const std::string op_text(domain::to_string(op));
            JournalOp o;
            o.payment_id = payment_id;
            o.operation = op;
            o.purpose = purpose;
            o.amount_cents = amount;
            o.state = OpState::pending;
            o.request_ref = request_ref;
            o.gateway_ref = request_ref;
            o.run_id = run;
            o.created_at = format_utc(now);
            in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
                // One round trip: the attempt (the last of this payment and operation, plus one) and the
                // idempotency key made of it are computed by the insert itself.
                const std::string key_prefix =
                    "olmd-" + *ns + "-" + std::to_string(payment_id) + "-" + op_text + "-";
                const pqxx::result res = exec_replanned(
                    t,
                    "WITH a AS (SELECT coalesce(max(attempt), 0) + 1 AS n FROM gateway_operations WHERE payment_id = "
                    "$1::bigint AND operation = $2::text) INSERT INTO gateway_operations (payment_id, operation, amount_cents, "
                    "idempotency_key, state, gateway_ref, response_code, run_id, created_at, completed_at, purpose, "
                    "attempt, request_ref) SELECT $1::bigint, $2::text, $3::bigint, $4::text || a.n, 'pending', "
                    "nullif($5::text, ''), NULL, $6::bigint, $7::timestamptz, NULL, $8::text, a.n, nullif($9::text, '') "
                    "FROM a RETURNING id, attempt",
                    payment_id, op_text, amount, key_prefix, o.gateway_ref, run, o.created_at, purpose, request_ref);
                const pqxx::row r = res.at(0);  // the one row RETURNING gives
                o.id = r[0].as<RowId>();
                o.attempt = r[1].as<int>();
                o.idempotency_key = key_prefix + std::to_string(o.attempt);
            });
            return o;
        } catch (const std::exception& e) {
            return pg_error(db_, "cannot journal a gateway operation for payment " + std::to_string(payment_id), e);
        }
    }

    Status complete(RowId op_id, OpState state, const std::string& gateway_ref, const std::string& response_code,
                    Instant now) override {
        const bool open = state == OpState::unknown || state == OpState::pending;
        return update<Plan::each_call>("cannot record a gateway outcome",
                      "UPDATE gateway_operations SET state = $1, gateway_ref = coalesce(nullif($2, ''), gateway_ref), "
                      "response_code = coalesce(nullif($3, ''), response_code), completed_at = "
                      "nullif($4, '')::timestamptz WHERE id = $5",
                      std::string(to_string(state)), gateway_ref, response_code,
                      open ? std::string() : format_utc(now), op_id);
    }

    Status mark_captured(RowId payment_id, Cents captured_cents, Instant now, const std::string& avs,
                         const std::string& cvv) override {
        return update("cannot mark payment " + std::to_string(payment_id) + " captured",
                      "UPDATE payments SET status = 'captured', captured_cents = $1, captured_at = $2::timestamptz, "
                      "avs_result = coalesce(nullif($3, ''), avs_result), cvv_result = coalesce(nullif($4, ''), "
                      "cvv_result) WHERE id = $5",
                      captured_cents, format_utc(now), avs, cvv, payment_id);
    }

    Status set_status(RowId payment_id, const std::string& status) override {
        return update("cannot update payment " + std::to_string(payment_id),
                      "UPDATE payments SET status = $1 WHERE id = $2", status, payment_id);
    }

    Status mark_authorized(RowId payment_id, const std::string& gateway_ref, Instant now, const std::string& avs,
                           const std::string& cvv) override {
        return update("cannot mark payment " + std::to_string(payment_id) + " authorized",
                      "UPDATE payments SET status = 'authorized', gateway_ref = $1, authorized_at = $2::timestamptz, "
                      "avs_result = coalesce(nullif($3, ''), avs_result), cvv_result = coalesce(nullif($4, ''), "
                      "cvv_result) WHERE id = $5",
                      gateway_ref, format_utc(now), avs, cvv, payment_id);
    }

    Status count_club_attempt(RowId payment_id, Instant now) override {
        return update("cannot update payment " + std::to_string(payment_id),
                      "UPDATE payments SET reauth_attempts = reauth_attempts + 1, last_attempt_at = $1::timestamptz "
                      "WHERE id = $2",
                      format_utc(now), payment_id);
    }

    Result<RowId> insert_replacement(const PaymentRow& old, Cents amount, Instant now) override {
        try {
            return in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
                return t
                    .exec_params1("INSERT INTO payments (order_id, method, status, amount_cents, captured_cents, "
                                  "card_token, customer_ref, created_at, replaces_payment_id) VALUES ($1, "
                                  "'credit_card', 'pending', $2, 0, nullif($3, ''), nullif($4, ''), $5::timestamptz, $6) "
                                  "RETURNING id",
                                  old.order_id, amount, old.card_token, old.customer_ref, format_utc(now), old.id)[0]
                    .as<RowId>();
            });
        } catch (const std::exception& e) {
            return pg_error(db_, "cannot insert the payment replacing " + std::to_string(old.id), e);
        }
    }

private:
    /// A quoted SQL literal's body (quotes doubled).
    static std::string sql_text(const std::string& s) {
        std::string out;
        for (char c : s) {
            if (c == '\'') out += '\'';
            out += c;
        }
        return out;
    }

    Result<std::vector<OrderId>> ids(const std::string& what, const std::string& sql, OrderId after, int limit) {
        try {
            return in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
                std::vector<OrderId> v;
                for (const auto& row : exec_cached(db_.impl(), t, sql, after, limit)) v.push_back(row[0].as<OrderId>());
                return v;
            });
        } catch (const std::exception& e) {
            return pg_error(db_, what, e);
        }
    }

    /// How update() plans its statement: prepared once, or each call (gateway_operations: exec_replanned).
    enum class Plan { cached, each_call };

    template <Plan plan = Plan::cached, class... A>
    Status update(const std::string& what, const std::string& sql, A&&... args) {
        try {
            in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
                if constexpr (plan == Plan::each_call)
                    exec_replanned(t, sql, std::forward<A>(args)...);
                else
                    exec_cached(db_.impl(), t, sql, std::forward<A>(args)...);
            });
            return ok_status();
        } catch (const std::exception& e) {
            return pg_error(db_, what, e);
        }
    }

    PgDatabase& db_;
    std::string ns_;
};

}  // namespace

std::unique_ptr<domain::PaymentRepository> make_pg_payments(PgDatabase& db) { return std::make_unique<PgPayments>(db); }

}  // namespace olmd::store
