// The dry-run gateway (run-once --dry-run, explain): the sandbox's own token rules
// decide, nothing is sent or written, and the payment jobs print what would happen.
#include <sstream>

#include "olmd/gateway/gateway.hpp"
#include "payments_test_util.hpp"

namespace olmd::test {
namespace {

domain::Request req(domain::Operation op, std::string token, std::string ref, Cents amount = 1000) {
    domain::Request r;
    r.op = op;
    r.idempotency_key = "k";
    r.amount = amount;
    r.card_token = std::move(token);
    r.gateway_ref = std::move(ref);
    return r;
}

TEST(DryRunGateway, DryRun_SandboxTokenRulesDecide) {
    config::GatewayConfig cfg;
    cfg.kind = config::GatewayKind::sandbox;
    auto gw = gateway::make_dry_run_gateway(cfg);
    EXPECT_EQ(gw->authorize(req(domain::Operation::authorize, "tok_visa", "")).outcome, domain::Outcome::succeeded);
    EXPECT_EQ(gw->authorize(req(domain::Operation::authorize, "decline_insufficient", "")).outcome,
              domain::Outcome::declined);
    EXPECT_EQ(gw->capture(req(domain::Operation::capture, "", "fail_capture_1")).outcome, domain::Outcome::declined);
    EXPECT_EQ(gw->capture(req(domain::Operation::capture, "", "expired_1")).outcome, domain::Outcome::declined);
    EXPECT_EQ(gw->capture(req(domain::Operation::capture, "", "sbx_auth_1")).outcome, domain::Outcome::succeeded);
    EXPECT_EQ(gw->void_auth(req(domain::Operation::void_auth, "", "fail_void_1")).outcome, domain::Outcome::declined);
    EXPECT_TRUE(gw->can_reauthorize(req(domain::Operation::authorize, "tok_visa", "")));
}

TEST(DryRunGateway, DryRun_StripeApprovesAndKeepsItsReuseRule) {
    config::GatewayConfig cfg;
    cfg.kind = config::GatewayKind::stripe;  // no key file: a dry run reads none
    auto gw = gateway::make_dry_run_gateway(cfg);
    EXPECT_EQ(gw->authorize(req(domain::Operation::authorize, "decline_x", "")).outcome, domain::Outcome::succeeded);
    auto r = req(domain::Operation::authorize, "pm_1", "");
    EXPECT_FALSE(gw->can_reauthorize(r)) << "Stripe needs the Customer owning the card";
    r.customer_ref = "cus_1";
    EXPECT_TRUE(gw->can_reauthorize(r));
}

class DryRunCapture : public PaymentsFixture {};

TEST_P(DryRunCapture, DryRun_CaptureSaysTheSandboxWouldDeclineAndWritesNothing) {
    cfg.capture.enabled = true;
    const auto o = order("A-1");
    pay(o, {.ref = "fail_capture_1"});
    std::ostringstream out;
    run(JobKind::capture, kPayNow, true, &out);
    EXPECT_NE(out.str().find("(the sandbox would decline this capture)"), std::string::npos) << out.str();
    EXPECT_EQ(ops(), 0);
    EXPECT_EQ(t.scalar("SELECT count(*) FROM sandbox_ledger"), 0);
    EXPECT_EQ(t.scalar("SELECT count(*) FROM order_status_history"), 0);
}

INSTANTIATE_TEST_SUITE_P(Sandbox, DryRunCapture, ::testing::Values(Backend::sandbox), backend_name);

}  // namespace
}  // namespace olmd::test
