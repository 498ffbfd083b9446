// The Stripe gateway's [gateway] settings (API version, authorization days) and what it
// makes of a peer that answers garbage or cannot be reached: unknown, never a crash.

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "olmd/config/loader.hpp"
#include "support/silent_server.hpp"
#include "support/test_http_server.hpp"
#include "gateway/stripe.hpp"
#include "payments_test_util.hpp"
#include "support/test_clock.hpp"
#include "unit/gateway_request.hpp"

namespace olmd::test {
namespace {

using namespace std::chrono_literals;
using domain::Operation;
using domain::Outcome;

TEST(StripeConfig, StripeConfig_ApiVersionAndAuthorizationDaysAreReadAndChecked) {
    auto r = config::load_config_text("[gateway]\nstripe_api_version = \"2024-09-30.acacia\"\n"
                                      "authorization_valid_days = 30\n", "test.toml");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.config->gateway.stripe_api_version, "2024-09-30.acacia");
    EXPECT_EQ(r.config->gateway.authorization_valid_days, 30);
    auto d = config::load_config_text("", "test.toml");
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d.config->gateway.stripe_api_version, "2023-08-16");
    EXPECT_EQ(d.config->gateway.authorization_valid_days, 7);
    EXPECT_FALSE(config::load_config_text("[gateway]\nstripe_api_version = \"latest\"\n", "test.toml").ok());
    EXPECT_FALSE(config::load_config_text("[gateway]\nstripe_api_version = \"2023-13-01\"\n", "test.toml").ok());
    EXPECT_FALSE(config::load_config_text("[gateway]\nauthorization_valid_days = 0\n", "test.toml").ok());
    EXPECT_FALSE(config::load_config_text("[gateway]\nauthorization_valid_days = 31\n", "test.toml").ok());
}

TEST(StripeGatewayAnswers, StripeMalformedAnswer_IsUnknownNotACrash) {
    TestHttpServer srv([](httplib::Server& s) {
        s.Post("/v1/payment_intents", [](const httplib::Request&, httplib::Response& res) {
            res.set_content("this is not json", "application/json");
        });
        s.Post(R"(/v1/payment_intents/([^/]+)/capture)", [](const httplib::Request&, httplib::Response& res) {
            res.set_content(R"({"object":"payment_intent"})", "application/json");
        });
        s.Post(R"(/v1/payment_intents/([^/]+)/cancel)", [](const httplib::Request&, httplib::Response& res) {
            res.status = 400;
            res.set_content("[1,2", "application/json");
        });
    });
    TempDir dir;
    TestDb db;
    write_file(dir.file("k"), "sk_test_x");
    config::GatewayConfig cfg;
    cfg.kind = config::GatewayKind::stripe;
    cfg.url = srv.url();
    cfg.api_key_file = dir.file("k");
    cfg.max_retries = 0;
    auto g = gateway::make_gateway(cfg, db.db(), test::instant_clock(), never_stopped()).value();
    EXPECT_EQ(g->authorize(req(Operation::authorize, "k1", 1000)).outcome, Outcome::unknown);
    EXPECT_EQ(g->capture(req(Operation::capture, "k2", 1000, "", "pi_1")).outcome, Outcome::unknown);
    EXPECT_EQ(g->void_auth(req(Operation::void_auth, "k3", 1000, "", "pi_1")).outcome, Outcome::unknown);
}

TEST(StripeGatewayAnswers, StripeUnreachable_IsUnknown) {
    TempDir dir;
    TestDb db;
    write_file(dir.file("k"), "sk_test_x");
    config::GatewayConfig cfg;
    cfg.kind = config::GatewayKind::stripe;
    cfg.url = "http://127.0.0.1:1";
    cfg.api_key_file = dir.file("k");
    cfg.max_retries = 1;
    auto g = gateway::make_gateway(cfg, db.db(), test::instant_clock(), never_stopped()).value();
    auto a = g->authorize(req(Operation::authorize, "k1", 1000));
    EXPECT_EQ(a.outcome, Outcome::unknown);
    EXPECT_EQ(a.response_code, "network_error");
}

/// A capture sent to the Stripe gateway at url (a minute's timeout, no retry), with a stop request
/// (SIGTERM) 300 ms after it went out; *took: how long the capture took.
domain::Answer capture_stopped_after_300ms(const std::string& url, std::chrono::steady_clock::duration* took) {
    TempDir dir;
    TestDb db;
    write_file(dir.file("k"), "sk_test_x");
    config::GatewayConfig cfg;
    cfg.kind = config::GatewayKind::stripe;
    cfg.url = url;
    cfg.api_key_file = dir.file("k");
    cfg.max_retries = 0;
    cfg.timeout_ms = 60000;
    StopSource stop;
    auto g = gateway::make_gateway(cfg, db.db(), test::instant_clock(), stop).value();
    std::thread sigterm([&] {
        std::this_thread::sleep_for(300ms);
        stop.request_stop();
    });
    const auto t0 = std::chrono::steady_clock::now();
    auto a = g->capture(req(Operation::capture, "k2", 1000, "", "pi_1"));
    *took = std::chrono::steady_clock::now() - t0;
    sigterm.join();
    return a;
}

TEST(StripeGatewayAnswers, OPS2_StopAbandonsARequestTheGatewayNeverAnswers) {
    // SIGTERM while a capture waits on a gateway that never answers: the request is given up about
    // two seconds later (its outcome unknown, for the next run's lookup, CAP-7), not at the timeout.
    SilentServer silent;
    std::chrono::steady_clock::duration took{};
    const auto a = capture_stopped_after_300ms(silent.url(), &took);
    EXPECT_EQ(a.outcome, Outcome::unknown);
    EXPECT_NE(a.detail.find("stop request"), std::string::npos) << a.detail;
    EXPECT_GE(took, 2s) << "an answer on its way gets its grace";
    EXPECT_LT(took, 15s) << "the minute's timeout is not waited out";
}

TEST(StripeGatewayAnswers, OPS2_AnswerArrivingWithinTheGraceIsKeptAfterAStop) {
    // The gateway answers a second after SIGTERM: the answer is taken, the capture is known.
    TestHttpServer srv([](httplib::Server& s) {
        s.Post(R"(/v1/payment_intents/([^/]+)/capture)", [](const httplib::Request&, httplib::Response& res) {
            std::this_thread::sleep_for(1300ms);
            res.set_content(R"({"id":"pi_1","object":"payment_intent","status":"succeeded","amount":1000,)"
                            R"("amount_received":1000,"currency":"usd"})",
                            "application/json");
        });
    });
    std::chrono::steady_clock::duration took{};
    const auto a = capture_stopped_after_300ms(srv.url(), &took);
    EXPECT_EQ(a.outcome, Outcome::succeeded) << a.detail << " " << a.response_code;
    EXPECT_GE(took, 1300ms);
}

}  // namespace
}  // namespace olmd::test
