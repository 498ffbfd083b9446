// Money that is safe with real money (issue: payments), against the sandbox and the Stripe
// test server: CAP-3's delayed delivery, the balance re-read under the write lock (CAP-4),
// the void at the gateway (CAP-6), RA-4's authorize_then_void paths, RA-5's club orders
// declined by olmd itself and exhausted retries, and bad money never charged. The paths
// only a scripted gateway plays are in payments_money_scripted_test.cpp.

#include "unit/payments_money_fixture.hpp"

namespace olmd::test {
namespace {

using domain::Operation;
using domain::Outcome;

// --- CAP-3 -------------------------------------------------------------------------------------

TEST_P(MoneyRules, CAP3_DelayedDeliveryOnCreationFalseWaitsForShippedWhateverAvailableWhenSays) {
    cfg.capture.statuses.clear();
    cfg.capture.available_when = config::AvailableWhen::order_created;
    cfg.capture.delayed_delivery_on_creation = false;
    const auto dd = order("DD-1", 10000, "Ready to Process", "is_delayed_delivery = 1");
    const auto pdd = pay(dd, {.ref = "sbx_auth_dd"});
    const auto shipped = order("DD-2", 10000, "Shipped", "is_delayed_delivery = 1");
    const auto ps = pay(shipped, {.ref = "sbx_auth_ds"});
    const auto r = order("R-1");
    const auto pr = pay(r, {.ref = "sbx_auth_r"});
    run(JobKind::capture);
    EXPECT_EQ(pay_text(pdd, "status"), "authorized") << "delayed delivery: not captured on creation";
    EXPECT_EQ(pay_text(ps, "status"), "captured") << "delayed delivery, now shipped";
    EXPECT_EQ(pay_text(pr, "status"), "captured");
    EXPECT_NE(explain(JobKind::capture, "DD-1").find("delayed_delivery_on_creation = false"),
              std::string::npos);
}

// --- CAP-4 under the write lock -------------------------------------------------------------------

TEST_P(MoneyRules, CAP4_BalanceRereadUnderWriteLock) {
    // The page is read, then the back office records a settled gift certificate of $40 on the
    // $100 order before the capture is journaled: capturing the $100 authorization would collect $140.
    const auto o = order("A-1", 10000);
    const auto p = pay(o, {.amount = 10000, .ref = "sbx_auth_a"});
    capture_after_page_read(o, [&] {
        back_office_exec(payment_insert_sql(
            o, {.method = "gift_certificate", .status = "settled", .amount = 4000, .token = "", .ref = ""}));
    });
    EXPECT_EQ(pay_text(p, "status"), "authorized") << "never captured: $100 on a $60 balance";
    EXPECT_EQ(ops("operation = 'capture'"), 0) << "nothing journaled, nothing sent";
    EXPECT_EQ(order_status(o), "CC Exceptions");
    EXPECT_EQ(last_reason(o), "auth_exceeds_balance");
    EXPECT_LE(t.scalar("SELECT sum(captured_cents) FROM payments WHERE order_id = " + std::to_string(o)),
              10000);
}

TEST_P(MoneyRules, CAP4_OrderMovedAfterThePageReadIsLeftAlone) {
    const auto o = order("A-1", 10000);
    const auto p = pay(o, {.amount = 10000, .ref = "sbx_auth_a"});
    const auto stats = capture_after_page_read(o, [&] {
        back_office_exec(
            "UPDATE orders SET status_id = (SELECT id FROM order_statuses WHERE name = 'On Hold') WHERE id "
            "= " +
            std::to_string(o));
    });
    EXPECT_EQ(pay_text(p, "status"), "authorized");
    EXPECT_EQ(ops(), 0);
    EXPECT_EQ(stats.skipped_concurrent, 1);
    EXPECT_EQ(order_status(o), "On Hold");
}

// --- CAP-6: the void at the gateway ------------------------------------------------------------

TEST_P(MoneyRules, CAP6_DeclinedCaptureIsVoidedAtTheGateway) {
    const auto o = order("A-1");
    const auto p = pay(o, {.ref = "fail_capture_1"});
    auto st = run(JobKind::capture);
    EXPECT_TRUE(st.failure.empty()) << st.failure;
    EXPECT_EQ(pay_text(p, "status"), "voided");
    EXPECT_EQ(ops("operation = 'void' AND state = 'succeeded' AND purpose = 'capture_void'"), 1)
        << "the hold is released at the gateway, not only marked voided";
    if (stripe()) {
        EXPECT_EQ(server->intent("fail_capture_1")->status, "canceled");
    } else {
        EXPECT_EQ(
            t.scalar("SELECT count(*) FROM sandbox_ledger WHERE operation = 'void' AND outcome = 'succeeded' "
                     "AND request_ref = 'fail_capture_1'"),
            1);
    }
    EXPECT_EQ(last_reason(o), "capture_declined");
}

TEST_P(MoneyRules, CAP6_DeclinedVoidIsRecordedAndChangesNothingThatFollows) {
    cfg.capture.reauthorize_on_failure = true;
    const auto o = order("A-1");
    const auto p = pay(o, {.ref = "expired_1"});  // capture and void both declined: the hold expired
    run(JobKind::capture);
    EXPECT_EQ(ops("operation = 'void'"), 1)
        << "declined by the sandbox (expired), a no-op on Stripe's canceled intent";
    EXPECT_EQ(pay_text(p, "status"), "voided");
    const auto n = replacement(p);
    ASSERT_NE(n, 0) << "re-authorized all the same";
    EXPECT_EQ(pay_text(n, "status"), "captured");
    EXPECT_EQ(order_status(o), "Ready to Process");
}

// --- RA-5: club orders declined by olmd itself ------------------------------------------------------

TEST_P(MoneyRules, RA5_ClubOrderWhoseCap6ReauthorizationIsDeclinedGoesToTheClubException) {
    cfg.capture.reauthorize_on_failure = true;
    const auto o = order("C-1", 10000, "Ready to Process", "is_club = 1");
    const auto p = pay(o, {.token = "decline_card_1", .ref = "fail_capture_1"});
    run(JobKind::capture);
    const auto n = replacement(p);
    ASSERT_NE(n, 0);
    EXPECT_EQ(pay_text(n, "status"), "declined");
    EXPECT_EQ(order_status(o), "Club CC Exception");
    EXPECT_EQ(last_reason(o), "club_auth_declined");
    EXPECT_EQ(t.scalar("SELECT max(id) FROM payments WHERE method = 'credit_card' AND order_id = " +
                       std::to_string(o)),
              n)
        << "the declined row is the most recent card payment, so RA-5 retries it";
}

TEST_P(MoneyRules, RA5_ClubOrderWhoseReauthorizationIsDeclinedIsRetriedLater) {
    const auto o = order("C-1", 10000, "Ready to Process", "is_club = 1");
    PaymentSpec s = kAgedAuth;
    s.token = "decline_card_1";
    const auto p = pay(o, s);
    run(JobKind::reauth);
    const auto n = replacement(p);
    ASSERT_NE(n, 0);
    EXPECT_EQ(pay_text(n, "status"), "declined");
    EXPECT_EQ(order_status(o), "Club CC Exception");
    EXPECT_EQ(last_reason(o), "club_auth_declined");
    // Two days later the club pass retries the declined row (and the card now works).
    t.exec("UPDATE payments SET card_token = 'tok_visa_ok' WHERE id = " + std::to_string(n));
    run(JobKind::reauth, *parse_utc("2026-11-24T12:30:00Z"));
    EXPECT_EQ(pay_text(n, "status"), "authorized");
    EXPECT_EQ(order_status(o), "Ready to Process");
    EXPECT_EQ(last_reason(o), "club_reauthorized");
}

TEST_P(MoneyRules, RA5_TheDeclineThatUsesUpTheLastAttemptGoesToTheException) {
    cfg.orders.club_reauth_attempts = 3;
    const auto o = order("C-1", 10000, "Club CC Exception", "is_club = 1");
    const auto p = pay(o, {.status = "declined",
                           .token = "decline_card_1",
                           .ref = "",
                           .created_at = "2026-11-01T10:00:00Z",
                           .authorized_at = "",
                           .reauth_attempts = 2,
                           .last_attempt_at = "2026-11-10T10:00:00Z"});
    run(JobKind::reauth);
    EXPECT_EQ(pay_int(p, "reauth_attempts"), 3);
    EXPECT_EQ(order_status(o), "CC Exceptions");
    EXPECT_EQ(last_reason(o), "club_retries_exhausted");
}

// --- RA-4 -----------------------------------------------------------------------------------------

TEST_P(MoneyRules, RA4_AuthorizeThenVoidWhoseVoidIsDeclinedVoidsTheNewHoldAgain) {
    cfg.reauth.order = config::ReauthOrder::authorize_then_void;
    const auto o = order("A-1");
    PaymentSpec s = kAgedAuth;
    s.ref = "fail_void_1";
    const auto p = pay(o, s);
    run(JobKind::reauth);
    EXPECT_EQ(pay_text(p, "status"), "authorized") << "its void was declined: it still holds";
    const auto n = replacement(p);
    ASSERT_NE(n, 0);
    EXPECT_EQ(pay_text(n, "status"), "voided") << "the new hold is released again";
    EXPECT_EQ(ops("operation = 'void' AND state = 'succeeded' AND payment_id = " + std::to_string(n)), 1);
    EXPECT_EQ(order_status(o), "CC Exceptions");
    EXPECT_EQ(last_reason(o), "reauth_void_failed");
}

TEST_P(MoneyRules, RA4_AuthorizeThenVoidOfAnExpiredHoldVoidsTheOldRow) {
    cfg.reauth.order = config::ReauthOrder::authorize_then_void;
    const auto o = order("A-1");
    PaymentSpec s = kAgedAuth;
    s.ref = "expired_1";
    const auto p = pay(o, s);
    run(JobKind::reauth);
    EXPECT_EQ(pay_text(p, "status"), "voided") << "the gateway says the hold no longer exists";
    EXPECT_EQ(pay_text(replacement(p), "status"), "authorized");
    EXPECT_EQ(order_status(o), "Ready to Process");
}

TEST_P(MoneyRules, RA4_VoidRefusedBecauseAlreadyCapturedRecordsTheCaptureAndTakesNoNewHold) {
    const auto o = order("A-1");
    PaymentSpec s = kAgedAuth;
    const auto p = pay(o, s);
    // Captured elsewhere (by the back office, at the gateway) without the row knowing.
    if (stripe()) {
        server->add_intent("sbx_auth_old", 10000, "requires_capture");
        auto gw = gateway::make_gateway(cfg.gateway, t.db(), test::instant_clock(), never_stopped());
        ASSERT_TRUE(gw.ok());
        auto c = (*gw)->capture({Operation::capture, "backoffice-1", 10000, "", "", "sbx_auth_old"});
        ASSERT_EQ(c.outcome, Outcome::succeeded) << c.detail;
    } else {
        auto gw = gateway::make_gateway(cfg.gateway, t.db(), test::instant_clock(), never_stopped());
        auto c = (*gw)->capture({Operation::capture, "backoffice-1", 10000, "", "", "sbx_auth_old"});
        ASSERT_EQ(c.outcome, Outcome::succeeded) << c.detail;
    }
    run(JobKind::reauth);
    EXPECT_EQ(pay_text(p, "status"), "captured");
    EXPECT_EQ(pay_int(p, "captured_cents"), 10000) << "the amount the gateway reports";
    EXPECT_EQ(replacement(p), 0) << "no new authorization";
    EXPECT_EQ(ops("operation = 'authorize'"), 0);
    EXPECT_EQ(order_status(o), "Ready to Process");
}

// --- bad money is never charged ------------------------------------------------------------------

TEST_P(MoneyRules, CAPBadData_NegativeCapturedCentsIsNeverCaptured) {
    t.allow_bad_rows();
    const auto o = order("A-1", 18211);
    const auto p = pay(o, {.amount = 18211, .captured = -50000, .ref = "sbx_auth_a"});
    auto st = run(JobKind::capture);
    EXPECT_TRUE(st.failure.empty()) << "one bad row never fails the job: " << st.failure;
    EXPECT_EQ(pay_text(p, "status"), "authorized");
    EXPECT_EQ(ops(), 0) << "no gateway call";
    EXPECT_EQ(order_status(o), "CC Exceptions");
    EXPECT_EQ(last_reason(o), "bad_data:payments.captured_cents:payments.id=" + std::to_string(p));
    EXPECT_EQ(st.errors, 1);
}

TEST_P(MoneyRules, CAPBadData_SumsPastTheBoundNeverWrapAndNeverCapture) {
    t.allow_bad_rows();
    const auto o = order("A-1", 10000);
    pay(o, {.method = "gift_certificate",
            .status = "settled",
            .amount = 5000000000000000000,
            .token = "",
            .ref = ""});
    pay(o, {.method = "customer_credit",
            .status = "settled",
            .amount = 5000000000000000000,
            .token = "",
            .ref = ""});
    const auto p = pay(o, {.amount = 10000, .ref = "sbx_auth_a"});
    run(JobKind::capture);
    EXPECT_EQ(pay_text(p, "status"), "authorized");
    EXPECT_EQ(ops(), 0);
    EXPECT_EQ(order_status(o), "CC Exceptions");
    EXPECT_EQ(last_reason(o).rfind("bad_data:payments.amount_cents:payments.id=", 0), 0u) << last_reason(o);
}

TEST_P(MoneyRules, CAPBadData_TextOrFractionInAMoneyColumnIsNeverCoerced) {
    t.allow_bad_rows();
    const auto a = order("A-1", 10000);
    const auto pa = pay(a, {.amount = 10000, .ref = "sbx_auth_a"});
    t.exec("UPDATE payments SET amount_cents = 100.5 WHERE id = " + std::to_string(pa));
    const auto b = order("B-1", 10000);
    const auto pb = pay(b, {.amount = 10000, .ref = "sbx_auth_b"});
    t.exec("UPDATE payments SET captured_cents = 'abc' WHERE id = " + std::to_string(pb));
    const auto c = order("C-1", 10000);
    t.exec("UPDATE orders SET grand_total_cents = '100x' WHERE id = " + std::to_string(c));
    const auto pc = pay(c, {.amount = 10000, .ref = "sbx_auth_c"});
    run(JobKind::capture);
    EXPECT_EQ(ops(), 0);
    for (auto p : {pa, pb, pc}) EXPECT_EQ(pay_text(p, "status"), "authorized");
    EXPECT_EQ(last_reason(a), "bad_data:payments.amount_cents:payments.id=" + std::to_string(pa));
    EXPECT_EQ(last_reason(b), "bad_data:payments.captured_cents:payments.id=" + std::to_string(pb));
    EXPECT_EQ(last_reason(c), "bad_data:orders.grand_total_cents");
}

TEST_P(MoneyRules, CAPBadData_UnknownStatusIdWithEmptyStatusesIsNotCaptured) {
    cfg.capture.statuses.clear();
    const auto o = order("A-1");
    const auto p = pay(o, {.ref = "sbx_auth_a"});
    t.exec("PRAGMA foreign_keys = OFF");
    t.exec("UPDATE orders SET status_id = 999 WHERE id = " + std::to_string(o));
    t.exec("PRAGMA foreign_keys = ON");
    auto st = run(JobKind::capture);
    EXPECT_TRUE(st.failure.empty()) << st.failure;
    EXPECT_EQ(pay_text(p, "status"), "authorized");
    EXPECT_EQ(ops(), 0);
    EXPECT_EQ(order_status(o), "CC Exceptions");
    const std::string reason = last_reason(o);
    EXPECT_EQ(reason.rfind("bad_data:orders.status_id", 0), 0u) << reason;
    EXPECT_NE(reason.find("999"), std::string::npos)
        << "the history keeps the id it could not reference: " << reason;
}

TEST_P(MoneyRules, RABadData_BadMoneyIsNeverReauthorized) {
    t.allow_bad_rows();
    const auto o = order("A-1");
    PaymentSpec s = kAgedAuth;
    s.captured = -5000;  // less than nothing
    const auto p = pay(o, s);
    run(JobKind::reauth);
    EXPECT_EQ(ops(), 0);
    EXPECT_EQ(pay_text(p, "status"), "authorized");
    EXPECT_EQ(last_reason(o), "bad_data:payments.captured_cents:payments.id=" + std::to_string(p));
}

TEST_P(MoneyRules, RA2_SqliteTimestampsAreRead) {
    const auto o = order("A-1");
    PaymentSpec s = kAgedAuth;
    s.authorized_at = "2026-11-15 09:00:00";  // what datetime('now') writes
    const auto p = pay(o, s);
    run(JobKind::reauth);
    EXPECT_EQ(pay_text(p, "status"), "voided");
    EXPECT_EQ(pay_text(replacement(p), "status"), "authorized");
}

INSTANTIATE_TEST_SUITE_P(Gateways, MoneyRules, ::testing::Values(Backend::sandbox, Backend::stripe),
                         backend_name);

}  // namespace
}  // namespace olmd::test
