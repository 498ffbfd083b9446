// The reauth rules (RA-2..RA-6, bad data) on the in-memory payment ports and a
// scripted gateway (unit/payments_memory_fixture.hpp): no SQLite, no sandbox ledger;
// the reauth job and its payment engine see only RunServices. Each test checks a
// rule that reauth_rules_test.cpp checks against the sandbox and the Stripe test
// server, with the same expectations on what the job writes and on what it sends.
#include "unit/payments_memory_fixture.hpp"

namespace olmd::test {
namespace {

using domain::Operation;
using domain::Outcome;

class ReauthOnMemory : public MemoryPaymentsWorld {
protected:
    ReauthOnMemory() {
        cfg.reauth.enabled = true;
        cfg.reauth.statuses = {"Ready to Process"};
    }
};

// 2026-11-22T12:00Z minus 6 days = 2026-11-16T12:00Z.
const PaymentSpec kAged{.amount = 10000, .ref = "auth_old", .authorized_at = "2026-11-15T09:00:00Z"};

TEST_F(ReauthOnMemory, RA2_OnlyAgedUncapturedAuthorizationsInListedStatuses) {
    const auto a = order("A-1");
    const auto pa = pay(a, kAged);
    const auto y = order("Y-1");
    const auto py = pay(y, {.ref = "auth_y", .authorized_at = "2026-11-16T12:00:01Z"});
    const auto e = order("E-1");
    const auto pe = pay(e, {.ref = "auth_e", .authorized_at = "2026-11-16T12:00:00Z"});
    const auto f = order("F-1");
    const auto pf = pay(f, {.amount = 10000, .captured = 10000, .ref = "auth_f", .authorized_at = "2026-11-10T00:00:00Z"});
    const auto s = order("S-1", 10000, "Ready to Source");
    const auto ps = pay(s, {.ref = "auth_s", .authorized_at = "2026-11-10T00:00:00Z"});
    auto st = run(JobKind::reauth);
    EXPECT_TRUE(st.failure.empty()) << st.failure;
    EXPECT_EQ(payment(pa).status, "voided");
    EXPECT_EQ(payment(pe).status, "voided") << "exactly after_days old counts";
    EXPECT_EQ(payment(py).status, "authorized");
    EXPECT_EQ(payment(pf).status, "authorized");
    EXPECT_EQ(payment(ps).status, "authorized");
    EXPECT_NE(replacement(pa), 0);
    EXPECT_EQ(replacement(py), 0);
    EXPECT_EQ(sent_for(Operation::void_auth, "auth_y"), 0);
    EXPECT_EQ(sent_for(Operation::void_auth, "auth_s"), 0);
}

TEST_F(ReauthOnMemory, RA3_VoidThenAuthorizeReplacesTheAuthorization) {
    script.decide = [this](const domain::Request& r) {
        domain::Answer a = script.approve(r);
        if (r.op == Operation::authorize) a.avs_result = "mismatch";
        return a;
    };
    const auto o = order("A-1", 10000);
    const auto p = pay(o, {.amount = 10000, .captured = 2500, .token = "tok_visa_avs_mismatch", .ref = "auth_old",
                           .authorized_at = "2026-11-15T09:00:00Z", .customer_ref = "cus_9"});
    run(JobKind::reauth);
    EXPECT_EQ(payment(p).status, "voided");
    const auto n = replacement(p);
    ASSERT_NE(n, 0);
    EXPECT_EQ(payment(n).status, "authorized");
    EXPECT_EQ(payment(n).amount_cents, 7500) << "amount - captured";
    EXPECT_EQ(payment(n).captured_cents, 0);
    EXPECT_EQ(payment(n).authorized_at, "2026-11-22T12:00:00Z");
    EXPECT_EQ(payment(n).card_token, "tok_visa_avs_mismatch");
    EXPECT_EQ(payment(n).customer_ref, "cus_9");
    EXPECT_EQ(payment(n).avs_result, "mismatch");
    EXPECT_FALSE(payment(n).gateway_ref.empty());
    EXPECT_NE(payment(n).gateway_ref, "auth_old");
    EXPECT_EQ(order_status(o), "Ready to Process");
    EXPECT_EQ(journal_operations(), "void,authorize") << "void first, then authorize";
    ASSERT_EQ(script.of(Operation::authorize).size(), 1u);
    EXPECT_EQ(script.of(Operation::authorize)[0].amount, 7500);
    EXPECT_EQ(script.of(Operation::authorize)[0].card_token, "tok_visa_avs_mismatch");
}

TEST_F(ReauthOnMemory, RA3_AuthorizeThenVoidTakesTheNewHoldFirst) {
    cfg.reauth.order = config::ReauthOrder::authorize_then_void;
    const auto o = order("A-1");
    const auto p = pay(o, kAged);
    run(JobKind::reauth);
    EXPECT_EQ(payment(p).status, "voided");
    const auto n = replacement(p);
    ASSERT_NE(n, 0);
    EXPECT_EQ(payment(n).status, "authorized");
    EXPECT_EQ(journal_operations(), "authorize,void");
}

TEST_F(ReauthOnMemory, RA4_DeclinedVoidIsRecordedAndTheAuthorizationStillAttempted) {
    script.decide = [this](const domain::Request& r) {
        return r.op == Operation::void_auth ? answer(Outcome::declined, "void_declined") : script.approve(r);
    };
    const auto o = order("A-1");
    const auto p = pay(o, kAged);
    run(JobKind::reauth);
    std::string void_state;
    for (const auto& j : data.journal)
        if (j.op.operation == Operation::void_auth) void_state = std::string(domain::to_string(j.op.state));
    EXPECT_EQ(void_state, "declined");
    EXPECT_EQ(payment(p).status, "voided");
    const auto n = replacement(p);
    ASSERT_NE(n, 0);
    EXPECT_EQ(payment(n).status, "authorized");
    EXPECT_EQ(order_status(o), "Ready to Process");
}

TEST_F(ReauthOnMemory, RA4_DeclinedAuthorizationGoesToException) {
    script.decide = [this](const domain::Request& r) {
        return r.op == Operation::authorize ? answer(Outcome::declined, "card_declined") : script.approve(r);
    };
    const auto o = order("A-1");
    const auto p = pay(o, kAged);
    auto st = run(JobKind::reauth);
    EXPECT_EQ(payment(p).status, "voided");
    const auto n = replacement(p);
    ASSERT_NE(n, 0);
    EXPECT_EQ(payment(n).status, "declined");
    EXPECT_EQ(order_status(o), "CC Exceptions");
    EXPECT_EQ(last_reason(o), "reauth_declined");
    EXPECT_EQ(st.changed, 1);
}

TEST_F(ReauthOnMemory, RA5_ClubRetrySucceedsAndMovesTheOrder) {
    script.decide = [this](const domain::Request& r) {
        domain::Answer a = script.approve(r);
        a.cvv_result = "mismatch";
        return a;
    };
    const auto o = order("C-1", 5000, "Club CC Exception", true);
    pay(o, {.status = "declined", .amount = 5000, .ref = "", .created_at = "2026-11-10T00:00:00Z", .authorized_at = ""});
    const auto p = pay(o, {.status = "declined", .amount = 5000, .token = "tok_club_cvv_mismatch", .ref = "",
                           .created_at = "2026-11-18T00:00:00Z", .authorized_at = "", .reauth_attempts = 1,
                           .last_attempt_at = "2026-11-20T12:00:00Z"});
    auto st = run(JobKind::reauth);
    EXPECT_EQ(payment(p).status, "authorized");
    EXPECT_FALSE(payment(p).gateway_ref.empty());
    EXPECT_EQ(payment(p).authorized_at, "2026-11-22T12:00:00Z");
    EXPECT_EQ(payment(p).cvv_result, "mismatch");
    EXPECT_EQ(order_status(o), "Ready to Process");
    EXPECT_EQ(last_reason(o), "club_reauthorized");
    ASSERT_EQ(data.journal.size(), 1u);
    EXPECT_EQ(data.journal[0].op.amount_cents, 5000);
    ASSERT_EQ(script.sent.size(), 1u);
    EXPECT_EQ(script.sent[0].card_token, "tok_club_cvv_mismatch") << "the latest declined card payment";
    EXPECT_EQ(st.changed, 1);
}

TEST_F(ReauthOnMemory, RA5_ClubRetryDeclinedCountsTheAttempt) {
    script.decide = [](const domain::Request&) { return answer(Outcome::declined, "card_declined"); };
    const auto o = order("C-1", 5000, "Club CC Exception", true);
    const auto p = pay(o, {.status = "declined", .amount = 5000, .token = "decline_club", .ref = "",
                           .created_at = "2026-11-18T00:00:00Z", .authorized_at = ""});
    run(JobKind::reauth);
    EXPECT_EQ(payment(p).status, "declined");
    EXPECT_EQ(payment(p).reauth_attempts, 1);
    EXPECT_EQ(payment(p).last_attempt_at, "2026-11-22T12:00:00Z");
    EXPECT_EQ(order_status(o), "Club CC Exception");
    // The next run is within the interval: no new attempt.
    run(JobKind::reauth, kPayNow + std::chrono::hours(24));
    EXPECT_EQ(payment(p).reauth_attempts, 1);
    EXPECT_EQ(script.sent.size(), 1u);
    // After the interval: the second attempt, a new key.
    run(JobKind::reauth, kPayNow + std::chrono::hours(48));
    EXPECT_EQ(payment(p).reauth_attempts, 2);
    ASSERT_EQ(script.sent.size(), 2u);
    EXPECT_NE(script.sent[0].idempotency_key, script.sent[1].idempotency_key);
    ASSERT_EQ(data.journal.size(), 2u);
    EXPECT_NE(data.journal[0].op.idempotency_key, data.journal[1].op.idempotency_key);
}

TEST_F(ReauthOnMemory, RA5_NoRetryWhenAttemptsExhaustedIntervalNotPassedOrNotClub) {
    const auto a = order("C-1", 5000, "Club CC Exception", true);
    const auto pa = pay(a, {.status = "declined", .amount = 5000, .ref = "", .authorized_at = "", .reauth_attempts = 3,
                            .last_attempt_at = "2026-11-01T00:00:00Z"});
    const auto b = order("C-2", 5000, "Club CC Exception", true);
    const auto pb = pay(b, {.status = "declined", .amount = 5000, .ref = "", .created_at = "2026-11-21T00:00:00Z",
                            .authorized_at = ""});
    const auto c = order("C-3", 5000, "Club CC Exception");
    const auto pc = pay(c, {.status = "declined", .amount = 5000, .ref = "", .authorized_at = ""});
    const auto d = order("C-4", 5000, "Club CC Exception", true);
    pay(d, {.status = "declined", .amount = 5000, .ref = "", .authorized_at = ""});
    pay(d, {.status = "authorized", .amount = 5000, .ref = "auth_d"});
    run(JobKind::reauth);
    EXPECT_EQ(payment(pa).status, "declined");
    EXPECT_EQ(payment(pb).status, "declined");
    EXPECT_EQ(payment(pc).status, "declined");
    EXPECT_TRUE(data.journal.empty());
    EXPECT_TRUE(script.sent.empty());
}

TEST_F(ReauthOnMemory, RA6_UnknownOutcomeIsLeftThenResolvedWithTheSameKey) {
    // The first answer of each request is lost: each is left unknown, then repeated with its key.
    std::vector<std::string> answered_keys;
    script.decide = [&](const domain::Request& r) {
        const bool first = std::find(answered_keys.begin(), answered_keys.end(), r.idempotency_key) == answered_keys.end();
        answered_keys.push_back(r.idempotency_key);
        return first ? answer(Outcome::unknown, "timeout") : script.approve(r);
    };
    const auto o = order("A-1");
    const auto p = pay(o, kAged);
    auto st = run(JobKind::reauth);
    EXPECT_EQ(st.deferred, 1);
    EXPECT_EQ(order_status(o), "Ready to Process");
    EXPECT_EQ(open_ops(), 1);
    for (int i = 1; i <= 3 && open_ops() > 0; ++i) run(JobKind::reauth, kPayNow + std::chrono::minutes(30 * i));
    EXPECT_EQ(open_ops(), 0);
    EXPECT_EQ(payment(p).status, "voided");
    const auto n = replacement(p);
    ASSERT_NE(n, 0);
    EXPECT_EQ(payment(n).status, "authorized");
    EXPECT_EQ(journal_operations(), "void,authorize") << "one journal row and key per request";
    EXPECT_EQ(script.of(Operation::void_auth).size(), 2u) << "the void sent, then replayed";
    EXPECT_EQ(script.of(Operation::authorize).size(), 2u) << "the authorization sent, then replayed";
    for (const auto& j : data.journal) {
        int with_key = 0;
        for (const auto& r : script.sent) with_key += r.idempotency_key == j.op.idempotency_key ? 1 : 0;
        EXPECT_EQ(with_key, 2) << j.op.idempotency_key;
    }
    EXPECT_EQ(payments(), 2u) << "no second new row";
    EXPECT_EQ(order_status(o), "Ready to Process");
}

TEST_F(ReauthOnMemory, RABadData_MissingAuthorizedAtOrCardTokenGoesToException) {
    const auto a = order("A-1");
    const auto pa = pay(a, {.ref = "auth_a", .authorized_at = ""});
    const auto b = order("B-1");
    PaymentSpec s = kAged;
    s.token = "";
    const auto pb = pay(b, s);
    auto st = run(JobKind::reauth);
    EXPECT_EQ(last_reason(a), "bad_data:payments.authorized_at:payments.id=" + std::to_string(pa));
    EXPECT_EQ(last_reason(b), "bad_data:payments.card_token:payments.id=" + std::to_string(pb));
    EXPECT_EQ(order_status(b), "CC Exceptions");
    EXPECT_TRUE(data.journal.empty());
    EXPECT_TRUE(script.sent.empty());
    EXPECT_EQ(st.errors, 2);
}

TEST_F(ReauthOnMemory, RAExplain_SaysWhatWouldBeDone) {
    const auto o = order("A-1");
    const auto p = pay(o, kAged);
    const std::string text = explain(JobKind::reauth, "A-1");
    EXPECT_NE(text.find("RA-2"), std::string::npos) << text;
    EXPECT_NE(text.find("RA-3"), std::string::npos) << text;
    EXPECT_NE(text.find("would void"), std::string::npos) << text;
    EXPECT_TRUE(data.journal.empty());
    EXPECT_EQ(payment(p).status, "authorized");
    EXPECT_EQ(replacement(p), 0);
    EXPECT_TRUE(script.sent.empty());
}

}  // namespace
}  // namespace olmd::test
