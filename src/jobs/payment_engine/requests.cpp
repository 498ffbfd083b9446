// The requests of the payment engine: built from the journal row and the payment,
// sent as one batch ([gateway] concurrency in flight); in a dry run the composition
// root's dry-run gateway answers them.
#include "olmd/jobs/payment_engine/engine.hpp"

namespace olmd::jobs::payment_engine {

namespace {

std::string verb(domain::Operation op) { return std::string(domain::to_string(op)); }

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

void Engine::send(std::vector<OrderState*>& flying, std::vector<domain::Answer>& answers,
                  std::vector<domain::LookupResult>& lookups) {
    answers.assign(flying.size(), domain::Answer{});
    lookups.assign(flying.size(), domain::LookupResult{});
    std::vector<domain::Request> reqs;
    std::vector<std::size_t> idx;
    for (std::size_t i = 0; i < flying.size(); ++i) {
        const Flight& f = *flying[i]->flight;
        domain::Request r = request_for(*flying[i], f.op);
        if (ctx_.dry_run) {  // the dry-run gateway answers one request at a time, at once
            answers[i] = gw_.execute({r}).front();
            if (out_ != nullptr && answers[i].outcome == domain::Outcome::declined)
                say("  (the " + std::string(gw_.name()) + " would decline this " + verb(r.op) + ")");
            continue;
        }
        if (f.lookup) {
            lookups[i] = gw_.lookup(r);
            continue;
        }
        reqs.push_back(std::move(r));
        idx.push_back(i);
    }
    if (!reqs.empty()) {
        auto got = gw_.execute(reqs);
        for (std::size_t k = 0; k < idx.size() && k < got.size(); ++k) answers[idx[k]] = std::move(got[k]);
    }
    sent_ += static_cast<std::int64_t>(flying.size());
}

}  // namespace olmd::jobs::payment_engine
