// The gateway factory, requests kept in flight up to [gateway] concurrency, and the sandbox
// gateway's table (cli.md): decisions by token and ref, the same key never applied twice,
// the timeout token that loses the first answer only.

#include <gtest/gtest.h>

#include <chrono>

#include "gateway/stripe.hpp"
#include "payments_test_util.hpp"
#include "support/test_clock.hpp"
#include "unit/gateway_request.hpp"

namespace olmd::test {
namespace {

using namespace std::chrono_literals;
using domain::Operation;
using domain::Outcome;

TEST(GatewayFactory, GatewayStripeWithoutKeyFileIsAnError) {
    TestDb db;
    config::GatewayConfig cfg;
    cfg.kind = config::GatewayKind::stripe;
    EXPECT_FALSE(gateway::make_gateway(cfg, db.db(), test::instant_clock(), never_stopped()).ok());
    cfg.api_key_file = "/nonexistent/key";
    EXPECT_FALSE(gateway::make_gateway(cfg, db.db(), test::instant_clock(), never_stopped()).ok());
}

TEST(GatewayConcurrency, GatewayKeepsConcurrencyRequestsInFlight) {
    StripeServerOptions o;
    o.latency_ms = 100;
    StripeTestServer server(o);
    TempDir dir;
    TestDb db;
    write_file(dir.file("k"), server.api_key());
    config::GatewayConfig cfg;
    cfg.kind = config::GatewayKind::stripe;
    cfg.url = server.url();
    cfg.api_key_file = dir.file("k");
    cfg.concurrency = 8;
    auto g = gateway::make_gateway(cfg, db.db(), test::instant_clock(), never_stopped()).value();
    std::vector<domain::Request> reqs;
    for (int i = 0; i < 32; ++i) reqs.push_back(req(Operation::authorize, "k" + std::to_string(i), 100 + i));
    const auto t0 = std::chrono::steady_clock::now();
    auto answers = g->execute(reqs);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ASSERT_EQ(answers.size(), 32u);
    for (const auto& a : answers) EXPECT_EQ(a.outcome, Outcome::succeeded) << a.detail;
    EXPECT_LT(s, 1.6) << "32 x 100 ms at 8 in flight is 0.4 s; serial would be 3.2 s";
    EXPECT_GT(s, 0.35);
}

// --- the sandbox (cli.md) ---------------------------------------------------------------------

class SandboxGateway : public ::testing::Test {
protected:
    std::unique_ptr<domain::Gateway> gw() { return gateway::make_gateway(config::GatewayConfig{}, db.db(), test::instant_clock(), never_stopped()).value(); }
    TestDb db;
};

TEST_F(SandboxGateway, SandboxDecidesByTokenAndRefAsCliMdSays) {
    auto g = gw();
    auto a = g->authorize(req(Operation::authorize, "k1", 1000, "tok_visa_avs_mismatch"));
    EXPECT_EQ(a.outcome, Outcome::succeeded);
    EXPECT_EQ(a.gateway_ref.rfind("sbx_auth_", 0), 0u);
    EXPECT_EQ(a.avs_result, "mismatch");
    EXPECT_EQ(a.cvv_result, "match");
    EXPECT_EQ(g->authorize(req(Operation::authorize, "k2", 1000, "decline_x")).outcome, Outcome::declined);
    EXPECT_EQ(g->capture(req(Operation::capture, "k3", 1000, "t", "fail_capture_1")).outcome, Outcome::declined);
    EXPECT_EQ(g->capture(req(Operation::capture, "k4", 1000, "t", "expired_1")).outcome, Outcome::declined);
    EXPECT_EQ(g->capture(req(Operation::capture, "k5", 1000, "t", a.gateway_ref)).outcome, Outcome::succeeded);
    auto unknown = g->capture(req(Operation::capture, "k9", 1000, "t", "sbx_auth_nowhere"));
    EXPECT_EQ(unknown.outcome, Outcome::declined) << "an authorization the sandbox never saw holds nothing";
    EXPECT_EQ(unknown.response_code, "no_such_authorization");
    EXPECT_EQ(g->void_auth(req(Operation::void_auth, "k6", 1000, "t", "fail_void_1")).outcome, Outcome::declined);
    EXPECT_EQ(g->void_auth(req(Operation::void_auth, "k7", 1000, "t", "expired_2")).outcome, Outcome::declined);
    EXPECT_EQ(g->void_auth(req(Operation::void_auth, "k8", 1000, "t", "sbx_auth_8")).outcome, Outcome::succeeded);
}

TEST_F(SandboxGateway, SandboxSameKeySameAnswerNeverAppliedTwice) {
    auto g = gw();
    auto a = g->authorize(req(Operation::authorize, "k1", 1000));
    auto b = g->authorize(req(Operation::authorize, "k1", 1000));
    EXPECT_EQ(a.gateway_ref, b.gateway_ref);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM sandbox_ledger"), 1);
    EXPECT_EQ(db.scalar("SELECT times_sent FROM sandbox_ledger"), 2);
    EXPECT_EQ(g->capture(req(Operation::capture, "k2", 1000, "t", a.gateway_ref)).outcome, Outcome::succeeded);
    EXPECT_EQ(g->capture(req(Operation::capture, "k3", 1000, "t", a.gateway_ref)).outcome, Outcome::declined)
        << "a second capture with another key is refused";
    EXPECT_EQ(g->authorize(req(Operation::authorize, "k1", 999)).outcome, Outcome::unknown) << "key reused";
}

TEST_F(SandboxGateway, SandboxTimeoutTokenLosesTheFirstAnswerOnly) {
    auto g = gw();
    auto a = g->authorize(req(Operation::authorize, "k1", 1000, "tok_timeout"));
    EXPECT_EQ(a.outcome, Outcome::unknown);
    auto b = g->authorize(req(Operation::authorize, "k1", 1000, "tok_timeout"));
    EXPECT_EQ(b.outcome, Outcome::succeeded);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM sandbox_ledger"), 1);
    auto c = g->authorize(req(Operation::authorize, "k2", 1000, "tok_timeout"));
    EXPECT_EQ(c.outcome, Outcome::unknown) << "first time for that key";
    EXPECT_EQ(g->lookup(req(Operation::authorize, "k2", 1000, "tok_timeout")).state, domain::LookupState::applied);
    EXPECT_EQ(g->lookup(req(Operation::authorize, "k9", 1000)).state, domain::LookupState::not_applied);
}

}  // namespace
}  // namespace olmd::test
