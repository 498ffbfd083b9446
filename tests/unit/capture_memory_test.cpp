// The capture rules (CAP-2..CAP-7, bad data) on the in-memory payment ports and a
// scripted gateway (unit/payments_memory_fixture.hpp): no SQLite, no sandbox ledger;
// the capture job and its payment engine see only RunServices. Each test checks a
// rule that capture_rules_test.cpp checks against the sandbox and the Stripe test
// server, with the same expectations on what the job writes, and, since the gateway
// here records every request, on exactly what was sent.
#include <sstream>

#include "unit/payments_memory_fixture.hpp"

namespace olmd::test {
namespace {

using domain::Operation;
using domain::Outcome;

class CaptureOnMemory : public MemoryPaymentsWorld {
protected:
    CaptureOnMemory() {
        cfg.capture.enabled = true;
        cfg.capture.statuses = {"Ready to Process"};
    }
};

TEST_F(CaptureOnMemory, CAP2_CapturesAuthorizedCardPaymentsOfListedStatusesOnly) {
    const auto a = order("A-1");
    const auto pa = pay(a, {.ref = "auth_a"});
    const auto b = order("B-1", 10000, "Ready to Source");
    const auto pb = pay(b, {.ref = "auth_b"});
    const auto c = order("C-1", 10000, "On Hold");
    const auto pc = pay(c, {.ref = "auth_c"});
    const auto d = order("D-1");
    const auto pd = pay(d, {.method = "check", .status = "pending", .token = "", .ref = ""});
    const auto pd2 = pay(d, {.status = "captured", .captured = 10000, .ref = "auth_d"});
    auto st = run(JobKind::capture);
    EXPECT_TRUE(st.failure.empty()) << st.failure;
    EXPECT_EQ(payment(pa).status, "captured");
    EXPECT_EQ(payment(pb).status, "authorized");
    EXPECT_EQ(payment(pc).status, "authorized");
    EXPECT_EQ(payment(pd).status, "pending");
    EXPECT_EQ(payment(pd2).status, "captured");
    EXPECT_EQ(data.journal.size(), 1u);
    ASSERT_EQ(script.sent.size(), 1u);
    EXPECT_EQ(sent_for(Operation::capture, "auth_a"), 1);
}

TEST_F(CaptureOnMemory, CAP2_EmptyStatusesMeansAnyStatusExceptHold) {
    cfg.capture.statuses.clear();
    const auto a = order("A-1", 10000, "Awaiting Inventory");
    const auto pa = pay(a, {.ref = "auth_a"});
    const auto h = order("H-1", 10000, "On Hold");
    const auto ph = pay(h, {.ref = "auth_h"});
    run(JobKind::capture);
    EXPECT_EQ(payment(pa).status, "captured");
    EXPECT_EQ(payment(ph).status, "authorized");
    EXPECT_EQ(sent_for(Operation::capture, "auth_h"), 0);
}

TEST_F(CaptureOnMemory, CAP3_FullyShippedAvailabilityWaitsForShippedStatus) {
    cfg.capture.statuses.clear();
    cfg.capture.available_when = config::AvailableWhen::order_fully_shipped;
    const auto s = order("S-1", 10000, "Shipped");
    const auto ps = pay(s, {.ref = "auth_s"});
    const auto r = order("R-1", 10000, "Ready to Process");
    const auto pr = pay(r, {.ref = "auth_r"});
    const auto dd = order("DD-1", 10000, "Ready to Process", false, true);
    const auto pdd = pay(dd, {.ref = "auth_dd"});
    run(JobKind::capture);
    EXPECT_EQ(payment(ps).status, "captured");
    EXPECT_EQ(payment(pr).status, "authorized");
    EXPECT_EQ(payment(pdd).status, "authorized");
}

TEST_F(CaptureOnMemory, CAP3_DelayedDeliveryOnCreationMakesDelayedOrdersAvailable) {
    cfg.capture.statuses.clear();
    cfg.capture.available_when = config::AvailableWhen::order_fully_shipped;
    cfg.capture.delayed_delivery_on_creation = true;
    const auto dd = order("DD-1", 10000, "Ready to Process", false, true);
    const auto pdd = pay(dd, {.ref = "auth_dd"});
    const auto r = order("R-1", 10000, "Ready to Process");
    const auto pr = pay(r, {.ref = "auth_r"});
    run(JobKind::capture);
    EXPECT_EQ(payment(pdd).status, "captured");
    EXPECT_EQ(payment(pr).status, "authorized");
}

TEST_F(CaptureOnMemory, CAP4_AuthExceedingBalanceGoesToException) {
    const auto o = order("A-1", 10000);
    const auto p = pay(o, {.amount = 15000, .ref = "auth_a"});
    auto st = run(JobKind::capture);
    EXPECT_EQ(payment(p).status, "authorized");
    EXPECT_EQ(order_status(o), "CC Exceptions");
    EXPECT_EQ(last_reason(o), "auth_exceeds_balance");
    EXPECT_TRUE(data.journal.empty());
    EXPECT_TRUE(script.sent.empty()) << "no gateway call";
    EXPECT_EQ(st.changed, 1);
}

TEST_F(CaptureOnMemory, CAP4_PaymentsInIdOrderWithBalanceRecomputedAfterEachCapture) {
    const auto o = order("A-1", 10000);
    const auto p1 = pay(o, {.amount = 6000, .ref = "auth_1"});
    const auto p2 = pay(o, {.amount = 6000, .ref = "auth_2"});
    run(JobKind::capture);
    EXPECT_EQ(payment(p1).status, "captured");
    EXPECT_EQ(payment(p2).status, "authorized");
    EXPECT_EQ(order_status(o), "CC Exceptions");
    EXPECT_EQ(last_reason(o), "auth_exceeds_balance");
    EXPECT_EQ(sent_for(Operation::capture, "auth_2"), 0);
}

TEST_F(CaptureOnMemory, CAP5_CaptureSetsCapturedCentsTimeAndKeepsTheOrderStatus) {
    // Like the sandbox, the gateway keeps the earlier partial capture of 10.00 on the authorization
    // and reports the total received.
    script.decide = [this](const domain::Request& r) {
        domain::Answer a = script.approve(r);
        if (r.op == Operation::capture) a.amount_received = 1000 + r.amount;
        return a;
    };
    const auto o = order("A-1", 10000);
    const auto p = pay(o, {.amount = 9000, .captured = 1000, .ref = "auth_a"});
    auto st = run(JobKind::capture);
    EXPECT_EQ(payment(p).status, "captured");
    EXPECT_EQ(payment(p).captured_cents, 9000) << "the total the gateway reports received";
    EXPECT_EQ(data.captured_at[p], "2026-11-22T12:00:00Z");
    EXPECT_EQ(order_status(o), "Ready to Process");
    ASSERT_EQ(data.journal.size(), 1u);
    EXPECT_EQ(data.journal[0].op.amount_cents, 8000) << "the uncaptured amount";
    EXPECT_EQ(data.journal[0].op.state, domain::OpState::succeeded);
    EXPECT_EQ(data.journal[0].completed_at, "2026-11-22T12:00:00Z");
    ASSERT_EQ(script.sent.size(), 1u);
    EXPECT_EQ(script.sent[0].amount, 8000);
    EXPECT_EQ(script.sent[0].idempotency_key, data.journal[0].op.idempotency_key);
    EXPECT_EQ(st.selected, 1);
    EXPECT_EQ(st.changed, 0);
}

TEST_F(CaptureOnMemory, CAP6_DeclinedCaptureVoidsThePaymentAndGoesToException) {
    script.decide = [this](const domain::Request& r) {
        return r.op == Operation::capture ? answer(Outcome::declined, "card_declined") : script.approve(r);
    };
    const auto o = order("A-1");
    const auto p = pay(o, {.ref = "auth_a"});
    const auto o2 = order("B-1");
    const auto p2 = pay(o2, {.ref = "auth_b"});
    auto st = run(JobKind::capture);
    EXPECT_EQ(payment(p).status, "voided");
    EXPECT_EQ(order_status(o), "CC Exceptions");
    EXPECT_EQ(last_reason(o), "capture_declined");
    EXPECT_EQ(payment(p2).status, "voided");
    EXPECT_EQ(last_reason(o2), "capture_declined");
    EXPECT_EQ(payments(), 2u) << "no re-authorization";
    EXPECT_EQ(sent_for(Operation::void_auth, "auth_a"), 1) << "the declined authorization is released";
    EXPECT_EQ(sent_for(Operation::void_auth, "auth_b"), 1);
    EXPECT_TRUE(script.of(Operation::authorize).empty());
    EXPECT_EQ(st.changed, 2);
}

TEST_F(CaptureOnMemory, CAP6_ReauthorizeOnFailureCapturesANewAuthorization) {
    cfg.capture.reauthorize_on_failure = true;
    script.decide = [this](const domain::Request& r) {
        if (r.op == Operation::capture && r.gateway_ref == "auth_a") return answer(Outcome::declined, "card_declined");
        domain::Answer a = script.approve(r);
        if (r.op == Operation::authorize) a.cvv_result = "mismatch";
        return a;
    };
    const auto o = order("A-1");
    const auto p = pay(o, {.token = "tok_visa_cvv_mismatch", .ref = "auth_a", .customer_ref = "cus_1"});
    run(JobKind::capture);
    EXPECT_EQ(payment(p).status, "voided");
    const auto n = replacement(p);
    ASSERT_NE(n, 0);
    EXPECT_EQ(payment(n).status, "captured");
    EXPECT_EQ(payment(n).amount_cents, 10000);
    EXPECT_EQ(payment(n).captured_cents, 10000);
    EXPECT_EQ(payment(n).card_token, "tok_visa_cvv_mismatch");
    EXPECT_EQ(payment(n).customer_ref, "cus_1");
    EXPECT_EQ(payment(n).cvv_result, "mismatch");
    EXPECT_FALSE(payment(n).gateway_ref.empty());
    EXPECT_EQ(order_status(o), "Ready to Process") << "both succeeded: the order keeps its status";
    EXPECT_EQ(sent_for(Operation::capture, payment(n).gateway_ref), 1);
    EXPECT_EQ(journal_operations(), "capture,void,authorize,capture");
}

TEST_F(CaptureOnMemory, CAP6_ReauthorizationDeclinedLeavesADeclinedRowAndException) {
    cfg.capture.reauthorize_on_failure = true;
    script.decide = [this](const domain::Request& r) {
        if (r.op == Operation::void_auth) return script.approve(r);
        return answer(Outcome::declined, "card_declined");
    };
    const auto o = order("A-1");
    const auto p = pay(o, {.token = "decline_visa_1", .ref = "auth_a"});
    run(JobKind::capture);
    EXPECT_EQ(payment(p).status, "voided");
    const auto n = replacement(p);
    ASSERT_NE(n, 0);
    EXPECT_EQ(payment(n).status, "declined");
    EXPECT_EQ(order_status(o), "CC Exceptions");
    EXPECT_EQ(last_reason(o), "reauth_capture_failed");
}

TEST_F(CaptureOnMemory, CAP7_UnknownOutcomeIsLeftThenResolvedWithTheSameKey) {
    int answered = 0;
    script.decide = [&](const domain::Request& r) {
        return answered++ == 0 ? answer(Outcome::unknown, "timeout") : script.approve(r);
    };
    const auto o = order("A-1");
    const auto p = pay(o, {.ref = "auth_timeout_1"});
    auto st = run(JobKind::capture);
    EXPECT_EQ(st.deferred, 1);
    EXPECT_TRUE(st.failure.empty()) << "a lost answer is not an unreachable gateway";
    EXPECT_EQ(payment(p).status, "authorized");
    EXPECT_EQ(order_status(o), "Ready to Process");
    ASSERT_EQ(data.journal.size(), 1u);
    EXPECT_EQ(data.journal[0].op.state, domain::OpState::unknown);
    EXPECT_EQ(data.journal[0].completed_at, "");
    const std::string key = data.journal[0].op.idempotency_key;

    auto st2 = run(JobKind::capture, kPayNow + std::chrono::minutes(30));
    EXPECT_EQ(st2.deferred, 0);
    EXPECT_EQ(payment(p).status, "captured");
    ASSERT_EQ(data.journal.size(), 1u) << "the same journal row, the same key";
    EXPECT_EQ(data.journal[0].op.idempotency_key, key);
    EXPECT_EQ(data.journal[0].op.state, domain::OpState::succeeded);
    ASSERT_EQ(script.sent.size(), 2u);
    EXPECT_EQ(script.sent[1].idempotency_key, key) << "replayed with its own key";
}

TEST_F(CaptureOnMemory, CAPBadData_MissingGatewayRefGoesToExceptionWithoutAGatewayCall) {
    const auto o = order("A-1");
    const auto p = pay(o, {.ref = ""});
    auto st = run(JobKind::capture);
    EXPECT_EQ(payment(p).status, "authorized");
    EXPECT_EQ(order_status(o), "CC Exceptions");
    EXPECT_EQ(last_reason(o), "bad_data:payments.gateway_ref:payments.id=" + std::to_string(p));
    EXPECT_TRUE(data.journal.empty());
    EXPECT_TRUE(script.sent.empty());
    EXPECT_EQ(st.errors, 1);
}

TEST_F(CaptureOnMemory, CAPBadData_ZeroAmountAndPaymentsExceedingTheTotal) {
    const auto o = order("A-1");
    const auto p0 = pay(o, {.amount = 0, .ref = "auth_a"});
    const auto o2 = order("B-1", 5000);
    pay(o2, {.status = "captured", .amount = 6000, .captured = 6000, .ref = "auth_x"});
    pay(o2, {.amount = 100, .ref = "auth_b"});
    auto st = run(JobKind::capture);
    EXPECT_EQ(last_reason(o), "bad_data:payments.amount_cents:payments.id=" + std::to_string(p0));
    EXPECT_EQ(last_reason(o2), "bad_data:payments_exceed_total");
    EXPECT_TRUE(script.sent.empty());
    EXPECT_EQ(st.errors, 2);
}

TEST_F(CaptureOnMemory, CAPBadData_ReauthorizeWithoutCardTokenIsAnException) {
    cfg.capture.reauthorize_on_failure = true;
    script.decide = [this](const domain::Request& r) {
        return r.op == Operation::capture ? answer(Outcome::declined, "card_declined") : script.approve(r);
    };
    const auto o = order("A-1");
    const auto p = pay(o, {.token = "", .ref = "auth_a"});
    run(JobKind::capture);
    EXPECT_EQ(payment(p).status, "voided");
    EXPECT_EQ(order_status(o), "CC Exceptions");
    EXPECT_EQ(payments(), 1u) << "no authorization without a token";
    EXPECT_TRUE(script.of(Operation::authorize).empty());
}

TEST_F(CaptureOnMemory, CAPDryRun_WritesNothingAndCallsNoGateway) {
    cfg.capture.reauthorize_on_failure = true;
    const auto o = order("A-1");
    const auto p = pay(o, {.ref = "sbx_auth_a"});
    const auto o2 = order("B-1");
    const auto p2 = pay(o2, {.ref = "fail_capture_1"});
    std::ostringstream out;
    auto st = run(JobKind::capture, kPayNow, true, &out);
    EXPECT_TRUE(data.journal.empty());
    EXPECT_EQ(payment(p).status, "authorized");
    EXPECT_EQ(payment(p2).status, "authorized");
    EXPECT_EQ(payments(), 2u);
    EXPECT_TRUE(data.history.empty());
    EXPECT_EQ(order_status(o2), "Ready to Process");
    EXPECT_TRUE(script.sent.empty());
    EXPECT_NE(out.str().find("would capture 100.00 for payment"), std::string::npos) << out.str();
    EXPECT_EQ(st.selected, 2);
}

TEST_F(CaptureOnMemory, CAPExplain_ShowsPerPaymentWhatWouldHappenAndWhy) {
    const auto o = order("A-1", 10000);
    pay(o, {.amount = 6000, .ref = "auth_1"});
    pay(o, {.amount = 6000, .ref = "auth_2"});
    const std::string text = explain(JobKind::capture, "A-1");
    EXPECT_NE(text.find("CAP-2"), std::string::npos) << text;
    EXPECT_NE(text.find("CAP-5"), std::string::npos) << text;
    EXPECT_NE(text.find("auth_exceeds_balance"), std::string::npos) << text;
    EXPECT_TRUE(data.journal.empty());
    EXPECT_TRUE(data.history.empty());
    EXPECT_TRUE(script.sent.empty());
}

}  // namespace
}  // namespace olmd::test
