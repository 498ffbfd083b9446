#pragma once
// A gateway whose answers a test scripts, for the engine paths no real peer produces on
// demand (a remainder released by an earlier partial capture, a void refused because the
// authorization was captured elsewhere, a request rejected as invalid). Every request is
// recorded; by default everything is approved, a capture reporting what it was asked for.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "olmd/gateway/gateway.hpp"
#include "olmd/jobs/payments/workflow.hpp"

namespace olmd::test {

/// What the scripted gateway shares with the test across runs.
struct GatewayScript {
    /// The answer to a request; unset = approve (see approve()).
    std::function<gateway::Answer(const gateway::Request&)> decide;
    /// Like Stripe: a new authorization needs the card's customer (card_not_reusable).
    bool needs_customer = false;
    /// Every request received, in order.
    std::vector<gateway::Request> sent;
    int next_ref = 1;

    /// The default answer: authorized with a new ref, captured (amount_received = the amount), voided.
    gateway::Answer approve(const gateway::Request& r) {
        gateway::Answer a;
        a.outcome = gateway::Outcome::succeeded;
        a.response_code = "approved";
        a.gateway_ref = r.op == gateway::Operation::authorize ? "scr_auth_" + std::to_string(next_ref++) : r.gateway_ref;
        if (r.op == gateway::Operation::capture) {
            a.amount_received = r.amount;
            a.amount_capturable = 0;
        }
        return a;
    }
    /// The requests of one operation.
    std::vector<gateway::Request> of(gateway::Operation op) const {
        std::vector<gateway::Request> v;
        for (const auto& r : sent)
            if (r.op == op) v.push_back(r);
        return v;
    }
    /// A factory for the payment jobs that hands out a gateway answering from this script.
    jobs::payments::GatewayFactory factory();
};

/// The gateway itself.
class ScriptedGateway final : public gateway::Gateway {
public:
    explicit ScriptedGateway(GatewayScript& script) : s_(script) {}
    std::string_view name() const override { return "scripted"; }
    std::vector<gateway::Answer> execute(const std::vector<gateway::Request>& reqs) override {
        std::vector<gateway::Answer> out;
        for (const auto& r : reqs) {
            s_.sent.push_back(r);
            out.push_back(s_.decide ? s_.decide(r) : s_.approve(r));
        }
        return out;
    }
    gateway::LookupResult lookup(const gateway::Request&) override { return {}; }
    bool can_reauthorize(const gateway::Request& r) const override {
        return !r.card_token.empty() && (!s_.needs_customer || !r.customer_ref.empty());
    }

private:
    GatewayScript& s_;
};

inline jobs::payments::GatewayFactory GatewayScript::factory() {
    return [this](const config::GatewayConfig&, store::Database&) -> Result<std::unique_ptr<gateway::Gateway>> {
        return std::unique_ptr<gateway::Gateway>(std::make_unique<ScriptedGateway>(*this));
    };
}

/// An answer with the given outcome and code (and amounts for capture/void answers).
inline gateway::Answer answer(gateway::Outcome o, std::string code, Cents received = -1, Cents capturable = -1) {
    gateway::Answer a;
    a.outcome = o;
    a.response_code = std::move(code);
    a.detail = "scripted: " + a.response_code;
    a.amount_received = received;
    a.amount_capturable = capturable;
    return a;
}

}  // namespace olmd::test
