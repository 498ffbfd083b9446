#pragma once
// Payments, their money (the rules.md definitions paid_cents, balance_due_cents,
// open_auth_cents), the gateway journal (gateway_operations, OPS-6), and the
// PaymentRepository port the capture, reauth and sourcing (SRC-12) jobs use.
//
// The journal protocol:
//   1. journal() inserts the operation in state 'pending' with its idempotency key
//      (derived from payment id + operation + attempt), and the caller COMMITS;
//   2. only then is the request sent to the gateway;
//   3. complete() records the outcome in the same transaction as the payment and
//      order changes it causes ('unknown' keeps it open for the next run);
//   4. unresolved() lists what a crash or an unknown outcome left open, to be
//      resolved (same key, or a lookup) before anything new is sent.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "olmd/core/error.hpp"
#include "olmd/core/ids.hpp"
#include "olmd/core/money.hpp"
#include "olmd/core/time.hpp"
#include "olmd/domain/gateway.hpp"

namespace olmd::domain {

/// One payments row (NULL text columns read as "", with has_* flags where NULL matters).
struct PaymentRow {
    RowId id = 0;
    OrderId order_id = 0;
    std::string method;
    std::string status;
    Cents amount_cents = 0;
    Cents captured_cents = 0;
    std::string card_token;
    std::string customer_ref;
    std::string gateway_ref;
    std::string created_at;
    std::string authorized_at;   ///< "" when NULL
    std::string avs_result, cvv_result;
    int reauth_attempts = 0;
    std::string last_attempt_at; ///< "" when NULL
    RowId replaces_payment_id = 0;  ///< 0 when NULL
    bool unresolved_op = false;     ///< a journaled operation on it is still pending/unknown
    std::string unresolved_purpose; ///< the purpose of that operation
    /// Integer columns whose stored value is not an integer (typeof(), never coerced), e.g.
    /// "captured_cents,amount_cents"; "" when every one is. Such a row is bad data (rules.md).
    std::string bad_types;

    /// amount_cents - captured_cents.
    Cents uncaptured() const { return amount_cents - captured_cents; }
    /// True for a credit_card payment.
    bool is_card() const { return method == "credit_card"; }
};

/// An order with every one of its payments, in id order.
struct PaymentOrder {
    OrderId id = 0;
    std::string number;
    StatusId status_id = 0;
    Cents grand_total_cents = 0;
    bool is_delayed_delivery = false;
    bool is_club = false;
    std::string created_at;
    std::vector<PaymentRow> payments;
    /// Integer columns of the orders row whose stored value is not an integer ("" = none).
    std::string bad_types;

    /// rules.md paid_cents: captured card cents + settled non-card amounts (saturating; validate first).
    Cents paid_cents() const;
    /// rules.md balance_due_cents: max(0, grand_total - paid).
    Cents balance_due_cents() const;
    /// rules.md open_auth_cents: uncaptured cents of authorized card payments (saturating).
    Cents open_auth_cents() const;
    /// The payment with that id, or null.
    PaymentRow* payment(RowId id);
};

/// Journal states (gateway_operations.state).
enum class OpState { pending, succeeded, declined, unknown };
/// The stored text of a state.
std::string_view to_string(OpState s);

/// One gateway_operations row.
struct JournalOp {
    RowId id = 0;
    RowId payment_id = 0;
    domain::Operation operation = domain::Operation::authorize;
    std::string purpose;       ///< the job workflow step (see jobs/payment_engine/engine.hpp)
    int attempt = 1;
    Cents amount_cents = 0;
    std::string idempotency_key;
    OpState state = OpState::pending;
    std::string gateway_ref;   ///< the gateway's answer (authorize) or the authorization acted on
    std::string request_ref;   ///< capture / void: the authorization acted on
    std::string response_code;
    RunId run_id = 0;
    std::string created_at;
};

/// What selects capture candidates (CAP-2, CAP-3) by order.
struct CaptureFilter {
    std::vector<StatusId> statuses;  ///< empty = any
    StatusId hold_status = 0;        ///< never selected (0 = none)
    bool only_fully_shipped = false; ///< available_when = order_fully_shipped
    StatusId fully_shipped_status = 0;
    bool delayed_on_creation = false;
};

/// What selects reauth candidates (RA-2) by order.
struct ReauthFilter {
    std::vector<StatusId> statuses;  ///< must be non-empty
    StatusId hold_status = 0;
    std::string cutoff;              ///< authorized_at <= cutoff (UTC text); NULL / malformed also selected
};

/// Payments and the journal of one database. Every write method must be called inside the write
/// transaction the caller opened (StatusWriter::begin_batch), so that a journal row, the payment
/// rows and the order's status commit together.
class PaymentRepository {
public:
    virtual ~PaymentRepository() = default;

    // --- reads -------------------------------------------------------------------
    /// Orders with id > after having an authorized card payment and passing filter, id order, at most limit.
    virtual Result<std::vector<OrderId>> capture_orders(const CaptureFilter& filter, OrderId after, int limit) = 0;
    /// Count of authorized card payments capture_orders() would page through.
    virtual Result<std::int64_t> capture_count(const CaptureFilter& filter) = 0;
    /// Orders with id > after holding an RA-2 candidate payment, id order, at most limit.
    virtual Result<std::vector<OrderId>> reauth_orders(const ReauthFilter& filter, OrderId after, int limit) = 0;
    /// Club orders (is_club = 1) in status club_status with id > after (RA-5), id order, at most limit.
    virtual Result<std::vector<OrderId>> club_orders(StatusId club_status, OrderId after, int limit) = 0;
    /// The order with its payments, or nullopt when it does not exist.
    virtual Result<std::optional<PaymentOrder>> load_order(OrderId id) = 0;
    /// The order a payment belongs to (0 when the payment does not exist).
    virtual Result<OrderId> order_of_payment(RowId payment_id) = 0;
    /// Journaled operations still pending/unknown whose purpose is one of purposes, id order.
    virtual Result<std::vector<JournalOp>> unresolved(const std::vector<std::string>& purposes) = 0;
    /// This database's idempotency-key namespace (gateway_settings).
    virtual Result<std::string> key_namespace() = 0;

    // --- writes (inside the caller's transaction) ----------------------------------
    /// Journals a request as 'pending' with the next attempt number for (payment, operation)
    /// and the key "olmd-<ns>-<payment>-<operation>-<attempt>"; returns the row.
    virtual Result<JournalOp> journal(RowId payment_id, Operation op, const std::string& purpose, Cents amount,
                              const std::string& request_ref, RunId run, Instant now) = 0;
    /// Records an outcome: state, gateway_ref / response_code when given, completed_at = now (not for unknown).
    virtual Status complete(RowId op_id, OpState state, const std::string& gateway_ref, const std::string& response_code,
                    Instant now) = 0;
    /// CAP-5: status 'captured', captured_cents = the total the gateway reports received, captured_at = now,
    /// avs/cvv when given.
    virtual Status mark_captured(RowId payment_id, Cents captured_cents, Instant now, const std::string& avs,
                         const std::string& cvv) = 0;
    /// Sets a payment's status ('voided', 'declined', ...).
    virtual Status set_status(RowId payment_id, const std::string& status) = 0;
    /// A successful authorization: status 'authorized', gateway_ref, authorized_at = now, avs/cvv when given.
    virtual Status mark_authorized(RowId payment_id, const std::string& gateway_ref, Instant now, const std::string& avs,
                           const std::string& cvv) = 0;
    /// RA-5 bookkeeping: reauth_attempts += 1, last_attempt_at = now.
    virtual Status count_club_attempt(RowId payment_id, Instant now) = 0;
    /// A new credit_card row replacing old (status 'pending', amount, old's card_token and customer_ref,
    /// created_at = now, replaces_payment_id = old.id); returns its id.
    virtual Result<RowId> insert_replacement(const PaymentRow& old, Cents amount, Instant now) = 0;
};

}  // namespace olmd::domain
