// The Stripe gateway's [gateway] settings (API version, authorization days) and what it
// makes of a peer that answers garbage or cannot be reached: unknown, never a crash.

#include <gtest/gtest.h>

#include <chrono>

#include "olmd/config/loader.hpp"
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

}  // namespace
}  // namespace olmd::test
