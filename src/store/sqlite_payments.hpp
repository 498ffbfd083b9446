#pragma once
// The SQLite PaymentRepository (store/payments.cpp): statements prepared once, reused.

#include <memory>
#include <string>

#include "olmd/domain/payments.hpp"
#include "olmd/store/database.hpp"

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

}  // namespace olmd::store
