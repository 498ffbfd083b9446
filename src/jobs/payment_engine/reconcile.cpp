// OPS-6 reconciliation of the payment jobs' journal: what a crash or an unknown
// outcome left pending or unknown is resolved before anything new is planned —
// sent again with the same idempotency key, or looked up once the gateway may
// have forgotten the key (Stripe, 24 h).
#include <spdlog/spdlog.h>

#include <algorithm>

#include "olmd/domain/journal.hpp"
#include "olmd/jobs/payment_engine/engine.hpp"

namespace olmd::jobs::payment_engine {

bool Engine::reconcile() {
    auto ops = store_.unresolved(purpose_names_of(job_));
    if (!ops) {
        stats_.failure = ops.error().message;
        return false;
    }
    if (ops->empty()) return true;
    spdlog::info("{}: reconciling {} journaled gateway operation(s) left pending or unknown", job_name(job_),
                 ops->size());
    std::vector<OrderState> states;
    for (const domain::JournalOp& op : *ops) {
        auto purpose = purpose_from_name(op.purpose);
        if (!purpose) continue;
        auto order_id = store_.order_of_payment(op.payment_id);
        if (!order_id) {
            stats_.failure = order_id.error().message;
            return false;
        }
        // Two open operations of one order (should not happen): the later waits for the next run.
        auto same = std::find_if(states.begin(), states.end(), [&](const OrderState& s) { return s.order.id == *order_id; });
        if (same != states.end()) continue;
        auto order = store_.load_order(*order_id);
        if (!order) {
            stats_.failure = order.error().message;
            return false;
        }
        if (!*order) continue;
        OrderState s;
        s.order = std::move(**order);
        s.status_seen = s.order.status_id;
        s.reconciling = true;
        Flight f;
        f.op = op;
        f.purpose = *purpose;
        // Past the gateway's key lifetime a replay could be applied anew: ask instead (config.md).
        f.lookup = domain::needs_lookup(op, gw_.key_lifetime(), ctx_.now);
        if (ctx_.dry_run) {
            say("would " + std::string(f.lookup ? "look up" : "repeat") + " the journaled " + std::string(domain::to_string(op.operation)) +
                " of payment " + std::to_string(op.payment_id) + " (order " + s.order.number + ", state " +
                std::string(domain::to_string(op.state)) + ", key " + op.idempotency_key +
                ") before anything new (OPS-6, CAP-7)");
            ++stats_.selected;
            continue;
        }
        s.flight = std::move(f);
        ++stats_.selected;
        states.push_back(std::move(s));
    }
    if (ctx_.dry_run || states.empty()) return true;
    class NoPlanner final : public Planner {
    public:
        std::optional<Step> plan(OrderState&) override { return std::nullopt; }
    } none;
    return drive(states, none);
}

}  // namespace olmd::jobs::payment_engine
