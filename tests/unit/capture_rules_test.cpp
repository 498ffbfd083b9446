// CAP-1..CAP-7 and the capture job's bad-data handling, each run against the
// sandbox gateway and against the Stripe-subset test server.

#include <gtest/gtest.h>

#include "payments_test_util.hpp"
#include "olmd/gateway/gateway.hpp"
#include "olmd/store/payments.hpp"
#include "support/test_clock.hpp"

namespace olmd::test {
namespace {

class CaptureRules : public PaymentsFixture {
protected:
    CaptureRules() {
        cfg.capture.enabled = true;
        cfg.capture.statuses = {"Ready to Process"};
    }
};

TEST_P(CaptureRules, CAP2_CapturesAuthorizedCardPaymentsOfListedStatusesOnly) {
    const auto a = order("A-1");
    const auto pa = pay(a, {.ref = "sbx_auth_a"});
    const auto b = order("B-1", 10000, "Ready to Source");
    const auto pb = pay(b, {.ref = "sbx_auth_b"});
    const auto c = order("C-1", 10000, "On Hold");
    const auto pc = pay(c, {.ref = "sbx_auth_c"});
    const auto d = order("D-1");
    const auto pd = pay(d, {.method = "check", .status = "pending", .token = "", .ref = ""});
    const auto pd2 = pay(d, {.status = "captured", .captured = 10000, .ref = "sbx_auth_d"});
    auto st = run(JobKind::capture);
    EXPECT_TRUE(st.failure.empty()) << st.failure;
    EXPECT_EQ(pay_text(pa, "status"), "captured");
    EXPECT_EQ(pay_text(pb, "status"), "authorized");
    EXPECT_EQ(pay_text(pc, "status"), "authorized");
    EXPECT_EQ(pay_text(pd, "status"), "pending");
    EXPECT_EQ(pay_text(pd2, "status"), "captured");
    EXPECT_EQ(ops(), 1);
    EXPECT_EQ(captures_at_gateway("sbx_auth_a"), 1);
}

TEST_P(CaptureRules, CAP2_EmptyStatusesMeansAnyStatusExceptHold) {
    cfg.capture.statuses.clear();
    const auto a = order("A-1", 10000, "Awaiting Inventory");
    const auto pa = pay(a, {.ref = "sbx_auth_a"});
    const auto h = order("H-1", 10000, "On Hold");
    const auto ph = pay(h, {.ref = "sbx_auth_h"});
    run(JobKind::capture);
    EXPECT_EQ(pay_text(pa, "status"), "captured");
    EXPECT_EQ(pay_text(ph, "status"), "authorized");
}

TEST_P(CaptureRules, CAP3_FullyShippedAvailabilityWaitsForShippedStatus) {
    cfg.capture.statuses.clear();
    cfg.capture.available_when = config::AvailableWhen::order_fully_shipped;
    const auto s = order("S-1", 10000, "Shipped");
    const auto ps = pay(s, {.ref = "sbx_auth_s"});
    const auto r = order("R-1", 10000, "Ready to Process");
    const auto pr = pay(r, {.ref = "sbx_auth_r"});
    const auto dd = order("DD-1", 10000, "Ready to Process", "is_delayed_delivery = 1");
    const auto pdd = pay(dd, {.ref = "sbx_auth_dd"});
    run(JobKind::capture);
    EXPECT_EQ(pay_text(ps, "status"), "captured");
    EXPECT_EQ(pay_text(pr, "status"), "authorized");
    EXPECT_EQ(pay_text(pdd, "status"), "authorized");
}

TEST_P(CaptureRules, CAP3_DelayedDeliveryOnCreationMakesDelayedOrdersAvailable) {
    cfg.capture.statuses.clear();
    cfg.capture.available_when = config::AvailableWhen::order_fully_shipped;
    cfg.capture.delayed_delivery_on_creation = true;
    const auto dd = order("DD-1", 10000, "Ready to Process", "is_delayed_delivery = 1");
    const auto pdd = pay(dd, {.ref = "sbx_auth_dd"});
    const auto r = order("R-1", 10000, "Ready to Process");
    const auto pr = pay(r, {.ref = "sbx_auth_r"});
    run(JobKind::capture);
    EXPECT_EQ(pay_text(pdd, "status"), "captured");
    EXPECT_EQ(pay_text(pr, "status"), "authorized");
}

TEST_P(CaptureRules, CAP4_AuthExceedingBalanceGoesToException) {
    const auto o = order("A-1", 10000);
    const auto p = pay(o, {.amount = 15000, .ref = "sbx_auth_a"});
    auto st = run(JobKind::capture);
    EXPECT_EQ(pay_text(p, "status"), "authorized");
    EXPECT_EQ(order_status(o), "CC Exceptions");
    EXPECT_EQ(last_reason(o), "auth_exceeds_balance");
    EXPECT_EQ(ops(), 0) << "no gateway call";
    EXPECT_EQ(st.changed, 1);
}

TEST_P(CaptureRules, CAP4_PaymentsInIdOrderWithBalanceRecomputedAfterEachCapture) {
    const auto o = order("A-1", 10000);
    const auto p1 = pay(o, {.amount = 6000, .ref = "sbx_auth_1"});
    const auto p2 = pay(o, {.amount = 6000, .ref = "sbx_auth_2"});
    run(JobKind::capture);
    EXPECT_EQ(pay_text(p1, "status"), "captured");
    EXPECT_EQ(pay_text(p2, "status"), "authorized");
    EXPECT_EQ(order_status(o), "CC Exceptions");
    EXPECT_EQ(last_reason(o), "auth_exceeds_balance");
}

TEST_P(CaptureRules, CAP4_SettledNonCardPaymentsAndCapturedCentsReduceTheBalance) {
    const auto o = order("A-1", 10000);
    pay(o, {.method = "gift_certificate", .status = "settled", .amount = 3000, .token = "", .ref = ""});
    pay(o, {.status = "captured", .amount = 2000, .captured = 2000, .ref = "sbx_auth_0"});
    const auto p = pay(o, {.amount = 5000, .ref = "sbx_auth_1"});
    run(JobKind::capture);
    EXPECT_EQ(pay_text(p, "status"), "captured");
    EXPECT_EQ(order_status(o), "Ready to Process");

    const auto o2 = order("B-1", 10000);
    pay(o2, {.method = "gift_certificate", .status = "settled", .amount = 3000, .token = "", .ref = ""});
    const auto p2 = pay(o2, {.amount = 7001, .ref = "sbx_auth_2"});
    run(JobKind::capture);
    EXPECT_EQ(pay_text(p2, "status"), "authorized");
    EXPECT_EQ(last_reason(o2), "auth_exceeds_balance");
}

TEST_P(CaptureRules, CAP5_CaptureSetsCapturedCentsTimeAndKeepsTheOrderStatus) {
    const auto o = order("A-1", 10000);
    // The sandbox keeps partial captures on one authorization; a Stripe intent is captured once, so
    // there the row has captured nothing yet and the whole amount is taken.
    const auto p = pay(o, {.amount = stripe() ? 8000 : 9000, .captured = stripe() ? 0 : 1000, .ref = "sbx_auth_a"});
    auto st = run(JobKind::capture);
    EXPECT_EQ(pay_text(p, "status"), "captured");
    EXPECT_EQ(pay_int(p, "captured_cents"), stripe() ? 8000 : 9000);
    EXPECT_EQ(pay_text(p, "captured_at"), "2026-11-22T12:00:00Z");
    EXPECT_EQ(order_status(o), "Ready to Process");
    EXPECT_EQ(t.scalar("SELECT amount_cents FROM gateway_operations"), 8000) << "the uncaptured amount";
    EXPECT_EQ(t.text("SELECT state FROM gateway_operations"), "succeeded");
    EXPECT_FALSE(t.text("SELECT completed_at FROM gateway_operations").empty());
    EXPECT_EQ(captures_at_gateway("sbx_auth_a"), 1);
    EXPECT_EQ(st.selected, 1);
    EXPECT_EQ(st.changed, 0);
}

TEST_P(CaptureRules, CAP6_DeclinedCaptureVoidsThePaymentAndGoesToException) {
    const auto o = order("A-1");
    const auto p = pay(o, {.ref = "fail_capture_1"});
    const auto o2 = order("B-1");
    const auto p2 = pay(o2, {.ref = "expired_2"});
    auto st = run(JobKind::capture);
    EXPECT_EQ(pay_text(p, "status"), "voided");
    EXPECT_EQ(order_status(o), "CC Exceptions");
    EXPECT_EQ(last_reason(o), "capture_declined");
    EXPECT_EQ(pay_text(p2, "status"), "voided");
    EXPECT_EQ(last_reason(o2), "capture_declined");
    EXPECT_EQ(t.scalar("SELECT count(*) FROM payments"), 2) << "no re-authorization";
    EXPECT_EQ(st.changed, 2);
}

TEST_P(CaptureRules, CAP6_ReauthorizeOnFailureCapturesANewAuthorization) {
    cfg.capture.reauthorize_on_failure = true;
    const auto o = order("A-1");
    const auto p = pay(o, {.token = "tok_visa_cvv_mismatch", .ref = "fail_capture_1", .customer_ref = "cus_1"});
    run(JobKind::capture);
    EXPECT_EQ(pay_text(p, "status"), "voided");
    const auto n = t.scalar("SELECT id FROM payments WHERE replaces_payment_id = " + std::to_string(p));
    ASSERT_NE(n, 0);
    EXPECT_EQ(pay_text(n, "status"), "captured");
    EXPECT_EQ(pay_int(n, "amount_cents"), 10000);
    EXPECT_EQ(pay_int(n, "captured_cents"), 10000);
    EXPECT_EQ(pay_text(n, "card_token"), "tok_visa_cvv_mismatch");
    EXPECT_EQ(pay_text(n, "customer_ref"), "cus_1");
    EXPECT_EQ(pay_text(n, "cvv_result"), "mismatch");
    EXPECT_FALSE(pay_text(n, "gateway_ref").empty());
    EXPECT_EQ(order_status(o), "Ready to Process") << "both succeeded: the order keeps its status";
    EXPECT_EQ(captures_at_gateway(pay_text(n, "gateway_ref")), 1);
}

TEST_P(CaptureRules, CAP6_ReauthorizationDeclinedLeavesADeclinedRowAndException) {
    cfg.capture.reauthorize_on_failure = true;
    const auto o = order("A-1");
    const auto p = pay(o, {.token = "decline_visa_1", .ref = "fail_capture_1"});
    run(JobKind::capture);
    EXPECT_EQ(pay_text(p, "status"), "voided");
    const auto n = t.scalar("SELECT id FROM payments WHERE replaces_payment_id = " + std::to_string(p));
    ASSERT_NE(n, 0);
    EXPECT_EQ(pay_text(n, "status"), "declined");
    EXPECT_EQ(order_status(o), "CC Exceptions");
    EXPECT_EQ(last_reason(o), "reauth_capture_failed");
}

TEST_P(CaptureRules, CAP7_UnknownOutcomeIsLeftThenResolvedWithTheSameKey) {
    const auto o = order("A-1");
    const auto p = pay(o, {.token = "tok_timeout", .ref = "sbx_auth_timeout_1"});
    auto st = run(JobKind::capture);
    EXPECT_EQ(st.deferred, 1);
    if (!stripe()) {
        EXPECT_TRUE(st.failure.empty()) << "a lost answer is not an unreachable gateway";
    }
    EXPECT_EQ(pay_text(p, "status"), "authorized");
    EXPECT_EQ(order_status(o), "Ready to Process");
    EXPECT_EQ(t.text("SELECT state FROM gateway_operations"), "unknown");
    const std::string key = t.text("SELECT idempotency_key FROM gateway_operations");

    auto st2 = run(JobKind::capture, kPayNow + std::chrono::minutes(30));
    EXPECT_EQ(st2.deferred, 0);
    EXPECT_EQ(pay_text(p, "status"), "captured");
    EXPECT_EQ(ops(), 1) << "the same journal row, the same key";
    EXPECT_EQ(t.text("SELECT idempotency_key FROM gateway_operations"), key);
    EXPECT_EQ(t.text("SELECT state FROM gateway_operations"), "succeeded");
    EXPECT_EQ(captures_at_gateway("sbx_auth_timeout_1"), 1);
}

TEST_P(CaptureRules, CAP7_RequestJournaledButNeverAnsweredIsRepeatedBeforeAnythingNew) {
    // A crash after the journal row was committed and the request sent, before the outcome was written.
    const auto o = order("A-1");
    const auto p = pay(o, {.ref = "sbx_auth_a"});
    const auto o2 = order("B-1");
    const auto p2 = pay(o2, {.ref = "sbx_auth_b"});
    auto run_id = *store::RunRepository(t.db()).open(kPayNow, kPayNow, "capture", store::Trigger::manual, "test");
    auto store = store::open_payments(t.db()).value();
    t.exec("BEGIN");
    auto op = store->journal(p, domain::Operation::capture, "capture", 10000, "sbx_auth_a", run_id, kPayNow);
    t.exec("COMMIT");
    ASSERT_TRUE(op.ok());
    auto gw = gateway::make_gateway(cfg.gateway, t.db(), test::instant_clock(), never_stopped()).value();
    domain::Request r{domain::Operation::capture, op->idempotency_key, 10000, "tok_visa_1", "", "sbx_auth_a"};
    ASSERT_EQ(gw->capture(r).outcome, domain::Outcome::succeeded);
    EXPECT_EQ(captures_at_gateway("sbx_auth_a"), 1);

    run(JobKind::capture);
    EXPECT_EQ(pay_text(p, "status"), "captured");
    EXPECT_EQ(pay_text(p2, "status"), "captured");
    EXPECT_EQ(captures_at_gateway("sbx_auth_a"), 1) << "never captured twice";
    EXPECT_EQ(ops("payment_id = " + std::to_string(p)), 1);
}

TEST_P(CaptureRules, CAPBadData_MissingGatewayRefGoesToExceptionWithoutAGatewayCall) {
    const auto o = order("A-1");
    const auto p = pay(o, {.ref = ""});
    auto st = run(JobKind::capture);
    EXPECT_EQ(pay_text(p, "status"), "authorized");
    EXPECT_EQ(order_status(o), "CC Exceptions");
    EXPECT_EQ(last_reason(o), "bad_data:payments.gateway_ref:payments.id=" + std::to_string(p));
    EXPECT_EQ(ops(), 0);
    EXPECT_EQ(st.errors, 1);
}

TEST_P(CaptureRules, CAPBadData_ZeroAmountAndPaymentsExceedingTheTotal) {
    const auto o = order("A-1");
    const auto p0 = pay(o, {.amount = 0, .ref = "sbx_auth_a"});
    const auto o2 = order("B-1", 5000);
    pay(o2, {.status = "captured", .amount = 6000, .captured = 6000, .ref = "sbx_auth_x"});
    pay(o2, {.amount = 100, .ref = "sbx_auth_b"});
    auto st = run(JobKind::capture);
    EXPECT_EQ(last_reason(o), "bad_data:payments.amount_cents:payments.id=" + std::to_string(p0));
    EXPECT_EQ(last_reason(o2), "bad_data:payments_exceed_total");
    EXPECT_EQ(ops(), 0);
    EXPECT_EQ(st.errors, 2);
}

TEST_P(CaptureRules, CAPBadData_ReauthorizeWithoutCardTokenIsAnException) {
    cfg.capture.reauthorize_on_failure = true;
    const auto o = order("A-1");
    const auto p = pay(o, {.token = "", .ref = "fail_capture_1"});
    run(JobKind::capture);
    EXPECT_EQ(pay_text(p, "status"), "voided");
    EXPECT_EQ(order_status(o), "CC Exceptions");
    EXPECT_EQ(t.scalar("SELECT count(*) FROM payments"), 1) << "no authorization without a token";
}

TEST_P(CaptureRules, CAPDryRun_WritesNothingAndCallsNoGateway) {
    cfg.capture.reauthorize_on_failure = true;
    const auto o = order("A-1");
    pay(o, {.ref = "sbx_auth_a"});
    const auto o2 = order("B-1");
    pay(o2, {.ref = "fail_capture_1"});
    std::ostringstream out;
    auto st = run(JobKind::capture, kPayNow, true, &out);
    EXPECT_EQ(ops(), 0);
    EXPECT_EQ(t.scalar("SELECT count(*) FROM payments WHERE status <> 'authorized'"), 0);
    EXPECT_EQ(t.scalar("SELECT count(*) FROM order_status_history"), 0);
    if (stripe()) {
        EXPECT_EQ(server->requests(), 0);
    } else {
        EXPECT_EQ(t.scalar("SELECT count(*) FROM sandbox_ledger"), 0);
    }
    EXPECT_NE(out.str().find("would capture 100.00 for payment"), std::string::npos) << out.str();
    EXPECT_EQ(st.selected, 2);
}

TEST_P(CaptureRules, CAPExplain_ShowsPerPaymentWhatWouldHappenAndWhy) {
    const auto o = order("A-1", 10000);
    pay(o, {.amount = 6000, .ref = "sbx_auth_1"});
    pay(o, {.amount = 6000, .ref = "sbx_auth_2"});
    const std::string text = explain(JobKind::capture, "A-1");
    EXPECT_NE(text.find("CAP-2"), std::string::npos) << text;
    EXPECT_NE(text.find("CAP-5"), std::string::npos) << text;
    EXPECT_NE(text.find("auth_exceeds_balance"), std::string::npos) << text;
    EXPECT_EQ(ops(), 0);
}

INSTANTIATE_TEST_SUITE_P(Gateways, CaptureRules, ::testing::Values(Backend::sandbox, Backend::stripe), backend_name);

}  // namespace
}  // namespace olmd::test
