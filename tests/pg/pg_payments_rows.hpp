#pragma once
// The rows of the PG payments contract test (pg_payments_contract_test.cpp), in SQL that SQLite and
// PostgreSQL both accept, and text dumps of every field the PaymentRepository port returns.

#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "olmd/domain/payments.hpp"

namespace olmd::test {

using domain::JournalOp;

#define OLMD_ORDER(id, num, status, total, delayed, club)                                                      \
    "(" #id ", '" num "', (SELECT id FROM channels WHERE name = 'Website'), (SELECT id FROM order_statuses "   \
    "WHERE name = '" status "'), '2026-11-20T10:00:00Z', " #total ", " #delayed ", " #club ", "               \
    "'2026-11-20T10:00:00Z')"

/// Rows both stores get, in SQL both accept (TRUE/FALSE are 1/0 on SQLite; UTC text timestamps).
inline const std::vector<std::string> kPaymentRows = {
    "INSERT INTO automation_runs (id, fire_at, started_at, jobs, outcome, \"trigger\", host) VALUES "
    "(1, '2026-11-21T12:00:00Z', '2026-11-21T12:00:00Z', 'capture', 'succeeded', 'manual', 'test'), "
    "(2, '2026-11-22T12:00:00Z', '2026-11-22T12:00:00Z', 'capture', 'running', 'manual', 'test')",
    "INSERT INTO orders (id, order_number, channel_id, status_id, created_at, grand_total_cents, "
    "is_delayed_delivery, is_club, updated_at) VALUES " OLMD_ORDER(1, "A", "Ready to Process", 10000, FALSE, FALSE)
    ", " OLMD_ORDER(2, "H", "On Hold", 10000, FALSE, FALSE) ", " OLMD_ORDER(3, "S", "Shipped", 10000, FALSE, FALSE)
    ", " OLMD_ORDER(4, "D", "Ready to Process", 10000, TRUE, FALSE)
    ", " OLMD_ORDER(5, "DS", "Shipped", 10000, TRUE, FALSE) ", " OLMD_ORDER(6, "F", "Ready to Process", 10000, FALSE, FALSE)
    ", " OLMD_ORDER(7, "N", "Ready to Process", 10000, FALSE, FALSE)
    ", " OLMD_ORDER(8, "C", "Ready to Process", 700, FALSE, FALSE)
    ", " OLMD_ORDER(9, "CL", "Club CC Exception", 5000, FALSE, TRUE)
    ", " OLMD_ORDER(10, "CL2", "Club CC Exception", 5000, FALSE, FALSE)
    ", " OLMD_ORDER(11, "CL3", "Club CC Exception", 5000, FALSE, TRUE)
    ", " OLMD_ORDER(12, "M", "Ready to Process", 30000, FALSE, FALSE) ", " OLMD_ORDER(13, "X", "Shipped", 900, FALSE, FALSE),
    "INSERT INTO payments (id, order_id, method, status, amount_cents, captured_cents, card_token, customer_ref, "
    "gateway_ref, created_at, authorized_at, captured_at, avs_result, cvv_result, reauth_attempts, last_attempt_at, "
    "replaces_payment_id) VALUES "
    "(1, 1, 'credit_card', 'authorized', 10000, 0, 'tok_a', 'cus_1', 'r_a', '2026-11-20T10:00:00Z', "
    "'2026-11-15T09:00:00Z', NULL, 'match', NULL, 0, NULL, NULL), "
    "(2, 1, 'credit_card', 'authorized', 2500, 500, 'tok_a2', NULL, 'r_a2', '2026-11-20T10:00:00Z', "
    "'2026-11-20T10:00:05Z', NULL, NULL, 'mismatch', 0, NULL, NULL), "
    "(3, 2, 'credit_card', 'authorized', 10000, 0, 'tok_h', 'cus_h', 'r_h', '2026-11-10T00:00:00Z', "
    "'2026-11-10T00:00:00Z', NULL, NULL, NULL, 0, NULL, NULL), "
    "(4, 3, 'credit_card', 'authorized', 10000, 0, 'tok_s', 'cus_s', 'r_s', '2026-11-16T12:00:00Z', "
    "'2026-11-16T12:00:00Z', NULL, NULL, NULL, 0, NULL, NULL), "
    "(5, 4, 'credit_card', 'authorized', 10000, 0, 'tok_d', 'cus_d', 'r_d', '2026-11-20T10:00:00Z', "
    "'2026-11-20T10:00:05Z', NULL, NULL, NULL, 0, NULL, NULL), "
    "(6, 5, 'credit_card', 'authorized', 10000, 0, 'tok_ds', 'cus_ds', 'r_ds', '2026-11-16T12:00:01Z', "
    "'2026-11-16T12:00:01Z', NULL, NULL, NULL, 0, NULL, NULL), "
    "(7, 6, 'credit_card', 'authorized', 10000, 10000, 'tok_f', 'cus_f', 'r_f', '2026-11-01T00:00:00Z', "
    "'2026-11-01T00:00:00Z', NULL, NULL, NULL, 0, NULL, NULL), "
    "(8, 7, 'credit_card', 'authorized', 10000, 0, 'tok_n', 'cus_n', 'r_n', '2026-11-20T10:00:00Z', NULL, NULL, "
    "NULL, NULL, 0, NULL, NULL), "
    "(9, 8, 'check', 'pending', 700, 0, NULL, NULL, NULL, '2026-11-20T10:00:00Z', NULL, NULL, NULL, NULL, 0, NULL, "
    "NULL), "
    "(10, 9, 'credit_card', 'declined', 5000, 0, 'tok_club', 'cus_club', NULL, '2026-11-01T00:00:00Z', NULL, NULL, "
    "NULL, NULL, 2, '2026-11-21T12:00:00Z', NULL), "
    "(11, 12, 'credit_card', 'voided', 20000, 0, 'tok_m', 'cus_m', 'r_m0', '2026-11-01T00:00:00Z', "
    "'2026-11-01T00:00:00Z', NULL, NULL, NULL, 0, NULL, NULL), "
    "(12, 12, 'credit_card', 'authorized', 20000, 0, 'tok_m', 'cus_m', 'r_m1', '2026-11-08T00:00:00Z', "
    "'2026-11-08T00:00:00Z', NULL, 'unavailable', 'match', 1, '2026-11-08T00:00:00Z', 11), "
    "(13, 12, 'gift_certificate', 'settled', 5000, 0, NULL, NULL, NULL, '2026-11-01T00:00:00Z', NULL, NULL, NULL, "
    "NULL, 0, NULL, NULL), "
    "(14, 12, 'credit_card', 'authorized', 5000, 0, 'tok_m2', NULL, 'r_m2', '2026-11-19T00:00:00Z', "
    "'2026-11-19T00:00:00Z', NULL, NULL, NULL, 0, NULL, NULL), "
    "(15, 13, 'credit_card', 'captured', 900, 900, 'tok_x', 'cus_x', 'r_x', '2026-11-01T00:00:00Z', "
    "'2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z', 'match', 'match', 0, NULL, NULL)",
    // Payment 1: a finished capture (attempt 2, so the next is 3), then an unknown one and a pending void:
    // load_order names the first open one; payment 12: an open authorization of another workflow.
    "INSERT INTO gateway_operations (id, payment_id, operation, amount_cents, idempotency_key, state, gateway_ref, "
    "response_code, run_id, created_at, completed_at, purpose, attempt, request_ref) VALUES "
    "(1, 1, 'capture', 10000, 'k1', 'declined', 'r_a', 'card_declined', 1, '2026-11-21T12:00:00Z', "
    "'2026-11-21T12:00:01Z', 'capture', 2, 'r_a'), "
    "(2, 1, 'capture', 10000, 'k2', 'unknown', 'r_a', 'timeout', 1, '2026-11-21T12:30:00Z', NULL, 'capture', 3, "
    "'r_a'), "
    "(3, 1, 'void', 10000, 'k3', 'pending', 'r_a', NULL, 1, '2026-11-21T12:31:00Z', NULL, 'capture_void', 1, 'r_a'), "
    "(4, 12, 'authorize', 20000, 'k4', 'pending', NULL, NULL, 1, '2026-11-21T13:00:00Z', NULL, 'ra2_authorize', 1, "
    "NULL), "
    "(5, 15, 'capture', 900, 'k5', 'succeeded', 'r_x', 'approved', 1, '2026-11-02T00:00:00Z', "
    "'2026-11-02T00:00:00Z', 'capture', 1, 'r_x')",
};

/// A table's rows as text, one line a row, NULL as "~"; ts: its timestamp columns.
struct TableSpec {
    std::string table;
    std::vector<std::string> columns, ts;
};

inline const std::vector<TableSpec> kPaymentTables = {
    {"payments",
     {"id", "order_id", "method", "status", "amount_cents", "captured_cents", "card_token", "customer_ref",
      "gateway_ref", "created_at", "authorized_at", "captured_at", "avs_result", "cvv_result", "reauth_attempts",
      "last_attempt_at", "replaces_payment_id"},
     {"created_at", "authorized_at", "captured_at", "last_attempt_at"}},
    {"gateway_operations",
     {"id", "payment_id", "operation", "amount_cents", "idempotency_key", "state", "gateway_ref", "response_code",
      "run_id", "created_at", "completed_at", "purpose", "attempt", "request_ref"},
     {"created_at", "completed_at"}},
};

/// Every field of a payment row.
inline std::string dump(const domain::PaymentRow& p) {
    std::ostringstream s;
    s << "  payment " << p.id << " order=" << p.order_id << " " << p.method << " " << p.status << " "
      << p.amount_cents << "/" << p.captured_cents << " token=" << p.card_token << " customer=" << p.customer_ref
      << " ref=" << p.gateway_ref << " created=" << p.created_at << " authorized=" << p.authorized_at
      << " avs=" << p.avs_result << " cvv=" << p.cvv_result << " attempts=" << p.reauth_attempts
      << " last=" << p.last_attempt_at << " replaces=" << p.replaces_payment_id << " open=" << p.unresolved_op << ":"
      << p.unresolved_purpose << " bad=" << p.bad_types << "\n";
    return s.str();
}

/// Every field of a loaded order and its payments ("none" / "error").
inline std::string dump(const Result<std::optional<domain::PaymentOrder>>& r) {
    if (!r.ok()) return "error";
    if (!r->has_value()) return "none";
    const auto& o = **r;
    std::ostringstream s;
    s << "order " << o.id << " " << o.number << " status=" << o.status_id << " total=" << o.grand_total_cents
      << " delayed=" << o.is_delayed_delivery << " club=" << o.is_club << " created=" << o.created_at
      << " bad=" << o.bad_types << "\n";
    for (const auto& p : o.payments) s << dump(p);
    return s.str();
}

/// Every field of a journal row.
inline std::string dump(const JournalOp& o) {
    std::ostringstream s;
    s << "op " << o.id << " payment=" << o.payment_id << " " << domain::to_string(o.operation) << " " << o.purpose
      << " #" << o.attempt << " " << o.amount_cents << " key=" << o.idempotency_key << " "
      << domain::to_string(o.state) << " ref=" << o.gateway_ref << " req=" << o.request_ref
      << " code=" << o.response_code << " run=" << o.run_id << " at=" << o.created_at << "\n";
    return s.str();
}

/// Every journal row of a read ("error" when it failed).
inline std::string dump(const Result<std::vector<JournalOp>>& r) {
    if (!r.ok()) return "error";
    std::string s;
    for (const auto& o : *r) s += dump(o);
    return s;
}

/// The ids of a read, space-separated (the message when it failed).
inline std::string ids(const Result<std::vector<OrderId>>& r) {
    if (!r.ok()) return "error: " + r.error().message;
    std::string s;
    for (OrderId id : *r) s += std::to_string(id) + " ";
    return s;
}

#undef OLMD_ORDER

}  // namespace olmd::test
