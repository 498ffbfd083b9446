#pragma once
// The SQLite PaymentRepository (store/payments_reads.cpp, payments_writes.cpp):
// statements prepared once, reused.

#include <memory>
#include <string>

#include "olmd/domain/payments.hpp"
#include "olmd/store/database.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

namespace olmd::store {

using domain::CaptureFilter;
using domain::JournalOp;
using domain::OpState;
using domain::Operation;
using domain::PaymentOrder;
using domain::PaymentRow;
using domain::ReauthFilter;

/// Payments and the journal on one SQLite connection.
class SqlitePayments final : public domain::PaymentRepository {
public:
    /// Prepares the statements on db; an Error when the schema lacks migration 0002.
    static Result<std::unique_ptr<SqlitePayments>> open(Database& db);
    ~SqlitePayments() override;
    SqlitePayments(const SqlitePayments&) = delete;
    SqlitePayments& operator=(const SqlitePayments&) = delete;

    // --- reads -------------------------------------------------------------------
    /// Orders with id > after having an authorized card payment and passing filter, id order, at most limit.
    Result<std::vector<OrderId>> capture_orders(const CaptureFilter& filter, OrderId after, int limit) override;
    /// Count of authorized card payments capture_orders() would page through.
    Result<std::int64_t> capture_count(const CaptureFilter& filter) override;
    /// Orders with id > after holding an RA-2 candidate payment, id order, at most limit.
    Result<std::vector<OrderId>> reauth_orders(const ReauthFilter& filter, OrderId after, int limit) override;
    /// Club orders (is_club = 1) in status club_status with id > after (RA-5), id order, at most limit.
    Result<std::vector<OrderId>> club_orders(StatusId club_status, OrderId after, int limit) override;
    /// The order with its payments, or nullopt when it does not exist.
    Result<std::optional<PaymentOrder>> load_order(OrderId id) override;
    /// The order a payment belongs to (0 when the payment does not exist).
    Result<OrderId> order_of_payment(RowId payment_id) override;
    /// Journaled operations still pending/unknown whose purpose is one of purposes, id order.
    Result<std::vector<JournalOp>> unresolved(const std::vector<std::string>& purposes) override;
    /// This database's idempotency-key namespace (gateway_settings).
    Result<std::string> key_namespace() override;

    // --- writes (inside the caller's transaction) ----------------------------------
    /// Journals a request as 'pending' with the next attempt number for (payment, operation)
    /// and the key "olmd-<ns>-<payment>-<operation>-<attempt>"; returns the row.
    Result<JournalOp> journal(RowId payment_id, Operation op, const std::string& purpose, Cents amount,
                              const std::string& request_ref, RunId run, Instant now) override;
    /// Records an outcome: state, gateway_ref / response_code when given, completed_at = now (not for unknown).
    Status complete(RowId op_id, OpState state, const std::string& gateway_ref, const std::string& response_code,
                    Instant now) override;
    /// CAP-5: status 'captured', captured_cents = the total the gateway reports received, captured_at = now,
    /// avs/cvv when given.
    Status mark_captured(RowId payment_id, Cents captured_cents, Instant now, const std::string& avs,
                         const std::string& cvv) override;
    /// Sets a payment's status ('voided', 'declined', ...).
    Status set_status(RowId payment_id, const std::string& status) override;
    /// A successful authorization: status 'authorized', gateway_ref, authorized_at = now, avs/cvv when given.
    Status mark_authorized(RowId payment_id, const std::string& gateway_ref, Instant now, const std::string& avs,
                           const std::string& cvv) override;
    /// RA-5 bookkeeping: reauth_attempts += 1, last_attempt_at = now.
    Status count_club_attempt(RowId payment_id, Instant now) override;
    /// A new credit_card row replacing old (status 'pending', amount, old's card_token and customer_ref,
    /// created_at = now, replaces_payment_id = old.id); returns its id.
    Result<RowId> insert_replacement(const PaymentRow& old, Cents amount, Instant now) override;

private:
    struct Statements;
    explicit SqlitePayments(Database& db);
    Database& db_;
    std::unique_ptr<Statements> st_;
    std::string ns_;
};

/// The payments columns every payment read selects (read_payment() reads them in this order).
inline constexpr const char* kPaymentColumns =
    "p.id, p.order_id, p.method, p.status, p.amount_cents, p.captured_cents, p.card_token, p.customer_ref, "
    "p.gateway_ref, p.created_at, p.authorized_at, p.avs_result, p.cvv_result, p.reauth_attempts, "
    "p.last_attempt_at, p.replaces_payment_id, "
    "(SELECT g.purpose FROM gateway_operations g WHERE g.payment_id = p.id AND g.state IN ('pending', 'unknown') "
    "ORDER BY g.id LIMIT 1), "
    "rtrim(iif(typeof(p.amount_cents) = 'integer', '', 'amount_cents,') || "
    "iif(typeof(p.captured_cents) = 'integer', '', 'captured_cents,') || "
    "iif(typeof(p.reauth_attempts) = 'integer', '', 'reauth_attempts,') || "
    "iif(typeof(p.order_id) = 'integer', '', 'order_id,') || "
    "iif(p.replaces_payment_id IS NULL OR typeof(p.replaces_payment_id) = 'integer', '', 'replaces_payment_id,'), ',')";

/// The repository's prepared statements (payments_reads.cpp and payments_writes.cpp share them).
struct SqlitePayments::Statements {
    explicit Statements(SQLite::Database& db)
        : order(db,
                "SELECT id, order_number, status_id, grand_total_cents, is_delayed_delivery, is_club, created_at, "
                "rtrim(iif(typeof(grand_total_cents) = 'integer', '', 'grand_total_cents,') || "
                "iif(typeof(status_id) = 'integer', '', 'status_id,') || "
                "iif(typeof(is_delayed_delivery) = 'integer', '', 'is_delayed_delivery,') || "
                "iif(typeof(is_club) = 'integer', '', 'is_club,'), ','), "
                "is_delayed_delivery, is_club "
                "FROM orders WHERE id = ?"),
          payments(db, std::string("SELECT ") + kPaymentColumns + " FROM payments p WHERE p.order_id = ? ORDER BY p.id"),
          order_of_payment(db, "SELECT order_id FROM payments WHERE id = ?"),
          club(db,
               "SELECT id FROM orders WHERE is_club = 1 AND status_id = ? AND id > ? ORDER BY id LIMIT ?"),
          next_attempt(db,
                       "SELECT coalesce(max(attempt), 0) + 1 FROM gateway_operations WHERE payment_id = ? AND "
                       "operation = ?"),
          insert_op(db,
                    "INSERT INTO gateway_operations (payment_id, operation, amount_cents, idempotency_key, state, "
                    "gateway_ref, response_code, run_id, created_at, completed_at, purpose, attempt, request_ref) "
                    "VALUES (?, ?, ?, ?, 'pending', nullif(?, ''), NULL, ?, ?, NULL, ?, ?, nullif(?, ''))"),
          complete(db,
                   "UPDATE gateway_operations SET state = ?, gateway_ref = coalesce(nullif(?, ''), gateway_ref), "
                   "response_code = coalesce(nullif(?, ''), response_code), completed_at = ? WHERE id = ?"),
          captured(db,
                   "UPDATE payments SET status = 'captured', captured_cents = ?, captured_at = ?, "
                   "avs_result = coalesce(nullif(?, ''), avs_result), cvv_result = coalesce(nullif(?, ''), cvv_result) "
                   "WHERE id = ?"),
          set_status(db, "UPDATE payments SET status = ? WHERE id = ?"),
          authorized(db,
                     "UPDATE payments SET status = 'authorized', gateway_ref = ?, authorized_at = ?, "
                     "avs_result = coalesce(nullif(?, ''), avs_result), cvv_result = coalesce(nullif(?, ''), "
                     "cvv_result) WHERE id = ?"),
          club_attempt(db,
                       "UPDATE payments SET reauth_attempts = reauth_attempts + 1, last_attempt_at = ? WHERE id = ?"),
          replacement(db,
                      "INSERT INTO payments (order_id, method, status, amount_cents, captured_cents, card_token, "
                      "customer_ref, created_at, replaces_payment_id) VALUES (?, 'credit_card', 'pending', ?, 0, "
                      "nullif(?, ''), nullif(?, ''), ?, ?)") {}
    SQLite::Statement order, payments, order_of_payment, club, next_attempt, insert_op, complete, captured,
        set_status, authorized, club_attempt, replacement;
};

/// An Error for a failed statement: what, then SQLite's message.
inline Error payments_db_error(const std::string& what, const std::exception& e) {
    return Error{what + ": " + e.what(), exit_code::failure};
}

}  // namespace olmd::store
