// Money paths only a scripted gateway plays on demand: the captured amount taken from the
// gateway and a released remainder (CAP-5), rejected requests, RA-4's old authorization
// captured elsewhere, CAP-6's declined capture of a new authorization, card_not_reusable;
// and the sandbox's own capture limit (cli.md).

#include <string>

#include "unit/payments_money_fixture.hpp"

namespace olmd::test {
namespace {

using domain::Operation;
using domain::Outcome;

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
