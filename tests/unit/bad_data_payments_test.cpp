// rules.md "bad data" in the capture and reauth jobs (hardened in money_checks):
// every orders and payments column they read, corrupted one at a time. The
// order goes to the job's exception_status with a reason naming the column, no
// request reaches the gateway, no payment row changes, the good order of the
// same run is captured / re-authorized, and `olmd explain` says the same reason.

#include "payments_test_util.hpp"

namespace olmd::test {
namespace {

struct Case {
    const char* name;
    JobKind job;
    const char* sql;     ///< {O}: the bad order, {P}: its candidate payment, {X}: a second payment of it
    const char* reason;  ///< the reason's start (an unknown status id is followed by the id itself)
};

const Case kCases[] = {
    {"capture_orders_status_id_unknown", JobKind::capture, "UPDATE orders SET status_id = 999 WHERE id = {O}",
     "bad_data:orders.status_id"},
    // Stored as a fraction or text: read coerced, yet the transition must match the stored value
    // (it used to be counted as a concurrent change and left in place).
    {"capture_orders_status_id_fraction", JobKind::capture,
     "UPDATE orders SET status_id = status_id + 0.5 WHERE id = {O}", "bad_data:orders.status_id"},
    {"capture_orders_status_id_text", JobKind::capture, "UPDATE orders SET status_id = 'abc' WHERE id = {O}",
     "bad_data:orders.status_id"},
    {"capture_orders_grand_total_cents_text", JobKind::capture,
     "UPDATE orders SET grand_total_cents = 'abc' WHERE id = {O}", "bad_data:orders.grand_total_cents"},
    {"capture_orders_grand_total_cents_past_1e15", JobKind::capture,
     "UPDATE orders SET grand_total_cents = 1000000000000001 WHERE id = {O}",
     "bad_data:orders.grand_total_cents"},
    {"capture_orders_is_delayed_delivery_outside_0_1", JobKind::capture,
     "UPDATE orders SET is_delayed_delivery = 2 WHERE id = {O}", "bad_data:orders.is_delayed_delivery"},
    {"capture_orders_is_club_text", JobKind::capture, "UPDATE orders SET is_club = 'yes' WHERE id = {O}",
     "bad_data:orders.is_club"},
    {"capture_payments_amount_cents_fraction", JobKind::capture,
     "UPDATE payments SET amount_cents = 100.5 WHERE id = {P}",
     "bad_data:payments.amount_cents:payments.id={P}"},
    {"capture_payments_captured_cents_negative", JobKind::capture,
     "UPDATE payments SET captured_cents = -1 WHERE id = {P}",
     "bad_data:payments.captured_cents:payments.id={P}"},
    {"capture_payments_method_outside_list", JobKind::capture,
     "UPDATE payments SET method = 'bitcoin' WHERE id = {X}", "bad_data:payments.method:payments.id={X}"},
    {"capture_payments_status_outside_list", JobKind::capture,
     "UPDATE payments SET status = 'frozen' WHERE id = {X}", "bad_data:payments.status:payments.id={X}"},
    {"capture_payments_sum_past_1e15", JobKind::capture,
     "UPDATE payments SET amount_cents = 900000000000000, captured_cents = 0, status = 'settled', "
     "method = 'cash' WHERE id = {X}; INSERT INTO payments (order_id, method, status, amount_cents, "
     "captured_cents, "
     "created_at) VALUES ({O}, 'cash', 'settled', 900000000000000, 0, '2026-11-20T10:00:00Z')",
     "bad_data:payments.amount_cents:payments.id="},
    {"reauth_orders_grand_total_cents_negative", JobKind::reauth,
     "UPDATE orders SET grand_total_cents = -1 WHERE id = {O}", "bad_data:orders.grand_total_cents"},
    {"reauth_payments_captured_cents_text", JobKind::reauth,
     "UPDATE payments SET captured_cents = 'none' WHERE id = {P}",
     "bad_data:payments.captured_cents:payments.id={P}"},
    {"reauth_payments_captured_cents_above_amount", JobKind::reauth,
     "UPDATE payments SET captured_cents = 10001 WHERE id = {P}",
     "bad_data:payments.captured_cents:payments.id={P}"},
    {"reauth_payments_method_outside_list", JobKind::reauth,
     "UPDATE payments SET method = 'barter' WHERE id = {X}", "bad_data:payments.method:payments.id={X}"},
};

class PaymentsBadData : public PaymentsFixture {
protected:
    PaymentsBadData() {
        cfg.capture.enabled = true;
        cfg.capture.statuses.clear();  // empty = any status: an unknown status id is selected, never captured
        cfg.reauth.enabled = true;
        cfg.reauth.statuses = {"Ready to Process"};
        t.allow_bad_rows();
        t.exec("PRAGMA foreign_keys = OFF");
    }
};

std::string fill(std::string s, std::int64_t o, std::int64_t p, std::int64_t x) {
    for (const auto& [key, id] : {std::pair{"{O}", o}, {"{P}", p}, {"{X}", x}})
        for (auto at = s.find(key); at != std::string::npos; at = s.find(key))
            s.replace(at, 3, std::to_string(id));
    return s;
}

TEST_P(PaymentsBadData, BadData_CaptureAndReauthEveryColumnReadIsExceptionNamingIt) {
    int n = 0;
    for (const Case& c : kCases) {
        SCOPED_TRACE(c.name);
        const std::string tag =
            std::to_string(++n);  // gateway refs of their own: the sandbox remembers captures
        t.exec(
            "DELETE FROM gateway_operations; DELETE FROM sandbox_ledger; DELETE FROM order_status_history; "
            "DELETE FROM payments; DELETE FROM orders");
        // Aged authorizations (RA-2), each with its own gateway ref; a settled gift certificate beside the
        // bad one.
        const PaymentSpec aged{.ref = "sbx_auth_g" + tag, .authorized_at = "2026-11-10T09:00:00Z"};
        const auto good = order("GOOD");
        const auto pg = pay(good, aged);
        const auto bad = order("BAD");
        PaymentSpec b = aged;
        b.ref = "sbx_auth_b" + tag;
        const auto pb = pay(bad, b);
        const auto px = pay(
            bad, {.method = "gift_certificate", .status = "settled", .amount = 0, .token = "", .ref = ""});
        t.exec(fill(c.sql, bad, pb, px));
        const std::string want = fill(c.reason, bad, pb, px);
        const std::string before = t.text(
            "SELECT group_concat(quote(status) || quote(amount_cents) || "
            "quote(captured_cents)) FROM payments WHERE order_id = " +
            std::to_string(bad));
        const auto st = run(c.job);
        EXPECT_TRUE(st.failure.empty()) << st.failure;
        EXPECT_EQ(st.errors, 1);
        EXPECT_EQ(t.scalar("SELECT status_id FROM orders WHERE id = " + std::to_string(bad)),
                  t.status_id(c.job == JobKind::capture ? cfg.capture.exception_status
                                                        : cfg.reauth.exception_status));
        EXPECT_EQ(last_reason(bad).rfind(want, 0), 0u) << last_reason(bad);
        EXPECT_EQ(ops("payment_id IN (SELECT id FROM payments WHERE order_id = " + std::to_string(bad) + ")"),
                  0);
        EXPECT_EQ(
            t.text("SELECT group_concat(quote(status) || quote(amount_cents) || quote(captured_cents)) FROM "
                   "payments WHERE order_id = " +
                   std::to_string(bad)),
            before)
            << "no money moved";
        EXPECT_EQ(pay_text(pg, "status"), c.job == JobKind::capture ? "captured" : "voided")
            << "the good order";
        t.exec("UPDATE orders SET status_id = " + std::to_string(t.status_id("Ready to Process")) +
               " WHERE id = " + std::to_string(bad) +
               " AND status_id = " + std::to_string(t.status_id("CC Exceptions")));
        t.exec(fill(c.sql, bad, pb, px));  // the status itself may be the bad column
        const std::string text = explain(c.job, "BAD");
        EXPECT_NE(text.find(want), std::string::npos) << text;
    }
}

INSTANTIATE_TEST_SUITE_P(Sandbox, PaymentsBadData, ::testing::Values(Backend::sandbox), backend_name);

}  // namespace
}  // namespace olmd::test
