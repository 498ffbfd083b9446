// The Stripe client on its own against the Stripe test server: protocol, idempotency,
// retries and their backoff on the injected clock, ambiguous answers, unexpected states,
// partial captures, zero-decimal currencies, classification, lookups, a wrong key.

#include <gtest/gtest.h>

#include <chrono>
#include <limits>
#include <thread>

#include "gateway/stripe.hpp"
#include "payments_test_util.hpp"
#include "support/test_clock.hpp"
#include "unit/gateway_request.hpp"

namespace olmd::test {
namespace {

using namespace std::chrono_literals;
using domain::Operation;
using domain::Outcome;

class StripeGateway : public ::testing::Test {
protected:
    explicit StripeGateway(StripeServerOptions o = {}) : server(o) {
        key_file = dir.file("key");
        write_file(key_file, server.api_key() + "\n");
        cfg.kind = config::GatewayKind::stripe;
        cfg.url = server.url();
        cfg.api_key_file = key_file;
        cfg.timeout_ms = 5000;
    }
    std::unique_ptr<domain::Gateway> gw() { return gateway::make_gateway(cfg, db.db(), test::instant_clock(), never_stopped()).value(); }
    bool any_body_has(const std::string& s) {
        for (const auto& b : server.bodies())
            if (b.find(s) != std::string::npos) return true;
        return false;
    }
    TempDir dir;
    TestDb db;
    StripeTestServer server;
    std::string key_file;
    config::GatewayConfig cfg;
};

TEST_F(StripeGateway, StripeProtocol_AuthorizeCaptureAndVoidSendTheConfiguredSubset) {
    auto g = gw();
    auto a = g->authorize(req(Operation::authorize, "olmd-k-1", 1234, "pm_card_visa", "", "cus_7"));
    ASSERT_EQ(a.outcome, Outcome::succeeded) << a.detail;
    EXPECT_EQ(a.gateway_ref.rfind("pi_", 0), 0u);
    EXPECT_EQ(a.avs_result, "match");
    EXPECT_EQ(a.cvv_result, "match");
    for (const char* f : {"amount=1234", "currency=usd", "payment_method_types%5B%5D=card", "capture_method=manual",
                          "confirm=true", "off_session=true", "payment_method=pm_card_visa", "customer=cus_7",
                          "metadata%5Bolmd_key%5D=olmd-k-1", "expand%5B%5D=latest_charge"})
        EXPECT_TRUE(any_body_has(f)) << f;
    auto c = g->capture(req(Operation::capture, "olmd-k-2", 1234, "", a.gateway_ref));
    EXPECT_EQ(c.outcome, Outcome::succeeded) << c.detail;
    EXPECT_EQ(c.amount_received, 1234);
    EXPECT_EQ(c.amount_capturable, 0);
    EXPECT_TRUE(any_body_has("/capture: amount_to_capture=1234&expand%5B%5D=latest_charge"));
    EXPECT_EQ(server.captures(a.gateway_ref), 1);
    auto b = g->authorize(req(Operation::authorize, "olmd-k-3", 500));
    auto v = g->void_auth(req(Operation::void_auth, "olmd-k-4", 500, "", b.gateway_ref));
    EXPECT_EQ(v.outcome, Outcome::succeeded) << v.detail;
    EXPECT_EQ(server.intent(b.gateway_ref)->status, "canceled");
    EXPECT_TRUE(server.violations().empty());
}

TEST_F(StripeGateway, StripeProtocol_ConfirmSendsPaymentMethodTypesCard) {
    // Without payment_method_types Stripe >= 2023-08-16 uses automatic payment methods and
    // refuses a confirm without return_url: the test server does the same (stripe_openapi_test).
    auto a = gw()->authorize(req(Operation::authorize, "olmd-k-1", 1000, "pm_card_visa", "", "cus_1"));
    ASSERT_EQ(a.outcome, Outcome::succeeded) << a.detail;
    EXPECT_TRUE(any_body_has("payment_method_types%5B%5D=card"));
    EXPECT_TRUE(server.violations().empty());
}

TEST_F(StripeGateway, StripeProtocol_EveryRequestPinsTheConfiguredStripeVersion) {
    cfg.stripe_api_version = "2023-08-16";
    auto g = gw();
    auto a = g->authorize(req(Operation::authorize, "k1", 1000, "pm_card_visa", "", "cus_1"));
    g->capture(req(Operation::capture, "k2", 1000, "", a.gateway_ref));
    g->lookup(req(Operation::authorize, "k1", 1000));
    g->lookup(req(Operation::capture, "k2", 1000, "", a.gateway_ref));
    g->void_auth(req(Operation::void_auth, "k3", 1000, "", a.gateway_ref));
    const auto seen = server.seen();
    ASSERT_GE(seen.size(), 5u);
    for (const auto& r : seen) {
        EXPECT_EQ(r.stripe_version, "2023-08-16") << r.method << " " << r.path;
        if (r.method == "GET") {
            EXPECT_NE(r.query.find("latest_charge"), std::string::npos) << r.path;
        } else {
            EXPECT_FALSE(r.idempotency_key.empty()) << r.path;
        }
    }
}

TEST_F(StripeGateway, StripeChecks_AvsAndCvvAreReadFromTheExpandedLatestCharge) {
    auto g = gw();
    auto a = g->authorize(req(Operation::authorize, "k1", 1000, "pm_card_visa_avs_mismatch", "", "cus_1"));
    EXPECT_EQ(a.avs_result, "mismatch");
    EXPECT_EQ(a.cvv_result, "match");
    a = g->authorize(req(Operation::authorize, "k2", 1000, "pm_card_cvcCheckFail", "", "cus_1"));
    EXPECT_EQ(a.avs_result, "match");
    EXPECT_EQ(a.cvv_result, "mismatch");
    a = g->authorize(req(Operation::authorize, "k3", 1000, "pm_card_avsUnchecked_cvcUnavailable", "", "cus_1"));
    EXPECT_EQ(a.avs_result, "unavailable");
    EXPECT_EQ(a.cvv_result, "unavailable");
    auto c = g->capture(req(Operation::capture, "k4", 1000, "", a.gateway_ref));
    EXPECT_EQ(c.avs_result, "unavailable") << "the capture's answer carries the charge too";
    auto d = g->authorize(req(Operation::authorize, "k5", 1000, "pm_card_chargeDeclined_cvcfail", "", "cus_1"));
    EXPECT_EQ(d.outcome, Outcome::declined);
    EXPECT_EQ(d.cvv_result, "mismatch") << "read from the decline's error.payment_intent.latest_charge";
    EXPECT_EQ(d.gateway_ref.rfind("pi_", 0), 0u);
}

TEST_F(StripeGateway, StripeClassification_InvalidRequestIsRejectedNotDeclined) {
    // A saved PaymentMethod without its Customer: Stripe answers 400 invalid_request_error.
    auto a = gw()->authorize(req(Operation::authorize, "k1", 1000, "tok_visa_1"));
    EXPECT_EQ(a.outcome, Outcome::rejected) << a.detail;
    EXPECT_EQ(a.response_code, "invalid_request_error");
    EXPECT_NE(a.detail.find("Customer"), std::string::npos);
    EXPECT_EQ(a.detail.find("tok_visa_1"), std::string::npos) << "no card token in texts";
    auto c = gw()->capture(req(Operation::capture, "k2", 0, "", "pi_x"));
    EXPECT_EQ(c.outcome, Outcome::rejected) << "never sent";
    server.add_intent("pi_small", 500);
    auto big = gw()->capture(req(Operation::capture, "k3", 900, "", "pi_small"));
    EXPECT_EQ(big.outcome, Outcome::rejected) << big.detail;
    EXPECT_EQ(big.response_code, "amount_too_large");
    EXPECT_EQ(server.captures("pi_small"), 0);
}

TEST_F(StripeGateway, StripeReauthorize_OnlyWithACustomerRef) {
    auto g = gw();
    EXPECT_TRUE(g->can_reauthorize(req(Operation::authorize, "k", 100, "pm_1", "", "cus_1")));
    EXPECT_FALSE(g->can_reauthorize(req(Operation::authorize, "k", 100, "pm_1", "", "")));
    EXPECT_FALSE(g->can_reauthorize(req(Operation::authorize, "k", 100, "", "", "cus_1")));
}

TEST_F(StripeGateway, StripeZeroDecimal_JpyIsSentInWholeYenAndReadBackInCents) {
    cfg.currency = "jpy";
    auto g = gw();
    auto a = g->authorize(req(Operation::authorize, "k1", 150000, "pm_card_visa", "", "cus_1"));
    ASSERT_EQ(a.outcome, Outcome::succeeded) << a.detail;
    EXPECT_TRUE(any_body_has("amount=1500&currency=jpy"));
    EXPECT_EQ(server.intent(a.gateway_ref)->amount, 1500);
    auto c = g->capture(req(Operation::capture, "k2", 100000, "", a.gateway_ref));
    EXPECT_EQ(c.outcome, Outcome::succeeded) << c.detail;
    EXPECT_TRUE(any_body_has("amount_to_capture=1000&"));
    EXPECT_EQ(c.amount_received, 100000) << "1000 yen, in olmd's cents";
    const auto sent = server.requests();
    auto odd = g->authorize(req(Operation::authorize, "k3", 150050, "pm_card_visa", "", "cus_1"));
    EXPECT_EQ(odd.outcome, Outcome::rejected);
    EXPECT_EQ(odd.response_code, "invalid_amount");
    EXPECT_NE(odd.detail.find("jpy"), std::string::npos);
    EXPECT_EQ(server.requests(), sent) << "never sent";
    EXPECT_EQ(gateway::to_stripe_amount(1234, "usd"), 1234);
    EXPECT_EQ(gateway::to_stripe_amount(1200, "krw"), 12);
    EXPECT_EQ(gateway::to_stripe_amount(1234, "kwd"), 12340);
    EXPECT_EQ(gateway::from_stripe_amount(12340, "kwd"), 1234);
    EXPECT_FALSE(gateway::to_stripe_amount(1250, "isk").has_value());
    // Fuzz finding F5: amounts past what cents hold saturate instead of wrapping.
    EXPECT_EQ(gateway::from_stripe_amount(999999999999999999, "jpy"), std::numeric_limits<Cents>::max());
    EXPECT_FALSE(gateway::to_stripe_amount(std::numeric_limits<Cents>::max(), "kwd").has_value());
}

TEST_F(StripeGateway, CAP5_PartialCaptureThenRemainderReleased_IsNotReportedAsCaptured) {
    auto g = gw();
    auto a = g->authorize(req(Operation::authorize, "k1", 10000, "pm_card_visa", "", "cus_1"));
    auto p = g->capture(req(Operation::capture, "k2", 4000, "", a.gateway_ref));
    ASSERT_EQ(p.outcome, Outcome::succeeded) << p.detail;
    EXPECT_EQ(p.amount_received, 4000);
    EXPECT_EQ(p.amount_capturable, 0) << "Stripe released the remainder";
    auto rest = g->capture(req(Operation::capture, "k3", 6000, "", a.gateway_ref));
    EXPECT_EQ(rest.outcome, Outcome::declined) << rest.detail;
    EXPECT_EQ(rest.response_code, domain::kAuthorizationReleased);
    EXPECT_EQ(rest.amount_received, 4000) << "what the intent really received";
    EXPECT_EQ(rest.gateway_ref, a.gateway_ref);
    EXPECT_EQ(server.captures(a.gateway_ref), 1);
    // Captured elsewhere (back office), then olmd's full capture.
    server.add_intent("pi_bo", 10000);
    ASSERT_TRUE(server.capture_elsewhere("pi_bo", 2500));
    auto full = g->capture(req(Operation::capture, "k4", 10000, "", "pi_bo"));
    EXPECT_EQ(full.response_code, domain::kAuthorizationReleased);
    EXPECT_EQ(full.amount_received, 2500);
    auto look = g->lookup(req(Operation::capture, "k4", 10000, "", "pi_bo"));
    EXPECT_EQ(look.state, domain::LookupState::applied);
    EXPECT_EQ(look.answer.outcome, Outcome::declined) << "a lookup never claims a capture that did not happen";
    EXPECT_EQ(look.answer.amount_received, 2500);
}

TEST_F(StripeGateway, CAP7_CaptureResentWithAnotherKeyAfterItWasApplied_IsSucceeded) {
    // The capture was applied, its answer lost and its key expired: a new key meets
    // payment_intent_unexpected_state, and the intent shows the capture already received.
    server.add_intent("pi_done", 7000, "succeeded");
    auto c = gw()->capture(req(Operation::capture, "k-new", 7000, "", "pi_done"));
    EXPECT_EQ(c.outcome, Outcome::succeeded) << c.detail;
    EXPECT_EQ(c.amount_received, 7000);
    EXPECT_EQ(server.captures("pi_done"), 0);
}

TEST_F(StripeGateway, RA4_VoidOfACapturedAuthorization_IsAlreadyCapturedWithTheAmount) {
    server.add_intent("pi_cap", 8000, "succeeded");
    auto v = gw()->void_auth(req(Operation::void_auth, "k1", 8000, "", "pi_cap"));
    EXPECT_EQ(v.outcome, Outcome::declined) << v.detail;
    EXPECT_EQ(v.response_code, domain::kAlreadyCaptured);
    EXPECT_EQ(v.amount_received, 8000);
    auto l = gw()->lookup(req(Operation::void_auth, "k1", 8000, "", "pi_cap"));
    EXPECT_EQ(l.state, domain::LookupState::applied);
    EXPECT_EQ(l.answer.response_code, domain::kAlreadyCaptured);
    server.add_intent("pi_exp", 8000);
    ASSERT_TRUE(server.expire("pi_exp"));
    EXPECT_EQ(gw()->void_auth(req(Operation::void_auth, "k2", 8000, "", "pi_exp")).outcome, Outcome::succeeded)
        << "the hold no longer exists";
    EXPECT_EQ(gw()->capture(req(Operation::capture, "k3", 8000, "", "pi_exp")).response_code, "intent_canceled");
}

TEST_F(StripeGateway, StripeIdempotency_SameKeyIsReplayedOtherParametersAreNeverApplied) {
    auto g = gw();
    auto a1 = g->authorize(req(Operation::authorize, "olmd-k-1", 1000));
    auto a2 = g->authorize(req(Operation::authorize, "olmd-k-1", 1000));
    EXPECT_EQ(a1.gateway_ref, a2.gateway_ref);
    EXPECT_EQ(server.applied(), 1);
    auto a3 = g->authorize(req(Operation::authorize, "olmd-k-1", 2000));
    EXPECT_EQ(a3.outcome, Outcome::unknown);
    EXPECT_EQ(a3.response_code, "idempotency_error");
    EXPECT_EQ(server.intents().size(), 1u);
}

TEST_F(StripeGateway, StripeDecline_CardErrorIsDeclined) {
    auto a = gw()->authorize(req(Operation::authorize, "olmd-k-1", 1000, "pm_card_chargeDeclined"));
    EXPECT_EQ(a.outcome, Outcome::declined);
    EXPECT_EQ(a.response_code, "generic_decline");
}

TEST_F(StripeGateway, StripeRetries_ServerErrorsAreRetriedWithTheSameKeyThenUnknown) {
    cfg.max_retries = 2;
    server.set_failure_rate(1.0);
    auto a = gw()->authorize(req(Operation::authorize, "olmd-k-1", 1000));
    EXPECT_EQ(a.outcome, Outcome::unknown);
    EXPECT_EQ(server.requests(), 3) << "1 + max_retries";
    server.set_failure_rate(0);
    auto b = gw()->authorize(req(Operation::authorize, "olmd-k-1", 1000));
    EXPECT_EQ(b.outcome, Outcome::succeeded);
    EXPECT_EQ(server.applied(), 1);
}

TEST_F(StripeGateway, OPS2_RetryBackoffWaitsOnTheInjectedClock) {
    cfg.max_retries = 2;
    server.set_failure_rate(1.0);
    domain::FakeClock clock(Instant{}, domain::FakeClock::Mode::auto_advance);
    auto g = gateway::make_gateway(cfg, db.db(), clock, never_stopped()).value();
    const auto t0 = clock.steady_now();
    auto a = g->authorize(req(Operation::authorize, "olmd-k-1", 1000));
    EXPECT_EQ(a.outcome, Outcome::unknown);
    EXPECT_EQ(server.requests(), 3);
    EXPECT_EQ(clock.steady_now() - t0, 1500ms) << "500 ms, then 1000 ms, after an HTTP 5xx";
}

TEST_F(StripeGateway, OPS2_StopRequestedEndsTheRetriesAndTheAnswerStaysUnknown) {
    cfg.max_retries = 5;
    server.set_failure_rate(1.0);
    StopSource stop;
    stop.request_stop();
    auto g = gateway::make_gateway(cfg, db.db(), test::wall_clock(), stop).value();
    auto a = g->authorize(req(Operation::authorize, "olmd-k-1", 1000));
    EXPECT_EQ(a.outcome, Outcome::unknown) << "OPS-6 resolves it on the next run";
    EXPECT_EQ(server.requests(), 1) << "no retry once SIGTERM arrived";
}

TEST_F(StripeGateway, OPS2_StopCutsABackoffInProgressOnTheRealClock) {
    cfg.max_retries = 5;  // 0.5 + 1 + 2 + 4 + 4 s of backoff if nothing cuts it
    server.set_failure_rate(1.0);
    StopSource stop;
    auto g = gateway::make_gateway(cfg, db.db(), test::wall_clock(), stop).value();
    std::thread sigterm([&] {
        std::this_thread::sleep_for(200ms);
        stop.request_stop();
    });
    const auto t0 = std::chrono::steady_clock::now();
    auto a = g->authorize(req(Operation::authorize, "olmd-k-1", 1000));
    const auto took = std::chrono::steady_clock::now() - t0;
    sigterm.join();
    EXPECT_EQ(a.outcome, Outcome::unknown);
    EXPECT_LT(took, 5s) << "the stop ended the 11.5 s of backoff";
    EXPECT_LE(server.requests(), 2);
}

TEST_F(StripeGateway, StripeAmbiguous_AnswerLostAfterApplyingIsRetriedAndReplayedNotReapplied) {
    cfg.max_retries = 2;
    auto a = gw()->authorize(req(Operation::authorize, "olmd-k-1", 1000, "pm_timeout", "", "cus_1"));
    EXPECT_EQ(a.outcome, Outcome::succeeded) << a.detail;
    EXPECT_EQ(server.applied(), 1);
    EXPECT_EQ(server.intents().size(), 1u);
    server.set_drop_rate(1.0);
    auto c = gw()->capture(req(Operation::capture, "olmd-k-2", 1000, "", a.gateway_ref));
    EXPECT_EQ(c.outcome, Outcome::unknown);
    EXPECT_EQ(server.captures(a.gateway_ref), 1) << "applied once, every answer lost";
    server.set_drop_rate(0);
    auto c2 = gw()->capture(req(Operation::capture, "olmd-k-2", 1000, "", a.gateway_ref));
    EXPECT_EQ(c2.outcome, Outcome::succeeded);
    EXPECT_EQ(server.captures(a.gateway_ref), 1);
}

TEST_F(StripeGateway, StripeUnexpectedState_TheIntentsRealStateDecides) {
    server.add_intent("pi_done", 500, "succeeded");
    server.add_intent("pi_gone", 500, "canceled");
    auto g = gw();
    EXPECT_EQ(g->capture(req(Operation::capture, "k1", 500, "", "pi_done")).outcome, Outcome::succeeded);
    EXPECT_EQ(server.captures("pi_done"), 0) << "not captured again";
    EXPECT_EQ(g->capture(req(Operation::capture, "k2", 500, "", "pi_gone")).outcome, Outcome::declined);
    EXPECT_EQ(g->void_auth(req(Operation::void_auth, "k3", 500, "", "pi_gone")).outcome, Outcome::succeeded);
    auto vd = g->void_auth(req(Operation::void_auth, "k4", 500, "", "pi_done"));
    EXPECT_EQ(vd.outcome, Outcome::declined);
    EXPECT_EQ(vd.response_code, domain::kAlreadyCaptured);
    auto missing = g->capture(req(Operation::capture, "k5", 500, "", "pi_missing"));
    EXPECT_EQ(missing.outcome, Outcome::declined) << "no such intent: no hold to capture";
    EXPECT_EQ(missing.response_code, "resource_missing");
}

TEST_F(StripeGateway, StripeBadInput_IsRejectedAndNeverSent) {
    auto g = gw();
    EXPECT_EQ(g->authorize(req(Operation::authorize, "k1", 1000, "")).outcome, Outcome::rejected);
    EXPECT_EQ(g->authorize(req(Operation::authorize, "k2", 0)).outcome, Outcome::rejected);
    EXPECT_EQ(g->capture(req(Operation::capture, "k3", 1000, "", "")).outcome, Outcome::rejected);
    EXPECT_EQ(server.requests(), 0);
}

TEST_F(StripeGateway, StripeLookup_AuthorizationSearchedByKeyAndCaptureByIntent) {
    auto g = gw();
    auto a = g->authorize(req(Operation::authorize, "olmd-k-1", 1000));
    auto l = g->lookup(req(Operation::authorize, "olmd-k-1", 1000));
    EXPECT_EQ(l.state, domain::LookupState::applied);
    EXPECT_EQ(l.answer.gateway_ref, a.gateway_ref);
    EXPECT_EQ(g->lookup(req(Operation::authorize, "olmd-k-never", 1000)).state, domain::LookupState::not_applied);
    EXPECT_EQ(g->lookup(req(Operation::capture, "olmd-k-2", 1000, "", a.gateway_ref)).state,
              domain::LookupState::not_applied);
    g->capture(req(Operation::capture, "olmd-k-2", 1000, "", a.gateway_ref));
    auto lc = g->lookup(req(Operation::capture, "olmd-k-2", 1000, "", a.gateway_ref));
    EXPECT_EQ(lc.state, domain::LookupState::applied);
    EXPECT_EQ(lc.answer.outcome, Outcome::succeeded);
    EXPECT_EQ(lc.answer.amount_received, 1000);
    EXPECT_EQ(l.answer.avs_result, "match") << "search expands data.latest_charge";
    auto b = g->authorize(req(Operation::authorize, "olmd-k-3", 1000));
    EXPECT_EQ(g->lookup(req(Operation::void_auth, "olmd-k-4", 1000, "", b.gateway_ref)).state,
              domain::LookupState::not_applied);
    g->void_auth(req(Operation::void_auth, "olmd-k-4", 1000, "", b.gateway_ref));
    auto lv = g->lookup(req(Operation::void_auth, "olmd-k-4", 1000, "", b.gateway_ref));
    EXPECT_EQ(lv.state, domain::LookupState::applied);
    EXPECT_EQ(lv.answer.outcome, Outcome::succeeded);
    auto d = g->authorize(req(Operation::authorize, "olmd-k-5", 1000, "pm_card_chargeDeclined"));
    auto ld = g->lookup(req(Operation::authorize, "olmd-k-5", 1000, "pm_card_chargeDeclined"));
    EXPECT_EQ(ld.state, domain::LookupState::applied);
    EXPECT_EQ(ld.answer.outcome, Outcome::declined);
    EXPECT_EQ(ld.answer.gateway_ref, d.gateway_ref);
    EXPECT_TRUE(server.violations().empty());
}

TEST_F(StripeGateway, StripeUnauthorized_IsRejectedAndNeverShowsTheKey) {
    write_file(key_file, "sk_test_wrong_key_123456\n");
    auto a = gw()->authorize(req(Operation::authorize, "olmd-k-1", 1000));
    EXPECT_EQ(a.outcome, Outcome::rejected) << "nothing happened at Stripe";
    EXPECT_EQ(a.detail.find("sk_test_wrong_key_123456"), std::string::npos);
    EXPECT_EQ(a.detail.find("123456"), std::string::npos);
}

}  // namespace
}  // namespace olmd::test
