// The dry-run gateway: what `run-once --dry-run` and `explain` are answered with.
// Nothing leaves the process and nothing is written; the sandbox's answers come
// from its own token rules (sandbox_rules.hpp), any other gateway approves.
#include "gateway/sandbox_rules.hpp"
#include "gateway/stripe.hpp"
#include "olmd/gateway/gateway.hpp"

namespace olmd::gateway {

namespace {

class DryRunGateway final : public Gateway {
public:
    explicit DryRunGateway(config::GatewayKind kind) : kind_(kind) {}

    std::string_view name() const override { return kind_ == config::GatewayKind::sandbox ? "sandbox" : "gateway"; }

    std::vector<Answer> execute(const std::vector<Request>& reqs) override {
        std::vector<Answer> out;
        out.reserve(reqs.size());
        for (const Request& r : reqs) out.push_back(answer(r));
        return out;
    }

    LookupResult lookup(const Request& req) override { return {LookupState::applied, answer(req)}; }

    bool can_reauthorize(const Request& req) const override {
        return kind_ == config::GatewayKind::stripe ? stripe_can_reauthorize(req) : !req.card_token.empty();
    }

private:
    Answer answer(const Request& r) const {
        Answer a;
        a.outcome = Outcome::succeeded;
        a.response_code = "approved";
        if (kind_ == config::GatewayKind::sandbox) {
            const TokenVerdict v = sandbox_token_verdict(r);
            if (v.decided && v.declined) {
                a.outcome = Outcome::declined;
                a.response_code = "declined";
            }
        }
        a.gateway_ref = r.op == Operation::authorize ? "(new authorization)" : r.gateway_ref;
        a.detail = "dry run";
        return a;
    }

    config::GatewayKind kind_;
};

}  // namespace

std::unique_ptr<Gateway> make_dry_run_gateway(const config::GatewayConfig& cfg) {
    return std::make_unique<DryRunGateway>(cfg.kind);
}

}  // namespace olmd::gateway
