#pragma once
// A PaymentSpec (support/payment_spec.hpp) written as a payments row of a test database,
// "" columns as NULL: for the SQLite payment fixtures.

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>

#include "support/payment_spec.hpp"
#include "support/test_db.hpp"

namespace olmd::test {

/// The INSERT of the payment into order_id's payments (valid on SQLite and PostgreSQL).
inline std::string payment_insert_sql(OrderId order_id, const PaymentSpec& p) {
    auto q = [](const std::string& s) { return s.empty() ? std::string("NULL") : sql_quote(s); };
    return "INSERT INTO payments (order_id, method, status, amount_cents, captured_cents, card_token, "
           "customer_ref, gateway_ref, created_at, authorized_at, reauth_attempts, last_attempt_at) VALUES "
           "(" +
           std::to_string(order_id) + ", " + sql_quote(p.method) + ", " + sql_quote(p.status) + ", " +
           std::to_string(p.amount) + ", " + std::to_string(p.captured) + ", " + q(p.token) + ", " +
           q(p.customer_ref) + ", " + q(p.ref) + ", " + sql_quote(p.created_at) + ", " + q(p.authorized_at) +
           ", " + std::to_string(p.reauth_attempts) + ", " + q(p.last_attempt_at) + ")";
}

/// Inserts the payment into order_id's payments; returns its id.
inline RowId insert_payment(TestDb& t, OrderId order_id, const PaymentSpec& p) {
    t.exec(payment_insert_sql(order_id, p));
    return t.db().raw().getLastInsertRowid();
}

}  // namespace olmd::test
