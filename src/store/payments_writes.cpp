// Writes of the SQLite PaymentRepository, inside the caller's transaction: the journal
// rows (OPS-6) and the payment rows their outcomes change.
#include <SQLiteCpp/SQLiteCpp.h>

#include "store/sqlite_payments.hpp"

namespace olmd::store {

Result<JournalOp> SqlitePayments::journal(RowId payment_id, Operation op, const std::string& purpose,
                                        Cents amount, const std::string& request_ref, RunId run, Instant now) {
    auto ns = key_namespace();
    if (!ns) return ns.error();
    try {
        const std::string op_text(domain::to_string(op));
        auto& n = st_->next_attempt;
        n.reset();
        n.bind(1, static_cast<std::int64_t>(payment_id));
        n.bind(2, op_text);
        n.executeStep();
        const int attempt = n.getColumn(0).getInt();
        n.reset();
        JournalOp o;
        o.payment_id = payment_id;
        o.operation = op;
        o.purpose = purpose;
        o.attempt = attempt;
        o.amount_cents = amount;
        o.idempotency_key = "olmd-" + *ns + "-" + std::to_string(payment_id) + "-" + op_text + "-" + std::to_string(attempt);
        o.state = OpState::pending;
        o.request_ref = request_ref;
        o.gateway_ref = request_ref;
        o.run_id = run;
        o.created_at = format_utc(now);
        auto& q = st_->insert_op;
        q.reset();
        q.bind(1, static_cast<std::int64_t>(payment_id));
        q.bind(2, op_text);
        q.bind(3, static_cast<std::int64_t>(amount));
        q.bind(4, o.idempotency_key);
        q.bind(5, o.gateway_ref);
        q.bind(6, static_cast<std::int64_t>(run));
        q.bind(7, o.created_at);
        q.bind(8, purpose);
        q.bind(9, attempt);
        q.bind(10, request_ref);
        q.exec();
        o.id = db_.raw().getLastInsertRowid();
        return o;
    } catch (const std::exception& e) {
        return payments_db_error("cannot journal a gateway operation for payment " + std::to_string(payment_id), e);
    }
}

namespace {

template <class... A>
Status run_update(SQLite::Statement& q, const std::string& what, A&&... args) {
    try {
        q.reset();
        int i = 0;
        (q.bind(++i, std::forward<A>(args)), ...);
        q.exec();
        return ok_status();
    } catch (const std::exception& e) {
        return Error{what + ": " + e.what()};
    }
}

}  // namespace

Status SqlitePayments::complete(RowId op_id, OpState state, const std::string& gateway_ref,
                              const std::string& response_code, Instant now) {
    try {
        auto& q = st_->complete;
        q.reset();
        q.bind(1, std::string(to_string(state)));
        q.bind(2, gateway_ref);
        q.bind(3, response_code);
        if (state == OpState::unknown || state == OpState::pending)
            q.bind(4);
        else
            q.bind(4, format_utc(now));
        q.bind(5, static_cast<std::int64_t>(op_id));
        q.exec();
        return ok_status();
    } catch (const std::exception& e) {
        return Error{"cannot record a gateway outcome: " + std::string(e.what())};
    }
}

Status SqlitePayments::mark_captured(RowId payment_id, Cents captured_cents, Instant now, const std::string& avs,
                                   const std::string& cvv) {
    return run_update(st_->captured, "cannot mark payment " + std::to_string(payment_id) + " captured",
                      static_cast<std::int64_t>(captured_cents), format_utc(now), avs, cvv,
                      static_cast<std::int64_t>(payment_id));
}

Status SqlitePayments::set_status(RowId payment_id, const std::string& status) {
    return run_update(st_->set_status, "cannot update payment " + std::to_string(payment_id), status,
                      static_cast<std::int64_t>(payment_id));
}

Status SqlitePayments::mark_authorized(RowId payment_id, const std::string& gateway_ref, Instant now,
                                     const std::string& avs, const std::string& cvv) {
    return run_update(st_->authorized, "cannot mark payment " + std::to_string(payment_id) + " authorized",
                      gateway_ref, format_utc(now), avs, cvv, static_cast<std::int64_t>(payment_id));
}

Status SqlitePayments::count_club_attempt(RowId payment_id, Instant now) {
    return run_update(st_->club_attempt, "cannot update payment " + std::to_string(payment_id), format_utc(now),
                      static_cast<std::int64_t>(payment_id));
}

Result<RowId> SqlitePayments::insert_replacement(const PaymentRow& old, Cents amount, Instant now) {
    try {
        auto& q = st_->replacement;
        q.reset();
        q.bind(1, static_cast<std::int64_t>(old.order_id));
        q.bind(2, static_cast<std::int64_t>(amount));
        q.bind(3, old.card_token);
        q.bind(4, old.customer_ref);
        q.bind(5, format_utc(now));
        q.bind(6, static_cast<std::int64_t>(old.id));
        q.exec();
        return static_cast<RowId>(db_.raw().getLastInsertRowid());
    } catch (const std::exception& e) {
        return payments_db_error("cannot insert the payment replacing " + std::to_string(old.id), e);
    }
}


}  // namespace olmd::store
