// Money that is safe with real money (issue: payments): the balance re-read under the
// write lock (CAP-4), the captured amount taken from the gateway and a released
// remainder (CAP-5), the void at the gateway (CAP-6), RA-4's already-captured and
// authorize_then_void paths, RA-5's exhausted retries and club orders declined by
// olmd itself, card_not_reusable, rejected requests, and bad money never charged.
// Against the sandbox and the Stripe test server where both can play the case, and
// a scripted gateway where only a script can.

#include <gtest/gtest.h>

#include <functional>

#include "olmd/jobs/capture/capture_job.hpp"
#include "olmd/jobs/capture/follow_ups.hpp"
#include "olmd/store/catalog.hpp"
#include "payments_test_util.hpp"
#include "support/test_clock.hpp"
#include "support/scripted_gateway.hpp"
#include "olmd/store/payments.hpp"
#include "olmd/store/status_writer.hpp"
#include "support/test_services.hpp"

namespace olmd::test {
namespace {

using domain::Operation;
using domain::Outcome;

class MoneyRules : public PaymentsFixture {
protected:
    MoneyRules() {
        cfg.capture.enabled = true;
        cfg.capture.statuses = {"Ready to Process"};
        cfg.reauth.enabled = true;
        cfg.reauth.statuses = {"Ready to Process"};
    }
    std::int64_t replacement(std::int64_t p) {
        return t.scalar("SELECT id FROM payments WHERE replaces_payment_id = " + std::to_string(p));
    }
    /// Drives the capture engine over order o as read now, after back_office() has written.
    jobs::JobStats capture_after_page_read(std::int64_t o, const std::function<void()>& back_office) {
        auto catalog = store::load_catalog(t.db());
        EXPECT_TRUE(catalog.ok());
        const RunId run_id =
            *store::RunRepository(t.db()).open(kPayNow, kPayNow, "capture", store::Trigger::manual, "test");
        ::olmd::test::TestServices services(t.db(), cfg);
        jobs::JobContext ctx{cfg, services.get(), *catalog, run_id, kPayNow, false, nullptr, nullptr, nullptr};
        jobs::JobStats stats;
        auto settings = jobs::payment_engine::Settings::resolve(cfg, *catalog, JobKind::capture);
        auto ps = store::open_payments(t.db());
        auto gw = gateway::make_gateway(cfg.gateway, t.db(), test::instant_clock(), never_stopped());
        EXPECT_TRUE(settings.ok() && ps.ok() && gw.ok());
        store::SqliteStatusWriter writer(t.db(), JobKind::capture, run_id, kPayNow, false, nullptr,
                                         [&](StatusId id) { return catalog->statuses.name(id); });
        jobs::capture::CaptureFollowUps follow_ups;
        jobs::payment_engine::Engine engine(ctx, stats, JobKind::capture, *settings, **ps, writer, **gw, follow_ups,
                                            nullptr);
        std::vector<jobs::payment_engine::OrderState> states(1);
        states[0].order = **(*ps)->load_order(o);  // the page read
        states[0].status_seen = states[0].order.status_id;
        back_office();
        jobs::capture::CapturePlanner planner(cfg, *settings);
        EXPECT_TRUE(engine.drive(states, planner));
        return stats;
    }
};

const PaymentSpec kAgedAuth{.amount = 10000, .ref = "sbx_auth_old", .authorized_at = "2026-11-15T09:00:00Z"};

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
    EXPECT_NE(explain(JobKind::capture, "DD-1").find("delayed_delivery_on_creation = false"), std::string::npos);
}

// --- CAP-4 under the write lock -------------------------------------------------------------------

TEST_P(MoneyRules, CAP4_BalanceRereadUnderWriteLock) {
    // The page is read, then the back office records a settled gift certificate of $40 on the
    // $100 order before the capture is journaled: capturing the $100 authorization would collect $140.
    const auto o = order("A-1", 10000);
    const auto p = pay(o, {.amount = 10000, .ref = "sbx_auth_a"});
    capture_after_page_read(o, [&] {
        pay(o, {.method = "gift_certificate", .status = "settled", .amount = 4000, .token = "", .ref = ""});
    });
    EXPECT_EQ(pay_text(p, "status"), "authorized") << "never captured: $100 on a $60 balance";
    EXPECT_EQ(ops("operation = 'capture'"), 0) << "nothing journaled, nothing sent";
    EXPECT_EQ(order_status(o), "CC Exceptions");
    EXPECT_EQ(last_reason(o), "auth_exceeds_balance");
    EXPECT_LE(t.scalar("SELECT sum(captured_cents) FROM payments WHERE order_id = " + std::to_string(o)), 10000);
}

TEST_P(MoneyRules, CAP4_OrderMovedAfterThePageReadIsLeftAlone) {
    const auto o = order("A-1", 10000);
    const auto p = pay(o, {.amount = 10000, .ref = "sbx_auth_a"});
    const auto stats = capture_after_page_read(o, [&] {
        t.exec("UPDATE orders SET status_id = (SELECT id FROM order_statuses WHERE name = 'On Hold') WHERE id = " +
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
        EXPECT_EQ(t.scalar("SELECT count(*) FROM sandbox_ledger WHERE operation = 'void' AND outcome = 'succeeded' "
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
    EXPECT_EQ(ops("operation = 'void'"), 1) << "declined by the sandbox (expired), a no-op on Stripe's canceled intent";
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
    EXPECT_EQ(t.scalar("SELECT max(id) FROM payments WHERE method = 'credit_card' AND order_id = " + std::to_string(o)),
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
    const auto p = pay(o, {.status = "declined", .token = "decline_card_1", .ref = "",
                           .created_at = "2026-11-01T10:00:00Z", .authorized_at = "", .reauth_attempts = 2,
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
    pay(o, {.method = "gift_certificate", .status = "settled", .amount = 5000000000000000000, .token = "", .ref = ""});
    pay(o, {.method = "customer_credit", .status = "settled", .amount = 5000000000000000000, .token = "", .ref = ""});
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
    EXPECT_NE(reason.find("999"), std::string::npos) << "the history keeps the id it could not reference: " << reason;
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

INSTANTIATE_TEST_SUITE_P(Gateways, MoneyRules, ::testing::Values(Backend::sandbox, Backend::stripe), backend_name);

// --- paths only a scripted gateway plays on demand ---------------------------------------------------

class ScriptedMoney : public MoneyRules {
protected:
    ScriptedMoney() { fake_gateway = [this] { return script.gateway(); }; }
    GatewayScript script;
};

TEST_P(ScriptedMoney, CAP5_CapturedCentsIsWhatTheGatewayReportsReceived) {
    const auto o = order("A-1", 10000);
    const auto p = pay(o, {.amount = 10000, .ref = "pi_a"});
    script.decide = [](const domain::Request&) { return answer(Outcome::succeeded, "captured", 9500, -1); };
    run(JobKind::capture);
    EXPECT_EQ(pay_text(p, "status"), "captured");
    EXPECT_EQ(pay_int(p, "captured_cents"), 9500) << "never assumed to be the amount asked";
}

TEST_P(ScriptedMoney, CAP5_RemainderReleasedByAnEarlierPartialCaptureIsAuthReleased) {
    const auto o = order("A-1", 10000);
    const auto p = pay(o, {.amount = 10000, .ref = "pi_partial"});
    // Stripe: the intent was captured for 3000 elsewhere and is `succeeded`; the rest was released.
    script.decide = [](const domain::Request&) {
        return answer(Outcome::declined, std::string(domain::kAuthorizationReleased), 3000, 0);
    };
    auto st = run(JobKind::capture);
    EXPECT_TRUE(st.failure.empty()) << st.failure;
    EXPECT_EQ(pay_text(p, "status"), "captured");
    EXPECT_EQ(pay_int(p, "captured_cents"), 3000) << "what was really received, not the authorization";
    EXPECT_EQ(order_status(o), "CC Exceptions");
    EXPECT_EQ(last_reason(o), "auth_released");
    EXPECT_EQ(script.of(Operation::void_auth).size(), 0u) << "nothing is held any more: no void";
}

TEST_P(ScriptedMoney, CAP5_ReleasedRemainderIsReauthorizedAndCapturedWithReauthorizeOnFailure) {
    cfg.capture.reauthorize_on_failure = true;
    const auto o = order("A-1", 10000);
    const auto p = pay(o, {.amount = 10000, .ref = "pi_partial"});
    script.decide = [this](const domain::Request& r) {
        if (r.op == Operation::capture && r.gateway_ref == "pi_partial")
            return answer(Outcome::declined, std::string(domain::kAuthorizationReleased), 3000, 0);
        return script.approve(r);
    };
    run(JobKind::capture);
    EXPECT_EQ(pay_int(p, "captured_cents"), 3000);
    const auto n = replacement(p);
    ASSERT_NE(n, 0);
    EXPECT_EQ(pay_int(n, "amount_cents"), 7000) << "the remainder";
    EXPECT_EQ(pay_text(n, "status"), "captured");
    EXPECT_EQ(pay_int(n, "captured_cents"), 7000);
    EXPECT_EQ(t.scalar("SELECT sum(captured_cents) FROM payments"), 10000);
    EXPECT_EQ(order_status(o), "Ready to Process");
}

TEST_P(ScriptedMoney, StripeErrors_RejectedRequestLeavesPaymentAndOrderAndFailsTheJob) {
    const auto o = order("A-1", 10000);
    const auto p = pay(o, {.amount = 10000, .ref = "pi_a"});
    script.decide = [](const domain::Request&) { return answer(Outcome::rejected, "parameter_unknown"); };
    auto st = run(JobKind::capture);
    EXPECT_EQ(pay_text(p, "status"), "authorized");
    EXPECT_EQ(order_status(o), "Ready to Process");
    EXPECT_EQ(t.text("SELECT state FROM gateway_operations"), "declined");
    EXPECT_EQ(t.text("SELECT response_code FROM gateway_operations"), "rejected:parameter_unknown");
    EXPECT_EQ(st.errors, 1);
    EXPECT_NE(st.failure.find("rejected 1 request"), std::string::npos) << "MON-3 reports it: " << st.failure;
}

TEST_P(ScriptedMoney, StripeErrors_RejectedAuthorizationAfterTheVoidIsNotADecline) {
    const auto o = order("A-1", 10000, "Ready to Process", "is_club = 1");
    const auto p = pay(o, kAgedAuth);
    script.decide = [this](const domain::Request& r) {
        if (r.op == Operation::authorize) return answer(Outcome::rejected, "parameter_invalid_empty");
        return script.approve(r);
    };
    auto st = run(JobKind::reauth);
    EXPECT_EQ(pay_text(p, "status"), "voided");
    const auto n = replacement(p);
    ASSERT_NE(n, 0);
    EXPECT_EQ(pay_text(n, "status"), "voided") << "a rejected authorization holds nothing and is no decline";
    EXPECT_EQ(order_status(o), "CC Exceptions") << "not the club exception: the card was not declined";
    EXPECT_EQ(last_reason(o), "gateway_rejected:parameter_invalid_empty");
    EXPECT_FALSE(st.failure.empty());
}

TEST_P(ScriptedMoney, RA4_AuthorizeThenVoidWithOldCapturedElsewhereReleasesTheNewHold) {
    cfg.reauth.order = config::ReauthOrder::authorize_then_void;
    const auto o = order("A-1");
    const auto p = pay(o, kAgedAuth);
    script.decide = [this](const domain::Request& r) {
        if (r.op == Operation::void_auth && r.gateway_ref == "sbx_auth_old")
            return answer(Outcome::declined, std::string(domain::kAlreadyCaptured), 10000, 0);
        return script.approve(r);
    };
    run(JobKind::reauth);
    EXPECT_EQ(pay_text(p, "status"), "captured");
    EXPECT_EQ(pay_int(p, "captured_cents"), 10000);
    const auto n = replacement(p);
    ASSERT_NE(n, 0);
    EXPECT_EQ(pay_text(n, "status"), "voided") << "no second hold left on the card";
    EXPECT_EQ(order_status(o), "Ready to Process");
}

TEST_P(ScriptedMoney, CAP6_NewAuthorizationWhoseCaptureIsDeclinedIsVoidedAtTheGateway) {
    cfg.capture.reauthorize_on_failure = true;
    const auto o = order("A-1");
    const auto p = pay(o, {.ref = "fail_capture_1"});
    script.decide = [this](const domain::Request& r) {
        if (r.op == Operation::capture) return answer(Outcome::declined, "capture_declined", 0, 0);
        return script.approve(r);
    };
    run(JobKind::capture);
    const auto n = replacement(p);
    ASSERT_NE(n, 0);
    EXPECT_EQ(pay_text(n, "status"), "voided");
    ASSERT_EQ(script.of(Operation::void_auth).size(), 2u) << "the old hold and the new one are both released";
    EXPECT_EQ(script.of(Operation::void_auth)[1].gateway_ref, pay_text(n, "gateway_ref"));
    EXPECT_EQ(last_reason(o), "reauth_capture_failed");
}

TEST_P(ScriptedMoney, CardNotReusable_ReauthorizationWithoutCustomerIsNotSent) {
    script.needs_customer = true;
    cfg.capture.reauthorize_on_failure = true;
    const auto a = order("A-1");
    PaymentSpec s = kAgedAuth;
    s.customer_ref = "";
    const auto pa = pay(a, s);
    run(JobKind::reauth);
    EXPECT_EQ(pay_text(pa, "status"), "authorized") << "not voided: it could not be replaced";
    EXPECT_EQ(script.sent.size(), 0u);
    EXPECT_EQ(last_reason(a), "card_not_reusable");

    const auto b = order("B-1", 10000);
    const auto pb = pay(b, {.ref = "pi_b", .customer_ref = ""});
    script.decide = [this](const domain::Request& r) {
        if (r.op == Operation::capture) return answer(Outcome::declined, "card_declined");
        return script.approve(r);
    };
    run(JobKind::capture);
    EXPECT_EQ(pay_text(pb, "status"), "voided");
    EXPECT_EQ(script.of(Operation::authorize).size(), 0u);
    EXPECT_EQ(last_reason(b), "card_not_reusable");
    const auto c = order("C-1");
    pay(c, s);
    cfg.gateway.kind = config::GatewayKind::stripe;  // explain judges by the configured gateway
    const std::string text = explain(JobKind::reauth, "C-1");
    EXPECT_NE(text.find("card_not_reusable"), std::string::npos) << text;
    EXPECT_NE(text.find("customer_ref"), std::string::npos) << "explain says why: " << text;
}

INSTANTIATE_TEST_SUITE_P(Scripted, ScriptedMoney, ::testing::Values(Backend::sandbox),
                         [](const ::testing::TestParamInfo<Backend>&) { return std::string("Script"); });

// --- the sandbox's capture limit (cli.md) ----------------------------------------------------------

TEST(SandboxLimit, SandboxDeclinesACaptureAboveWhatTheAuthorizationStillHolds) {
    TestDb db;
    auto g = gateway::make_gateway(config::GatewayConfig{}, db.db(), test::instant_clock(), never_stopped()).value();
    auto a = g->authorize({Operation::authorize, "k1", 18211, "tok_visa", "", ""});
    ASSERT_EQ(a.outcome, Outcome::succeeded);
    auto over = g->capture({Operation::capture, "k2", 68211, "", "", a.gateway_ref});
    EXPECT_EQ(over.outcome, Outcome::declined);
    EXPECT_EQ(over.response_code, "amount_exceeds_authorization");
    auto part = g->capture({Operation::capture, "k3", 10000, "", "", a.gateway_ref});
    EXPECT_EQ(part.outcome, Outcome::succeeded);
    EXPECT_EQ(part.amount_received, 10000);
    EXPECT_EQ(part.amount_capturable, 8211);
    EXPECT_EQ(g->capture({Operation::capture, "k4", 8212, "", "", a.gateway_ref}).outcome, Outcome::declined);
    auto rest = g->capture({Operation::capture, "k5", 8211, "", "", a.gateway_ref});
    EXPECT_EQ(rest.amount_received, 18211);
    EXPECT_EQ(g->capture({Operation::capture, "k3", 10000, "", "", a.gateway_ref}).amount_received, 10000)
        << "a replay answers what the first answer said";
    auto v = g->void_auth({Operation::void_auth, "k6", 0, "", "", a.gateway_ref});
    EXPECT_EQ(v.outcome, Outcome::declined);
    EXPECT_EQ(v.response_code, domain::kAlreadyCaptured);
    EXPECT_EQ(v.amount_received, 18211);
}

}  // namespace
}  // namespace olmd::test
