// A payment job's run (gateway, reconciliation, passes) and its explain.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "olmd/jobs/payment_engine/engine.hpp"

namespace olmd::jobs::payment_engine {

void run_job(JobContext& ctx, JobStats& stats, JobKind job, const Settings& settings,
             domain::PaymentRepository& store, FollowUps& follow_ups, const std::vector<Pass>& passes) {
    // In a dry run the composition root hands the dry-run gateway: nothing is sent.
    auto gw = ctx.services.gateway();
    if (!gw) {
        stats.failure = "gateway: " + gw.error().message;
        return;
    }
    auto writer =
        ctx.services.store.status_writer({job, ctx.run_id, ctx.now, ctx.dry_run, ctx.out,
                                          [&ctx](StatusId id) { return ctx.catalog.statuses.name(id); }});
    if (!writer) {
        stats.failure = writer.error().message;
        return;
    }
    Engine engine(ctx, stats, job, settings, store, **writer, **gw, follow_ups,
                  ctx.dry_run ? ctx.out : nullptr);

    // OPS-6: whatever a crash or an unknown outcome left open is resolved before anything new.
    if (!engine.reconcile()) return;

    const int limit = ctx.cfg.daemon.batch_size;
    // The gateway wave: enough orders that [gateway] concurrency stays busy and the tail of each
    // wave is short; the writes are still committed [daemon] batch_size orders at a time (OPS-7).
    const std::size_t window = std::min<std::size_t>(
        5000, std::max<std::size_t>(static_cast<std::size_t>(limit),
                                    64 * static_cast<std::size_t>(std::max(1, ctx.cfg.gateway.concurrency))));
    for (const Pass& pass : passes) {
        OrderId after = 0;
        bool more = true;
        // Overlapped, the first window is small so that the gateway starts at once, and each next
        // one 4x bigger up to `window`: reading and journaling it takes less than the wave before
        // it spends at the gateway. A dry run reads whole windows (its lines come window by window).
        std::size_t want =
            ctx.dry_run
                ? window
                : std::min(window, 4 * static_cast<std::size_t>(std::max(1, ctx.cfg.gateway.concurrency)));
        // The pass's next window: up to `want` orders, their ids read batch_size at a time.
        const WindowSource next_window = [&]() -> Result<std::vector<OrderState>> {
            std::vector<OrderState> states;
            const std::size_t size = want;
            want = std::min(window, 4 * want);
            while (more && states.size() < size && !ctx.stopping()) {
                auto ids = pass.read(
                    after, static_cast<int>(std::min<std::size_t>(
                               static_cast<std::size_t>(std::max(1, limit)), size - states.size())));
                if (!ids) return ids.error();
                if (ids->empty()) {
                    more = false;
                    break;
                }
                after = ids->back();
                for (OrderId id : *ids) {
                    auto o = store.load_order(id);
                    if (!o) return o.error();
                    if (!*o) continue;
                    OrderState s;
                    s.order = std::move(**o);
                    s.status_seen = s.order.status_id;
                    states.push_back(std::move(s));
                }
            }
            return states;
        };
        if (!ctx.dry_run) {
            // The next window is journaled while the previous one's requests are at the gateway.
            if (!engine.drive_overlapped(next_window, *pass.planner, window)) return;
            continue;
        }
        // A dry run prints what it would do window by window, in the order it would do it.
        while (!ctx.stopping()) {
            auto states = next_window();
            if (!states) {
                stats.failure = states.error().message;
                return;
            }
            if (states->empty()) break;
            if (!engine.drive(*states, *pass.planner)) return;
            if (ctx.progress)
                ctx.progress->done.fetch_add(static_cast<std::int64_t>(states->size()),
                                             std::memory_order_relaxed);
        }
    }
    if (engine.sent() > 0 && engine.unreachable_answers() == engine.sent()) {
        stats.failure = "gateway " + std::string((*gw)->name()) +
                        " unreachable for the whole job: no request got an answer (" + engine.last_unknown() +
                        "); " + std::to_string(stats.deferred) + " payments deferred to the next run";
    } else if (engine.rejected_answers() > 0) {
        // config.md: an invalid request is not a decline; nothing happened at the gateway (MON-3).
        stats.failure = "gateway " + std::string((*gw)->name()) + " rejected " +
                        std::to_string(engine.rejected_answers()) +
                        " request(s) as invalid (last: " + engine.last_rejected() +
                        "); those payments and orders were left as they are; check [gateway] (api_key_file, "
                        "currency, stripe_api_version) and the payments' card_token / customer_ref";
    }
    if (!ctx.dry_run)
        spdlog::info("{}: {} gateway request(s) sent through {}, {} with an unknown outcome", job_name(job),
                     engine.sent(), (*gw)->name(), engine.unknown_answers());
}

void explain_order(JobContext& ctx, JobKind job, const Settings& settings, domain::PaymentRepository& store,
                   FollowUps& follow_ups, const domain::PaymentOrder& order, bool selected, Planner& planner,
                   std::ostream& out) {
    out << "  grand total " << format_cents(order.grand_total_cents) << ", paid "
        << format_cents(order.paid_cents()) << ", balance due " << format_cents(order.balance_due_cents())
        << ", open authorizations " << format_cents(order.open_auth_cents()) << " (rules.md definitions)\n";
    if (order.payments.empty()) out << "  no payments\n";
    for (const auto& p : order.payments) {
        out << "  " << describe_payment(p);
        if (p.unresolved_op)
            out << ": a journaled gateway request (" << p.unresolved_purpose
                << ") is still pending/unknown; the next run resolves it with the same idempotency key "
                   "before "
                   "anything new (OPS-6, CAP-7)";
        out << "\n";
    }
    if (!selected) return;
    JobStats stats;
    auto writer = ctx.services.store.status_writer(
        {job, 0, ctx.now, true, &out, [&ctx](StatusId id) { return ctx.catalog.statuses.name(id); }});
    if (!writer) {
        out << "  cannot evaluate: " << writer.error().message << "\n";
        return;
    }
    auto gw = ctx.services.gateway();  // explain's context is a dry run: the dry-run gateway
    if (!gw) {
        out << "  cannot evaluate: gateway: " << gw.error().message << "\n";
        return;
    }
    Engine engine(ctx, stats, job, settings, store, **writer, **gw, follow_ups, &out);
    std::vector<OrderState> states(1);
    states[0].order = order;
    states[0].status_seen = order.status_id;
    engine.drive(states, planner);
    if (stats.selected == 0 && stats.deferred == 0) out << "  nothing to do for this job\n";
}

std::optional<ExplainInputs> load_explain_inputs(JobContext& ctx, JobKind job, const OrderRef& ref,
                                                 std::ostream& out) {
    auto settings = Settings::resolve(ctx.cfg, ctx.catalog, job);
    if (!settings) {
        out << "  cannot evaluate: " << settings.error().message << "\n";
        return std::nullopt;
    }
    auto store = ctx.services.store.payments();
    if (!store) {
        out << "  cannot evaluate: " << store.error().message << "\n";
        return std::nullopt;
    }
    auto order = (*store)->load_order(ref.id);
    if (!order || !*order) {
        out << "  cannot read the order\n";
        return std::nullopt;
    }
    return ExplainInputs{std::move(*settings), std::move(*store), std::move(**order)};
}

}  // namespace olmd::jobs::payment_engine
