// The rows of payments, orders and gateway_operations as PgPayments selects them (pg_payment_rows.hpp).
#include "store/postgres/pg_payment_rows.hpp"

#include <algorithm>

namespace olmd::store {

using domain::JournalOp;
using domain::OpState;
using domain::Operation;
using domain::PaymentOrder;
using domain::PaymentRow;

namespace {

std::int64_t int_or_zero(const pqxx::field& f) { return f.is_null() ? 0 : f.as<std::int64_t>(); }

OpState op_state_from(const std::string& s) {
    if (s == "succeeded") return OpState::succeeded;
    if (s == "declined") return OpState::declined;
    if (s == "unknown") return OpState::unknown;
    return OpState::pending;
}

}  // namespace

const std::string kPaymentColumns =
    "p.id, p.order_id, p.method, p.status, p.amount_cents, p.captured_cents, p.card_token, p.customer_ref, "
    "p.gateway_ref, " + pg_utc_text("p.created_at") + ", " + pg_utc_text("p.authorized_at") +
    ", p.avs_result, p.cvv_result, p.reauth_attempts, " + pg_utc_text("p.last_attempt_at") +
    ", p.replaces_payment_id";

PaymentRow read_payment(const pqxx::row& r) {
    PaymentRow p;
    p.id = r[0].as<RowId>();
    p.order_id = r[1].as<OrderId>();
    p.method = pg_text(r[2]);
    p.status = pg_text(r[3]);
    p.amount_cents = int_or_zero(r[4]);
    p.captured_cents = int_or_zero(r[5]);
    p.card_token = pg_text(r[6]);
    p.customer_ref = pg_text(r[7]);
    p.gateway_ref = pg_text(r[8]);
    p.created_at = pg_text(r[9]);
    p.authorized_at = pg_text(r[10]);
    p.avs_result = pg_text(r[11]);
    p.cvv_result = pg_text(r[12]);
    p.reauth_attempts = static_cast<int>(std::min<std::int64_t>(int_or_zero(r[13]), 1000000000));
    p.last_attempt_at = pg_text(r[14]);
    p.replaces_payment_id = int_or_zero(r[15]);
    return p;
}

const std::string kOrderColumns = "o.id, o.order_number, o.status_id, o.grand_total_cents, o.is_delayed_delivery, "
                                 "o.is_club, " + pg_utc_text("o.created_at");

PaymentOrder read_order(const pqxx::row& r, int k) {
    PaymentOrder o;
    o.id = r[k].as<OrderId>();
    o.number = pg_text(r[k + 1]);
    o.status_id = r[k + 2].as<StatusId>();
    o.grand_total_cents = r[k + 3].as<Cents>();
    o.is_delayed_delivery = r[k + 4].as<bool>();
    o.is_club = r[k + 5].as<bool>();
    o.created_at = pg_text(r[k + 6]);
    return o;
}

const std::string kOpColumns =
    "id, payment_id, operation, coalesce(purpose, ''), attempt, amount_cents, idempotency_key, state, "
    "coalesce(gateway_ref, ''), coalesce(request_ref, ''), coalesce(response_code, ''), run_id, " +
    pg_utc_text("created_at");

JournalOp read_op(const pqxx::row& r) {
    JournalOp o;
    o.id = r[0].as<RowId>();
    o.payment_id = r[1].as<RowId>();
    auto op = domain::operation_from_string(r[2].as<std::string>());
    o.operation = op ? *op : Operation::authorize;
    o.purpose = r[3].as<std::string>();
    o.attempt = r[4].as<int>();
    o.amount_cents = r[5].as<Cents>();
    o.idempotency_key = r[6].as<std::string>();
    o.state = op_state_from(r[7].as<std::string>());
    o.gateway_ref = r[8].as<std::string>();
    o.request_ref = r[9].as<std::string>();
    o.response_code = r[10].as<std::string>();
    o.run_id = r[11].as<RunId>();
    o.created_at = pg_text(r[12]);
    return o;
}

}  // namespace olmd::store
