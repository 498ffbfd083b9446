#pragma once
// A gateway whose answers a test scripts, for the engine paths no real peer produces on
// demand (a remainder released by an earlier partial capture, a void refused because the
// authorization was captured elsewhere, a request rejected as invalid). Every request is
// recorded; by default everything is approved, a capture reporting what it was asked for.

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "olmd/gateway/gateway.hpp"
#include "olmd/jobs/payment_engine/engine.hpp"

namespace olmd::test {

/// What the scripted gateway shares with the test across runs.
struct GatewayScript {
    /// The answer to a request; unset = approve (see approve()).
    std::function<domain::Answer(const domain::Request&)> decide;
    /// Like Stripe: a new authorization needs the card's customer (card_not_reusable).
    bool needs_customer = false;
    /// Every request received, in order.
    std::vector<domain::Request> sent;
    /// Whether the gateway lets the engine run execute() on a worker thread (Stripe does).
    bool off_thread = false;
    /// Called with each batch execute() receives, before answering, on execute()'s thread (off-thread,
    /// possibly on two threads at once).
    std::function<void(const std::vector<domain::Request>&)> before_execute;
    int next_ref = 1;
    std::mutex m;  ///< held by execute() while it records and answers
    std::atomic<int> in_execute{0};      ///< execute() calls in progress
    std::atomic<int> max_in_execute{0};  ///< the most there were at once

    /// The default answer: authorized with a new ref, captured (amount_received = the amount), voided.
    domain::Answer approve(const domain::Request& r) {
        domain::Answer a;
        a.outcome = domain::Outcome::succeeded;
        a.response_code = "approved";
        a.gateway_ref = r.op == domain::Operation::authorize ? "scr_auth_" + std::to_string(next_ref++) : r.gateway_ref;
        if (r.op == domain::Operation::capture) {
            a.amount_received = r.amount;
            a.amount_capturable = 0;
        }
        return a;
    }
    /// The requests of one operation.
    std::vector<domain::Request> of(domain::Operation op) const {
        std::vector<domain::Request> v;
        for (const auto& r : sent)
            if (r.op == op) v.push_back(r);
        return v;
    }
    /// A gateway answering from this script (for TestServices::use_gateway).
    std::unique_ptr<domain::Gateway> gateway();
};

/// The gateway itself.
class ScriptedGateway final : public domain::Gateway {
public:
    explicit ScriptedGateway(GatewayScript& script) : s_(script) {}
    std::string_view name() const override { return "scripted"; }
    bool executes_off_thread() const override { return s_.off_thread; }
    std::vector<domain::Answer> execute(const std::vector<domain::Request>& reqs) override {
        const int now = ++s_.in_execute;
        for (int prev = s_.max_in_execute.load(); prev < now && !s_.max_in_execute.compare_exchange_weak(prev, now);) {
        }
        struct Leave {
            std::atomic<int>& n;
            ~Leave() { --n; }
        } leave{s_.in_execute};
        if (s_.before_execute) s_.before_execute(reqs);
        std::lock_guard<std::mutex> lock(s_.m);  // off-thread, the engine may have two calls at once
        std::vector<domain::Answer> out;
        for (const auto& r : reqs) {
            s_.sent.push_back(r);
            out.push_back(s_.decide ? s_.decide(r) : s_.approve(r));
        }
        return out;
    }
    domain::LookupResult lookup(const domain::Request&) override { return {}; }
    bool can_reauthorize(const domain::Request& r) const override {
        return !r.card_token.empty() && (!s_.needs_customer || !r.customer_ref.empty());
    }

private:
    GatewayScript& s_;
};

inline std::unique_ptr<domain::Gateway> GatewayScript::gateway() { return std::make_unique<ScriptedGateway>(*this); }

/// An answer with the given outcome and code (and amounts for capture/void answers).
inline domain::Answer answer(domain::Outcome o, std::string code, Cents received = -1, Cents capturable = -1) {
    domain::Answer a;
    a.outcome = o;
    a.response_code = std::move(code);
    a.detail = "scripted: " + a.response_code;
    a.amount_received = received;
    a.amount_capturable = capturable;
    return a;
}

}  // namespace olmd::test
