// The requests of the payment engine: built from the journal row and the payment,
// sent as one batch ([gateway] concurrency in flight); in a dry run the composition
// root's dry-run gateway answers them.
#include <future>

#include "olmd/jobs/payment_engine/engine.hpp"

namespace olmd::jobs::payment_engine {

namespace {

std::string verb(domain::Operation op) {
    return std::string(domain::to_string(op));
}

}  // namespace

domain::Request Engine::request_for(const OrderState& s, const domain::JournalOp& op) const {
    domain::Request r;
    r.op = op.operation;
    r.idempotency_key = op.idempotency_key;
    r.amount = op.amount_cents;
    const domain::PaymentRow* p = nullptr;
    for (const auto& x : s.order.payments)
        if (x.id == op.payment_id) p = &x;
    if (p != nullptr) {
        r.card_token = p->card_token;
        r.customer_ref = p->customer_ref;
        if (op.operation != domain::Operation::authorize)
            r.gateway_ref = op.request_ref.empty() ? p->gateway_ref : op.request_ref;
    } else if (op.operation != domain::Operation::authorize) {
        r.gateway_ref = op.request_ref;
    }
    return r;
}

void Engine::start_send(Wave& w, bool off_thread) {
    w.answers.assign(w.flying.size(), domain::Answer{});
    w.lookups.assign(w.flying.size(), domain::LookupResult{});
    w.sent.clear();
    std::vector<domain::Request> reqs;
    for (std::size_t i = 0; i < w.flying.size(); ++i) {
        const Flight& f = *w.flying[i]->flight;
        domain::Request r = request_for(*w.flying[i], f.op);
        if (ctx_.dry_run) {  // the dry-run gateway answers one request at a time, at once
            w.answers[i] = gw_.execute({r}).front();
            if (out_ != nullptr && w.answers[i].outcome == domain::Outcome::declined)
                say("  (the " + std::string(gw_.name()) + " would decline this " + verb(r.op) + ")");
            continue;
        }
        if (f.lookup) {
            w.lookups[i] = gw_.lookup(r);
            continue;
        }
        reqs.push_back(std::move(r));
        w.sent.push_back(i);
    }
    sent_ += static_cast<std::int64_t>(w.flying.size());
    if (reqs.empty()) return;
    if (off_thread && gw_.executes_off_thread()) {
        domain::Gateway& gw = gw_;
        w.at_gateway = std::async(std::launch::async, [&gw, r = std::move(reqs)] { return gw.execute(r); });
        return;
    }
    std::promise<std::vector<domain::Answer>> now;
    now.set_value(gw_.execute(reqs));
    w.at_gateway = now.get_future();
}

void Engine::finish_send(Wave& w) {
    if (!w.at_gateway.valid()) return;
    auto got = w.at_gateway.get();
    for (std::size_t k = 0; k < w.sent.size() && k < got.size(); ++k)
        w.answers[w.sent[k]] = std::move(got[k]);
}

}  // namespace olmd::jobs::payment_engine
