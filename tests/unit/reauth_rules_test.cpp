// RA-1..RA-6 and the reauth job's bad-data handling, each run against the
// sandbox gateway and against the Stripe-subset test server.

#include <gtest/gtest.h>

#include "payments_test_util.hpp"

namespace olmd::test {
namespace {

class ReauthRules : public PaymentsFixture {
protected:
    ReauthRules() {
        cfg.reauth.enabled = true;
        cfg.reauth.statuses = {"Ready to Process"};
    }
    std::int64_t replacement(std::int64_t old) {
        return t.scalar("SELECT id FROM payments WHERE replaces_payment_id = " + std::to_string(old));
    }
};

// 2026-11-22T12:00Z minus 6 days = 2026-11-16T12:00Z.
const PaymentSpec kAged{.amount = 10000, .ref = "sbx_auth_old", .authorized_at = "2026-11-15T09:00:00Z"};

TEST_P(ReauthRules, RA2_OnlyAgedUncapturedAuthorizationsInListedStatuses) {
    const auto a = order("A-1");
    const auto pa = pay(a, kAged);
    const auto y = order("Y-1");
    const auto py = pay(y, {.ref = "sbx_auth_y", .authorized_at = "2026-11-16T12:00:01Z"});
    const auto e = order("E-1");
    const auto pe = pay(e, {.ref = "sbx_auth_e", .authorized_at = "2026-11-16T12:00:00Z"});
    const auto f = order("F-1");
    const auto pf = pay(f, {.amount = 10000, .captured = 10000, .ref = "sbx_auth_f", .authorized_at = "2026-11-10T00:00:00Z"});
    const auto s = order("S-1", 10000, "Ready to Source");
    const auto ps = pay(s, {.ref = "sbx_auth_s", .authorized_at = "2026-11-10T00:00:00Z"});
    auto st = run(JobKind::reauth);
    EXPECT_TRUE(st.failure.empty()) << st.failure;
    EXPECT_EQ(pay_text(pa, "status"), "voided");
    EXPECT_EQ(pay_text(pe, "status"), "voided") << "exactly after_days old counts";
    EXPECT_EQ(pay_text(py, "status"), "authorized");
    EXPECT_EQ(pay_text(pf, "status"), "authorized");
    EXPECT_EQ(pay_text(ps, "status"), "authorized");
    EXPECT_NE(replacement(pa), 0);
    EXPECT_EQ(replacement(py), 0);
}

TEST_P(ReauthRules, RA3_VoidThenAuthorizeReplacesTheAuthorization) {
    const auto o = order("A-1", 10000);
    const auto p = pay(o, {.amount = 10000, .captured = 2500, .token = "tok_visa_avs_mismatch", .ref = "sbx_auth_old",
                           .authorized_at = "2026-11-15T09:00:00Z", .customer_ref = "cus_9"});
    run(JobKind::reauth);
    EXPECT_EQ(pay_text(p, "status"), "voided");
    const auto n = replacement(p);
    ASSERT_NE(n, 0);
    EXPECT_EQ(pay_text(n, "status"), "authorized");
    EXPECT_EQ(pay_int(n, "amount_cents"), 7500) << "amount - captured";
    EXPECT_EQ(pay_int(n, "captured_cents"), 0);
    EXPECT_EQ(pay_text(n, "authorized_at"), "2026-11-22T12:00:00Z");
    EXPECT_EQ(pay_text(n, "card_token"), "tok_visa_avs_mismatch");
    EXPECT_EQ(pay_text(n, "customer_ref"), "cus_9");
    EXPECT_EQ(pay_text(n, "avs_result"), "mismatch");
    EXPECT_FALSE(pay_text(n, "gateway_ref").empty());
    EXPECT_NE(pay_text(n, "gateway_ref"), "sbx_auth_old");
    EXPECT_EQ(order_status(o), "Ready to Process");
    // void first, then authorize
    EXPECT_EQ(t.text("SELECT group_concat(operation, ',') FROM (SELECT operation FROM gateway_operations ORDER BY id)"),
              "void,authorize");
}

TEST_P(ReauthRules, RA3_AuthorizeThenVoidTakesTheNewHoldFirst) {
    cfg.reauth.order = config::ReauthOrder::authorize_then_void;
    const auto o = order("A-1");
    const auto p = pay(o, kAged);
    run(JobKind::reauth);
    EXPECT_EQ(pay_text(p, "status"), "voided");
    const auto n = replacement(p);
    ASSERT_NE(n, 0);
    EXPECT_EQ(pay_text(n, "status"), "authorized");
    EXPECT_EQ(t.text("SELECT group_concat(operation, ',') FROM (SELECT operation FROM gateway_operations ORDER BY id)"),
              "authorize,void");
}

TEST_P(ReauthRules, RA4_DeclinedVoidIsRecordedAndTheAuthorizationStillAttempted) {
    const auto o = order("A-1");
    PaymentSpec s = kAged;
    s.ref = "fail_void_1";
    const auto p = pay(o, s);
    run(JobKind::reauth);
    EXPECT_EQ(t.text("SELECT state FROM gateway_operations WHERE operation = 'void'"), "declined");
    EXPECT_EQ(pay_text(p, "status"), "voided");
    const auto n = replacement(p);
    ASSERT_NE(n, 0);
    EXPECT_EQ(pay_text(n, "status"), "authorized");
    EXPECT_EQ(order_status(o), "Ready to Process");
}

TEST_P(ReauthRules, RA4_DeclinedAuthorizationGoesToException) {
    const auto o = order("A-1");
    PaymentSpec s = kAged;
    s.token = "decline_card_1";
    const auto p = pay(o, s);
    auto st = run(JobKind::reauth);
    EXPECT_EQ(pay_text(p, "status"), "voided");
    const auto n = replacement(p);
    ASSERT_NE(n, 0);
    EXPECT_EQ(pay_text(n, "status"), "declined");
    EXPECT_EQ(order_status(o), "CC Exceptions");
    EXPECT_EQ(last_reason(o), "reauth_declined");
    EXPECT_EQ(st.changed, 1);
}

TEST_P(ReauthRules, RA5_ClubRetrySucceedsAndMovesTheOrder) {
    cfg.reauth.statuses = {"Ready to Process"};
    const auto o = order("C-1", 5000, "Club CC Exception", "is_club = 1");
    pay(o, {.status = "declined", .amount = 5000, .ref = "", .created_at = "2026-11-10T00:00:00Z", .authorized_at = ""});
    const auto p = pay(o, {.status = "declined", .amount = 5000, .token = "tok_club_cvv_mismatch", .ref = "",
                           .created_at = "2026-11-18T00:00:00Z", .authorized_at = "", .reauth_attempts = 1,
                           .last_attempt_at = "2026-11-20T12:00:00Z"});
    auto st = run(JobKind::reauth);
    EXPECT_EQ(pay_text(p, "status"), "authorized");
    EXPECT_FALSE(pay_text(p, "gateway_ref").empty());
    EXPECT_EQ(pay_text(p, "authorized_at"), "2026-11-22T12:00:00Z");
    EXPECT_EQ(pay_text(p, "cvv_result"), "mismatch");
    EXPECT_EQ(order_status(o), "Ready to Process");
    EXPECT_EQ(last_reason(o), "club_reauthorized");
    EXPECT_EQ(t.scalar("SELECT amount_cents FROM gateway_operations"), 5000);
    EXPECT_EQ(st.changed, 1);
}

TEST_P(ReauthRules, RA5_ClubRetryDeclinedCountsTheAttempt) {
    const auto o = order("C-1", 5000, "Club CC Exception", "is_club = 1");
    const auto p = pay(o, {.status = "declined", .amount = 5000, .token = "decline_club", .ref = "",
                           .created_at = "2026-11-18T00:00:00Z", .authorized_at = ""});
    run(JobKind::reauth);
    EXPECT_EQ(pay_text(p, "status"), "declined");
    EXPECT_EQ(pay_int(p, "reauth_attempts"), 1);
    EXPECT_EQ(pay_text(p, "last_attempt_at"), "2026-11-22T12:00:00Z");
    EXPECT_EQ(order_status(o), "Club CC Exception");
    // The next run is within the interval: no new attempt.
    run(JobKind::reauth, kPayNow + std::chrono::hours(24));
    EXPECT_EQ(pay_int(p, "reauth_attempts"), 1);
    // After the interval: the second attempt, a new key.
    run(JobKind::reauth, kPayNow + std::chrono::hours(48));
    EXPECT_EQ(pay_int(p, "reauth_attempts"), 2);
    EXPECT_EQ(t.scalar("SELECT count(DISTINCT idempotency_key) FROM gateway_operations"), 2);
}

TEST_P(ReauthRules, RA5_NoRetryWhenAttemptsExhaustedIntervalNotPassedOrNotClub) {
    const auto a = order("C-1", 5000, "Club CC Exception", "is_club = 1");
    const auto pa = pay(a, {.status = "declined", .amount = 5000, .ref = "", .authorized_at = "", .reauth_attempts = 3,
                            .last_attempt_at = "2026-11-01T00:00:00Z"});
    const auto b = order("C-2", 5000, "Club CC Exception", "is_club = 1");
    const auto pb = pay(b, {.status = "declined", .amount = 5000, .ref = "", .created_at = "2026-11-21T00:00:00Z",
                            .authorized_at = ""});
    const auto c = order("C-3", 5000, "Club CC Exception");
    const auto pc = pay(c, {.status = "declined", .amount = 5000, .ref = "", .authorized_at = ""});
    const auto d = order("C-4", 5000, "Club CC Exception", "is_club = 1");
    pay(d, {.status = "declined", .amount = 5000, .ref = "", .authorized_at = ""});
    pay(d, {.status = "authorized", .amount = 5000, .ref = "sbx_auth_d"});
    run(JobKind::reauth);
    EXPECT_EQ(pay_text(pa, "status"), "declined");
    EXPECT_EQ(pay_text(pb, "status"), "declined");
    EXPECT_EQ(pay_text(pc, "status"), "declined");
    EXPECT_EQ(ops(), 0);
}

TEST_P(ReauthRules, RA6_UnknownOutcomeIsLeftThenResolvedWithTheSameKey) {
    const auto o = order("A-1");
    PaymentSpec s = kAged;
    s.token = "tok_timeout";
    const auto p = pay(o, s);
    // The first answer of each request is lost (the sandbox: void and authorize; the test
    // server: the authorization): each is left unknown, then repeated with its key.
    auto st = run(JobKind::reauth);
    EXPECT_EQ(st.deferred, 1);
    EXPECT_EQ(order_status(o), "Ready to Process");
    EXPECT_EQ(ops("state = 'unknown'"), 1);
    for (int i = 1; i <= 3 && ops("state IN ('pending', 'unknown')") > 0; ++i)
        run(JobKind::reauth, kPayNow + std::chrono::minutes(30 * i));
    EXPECT_EQ(ops("state IN ('pending', 'unknown')"), 0);
    EXPECT_EQ(pay_text(p, "status"), "voided");
    const auto n = replacement(p);
    ASSERT_NE(n, 0);
    EXPECT_EQ(pay_text(n, "status"), "authorized");
    EXPECT_EQ(ops("operation = 'authorize'"), 1) << "one journal row and key per request";
    EXPECT_EQ(ops("operation = 'void'"), 1);
    EXPECT_EQ(t.scalar("SELECT count(*) FROM payments"), 2) << "no second new row";
    EXPECT_EQ(order_status(o), "Ready to Process");
}

TEST_P(ReauthRules, RABadData_MissingAuthorizedAtOrCardTokenGoesToException) {
    const auto a = order("A-1");
    const auto pa = pay(a, {.ref = "sbx_auth_a", .authorized_at = ""});
    const auto b = order("B-1");
    PaymentSpec s = kAged;
    s.token = "";
    const auto pb = pay(b, s);
    auto st = run(JobKind::reauth);
    EXPECT_EQ(last_reason(a), "bad_data:payments.authorized_at:payments.id=" + std::to_string(pa));
    EXPECT_EQ(last_reason(b), "bad_data:payments.card_token:payments.id=" + std::to_string(pb));
    EXPECT_EQ(order_status(b), "CC Exceptions");
    EXPECT_EQ(ops(), 0);
    EXPECT_EQ(st.errors, 2);
}

TEST_P(ReauthRules, RAExplain_SaysWhatWouldBeDone) {
    const auto o = order("A-1");
    pay(o, kAged);
    const std::string text = explain(JobKind::reauth, "A-1");
    EXPECT_NE(text.find("RA-2"), std::string::npos) << text;
    EXPECT_NE(text.find("RA-3"), std::string::npos) << text;
    EXPECT_NE(text.find("would void"), std::string::npos) << text;
    EXPECT_EQ(ops(), 0);
}

INSTANTIATE_TEST_SUITE_P(Gateways, ReauthRules, ::testing::Values(Backend::sandbox, Backend::stripe), backend_name);

}  // namespace
}  // namespace olmd::test
