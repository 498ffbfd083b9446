// The payment engine's overlapped driver: the gateway is never left idle while olmd
// writes. One wave of journaled requests is at the gateway (a worker thread runs
// Gateway::execute when the gateway allows it) while this thread records the wave
// before it — payments, statuses, the follow-ups the answers cause — and reads,
// plans and journals the next window of orders. The next wave is the follow-ups
// plus that window's first requests. Every request is journaled and committed
// before its wave starts (OPS-6), every database write is made here, and each
// order has at most one request in flight, as in drive().
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <list>

#include "olmd/jobs/payment_engine/engine.hpp"

namespace olmd::jobs::payment_engine {

bool Engine::drive_overlapped(const WindowSource& next_window, Planner& planner, std::size_t window) {
    planner.set_reuse([this](const domain::PaymentRow& p) { return reusable(p); });
    std::list<std::vector<OrderState>> windows;  // a list: the OrderStates keep their addresses
    std::vector<OrderState*> ready;              // journaled, for the next wave
    Wave at_gateway;
    bool input_done = false;

    // Reads, plans and journals the next window while fewer than `window` orders are held
    // unfinished besides the wave at the gateway; `force` reads one whatever is held.
    auto read_ahead = [&](bool force) -> bool {
        std::size_t held = 0;
        for (const auto& w : windows)
            held += static_cast<std::size_t>(
                std::count_if(w.begin(), w.end(), [](const OrderState& s) { return !s.finished; }));
        held -= std::min(held, at_gateway.flying.size());
        if (input_done || ctx_.stopping() || (!force && held >= window)) return true;
        auto orders = next_window();
        if (!orders) {
            stats_.failure = orders.error().message;
            return false;
        }
        if (orders->empty()) {
            input_done = true;
            return true;
        }
        windows.push_back(std::move(*orders));
        std::vector<OrderState*> fresh;
        fresh.reserve(windows.back().size());
        for (auto& s : windows.back()) fresh.push_back(&s);
        return plan_orders(fresh, planner, ready);
    };
    auto retire_finished = [&] {
        windows.remove_if([&](const std::vector<OrderState>& w) {
            if (!std::all_of(w.begin(), w.end(), [](const OrderState& s) { return s.finished; }))
                return false;
            if (ctx_.progress)
                ctx_.progress->done.fetch_add(static_cast<std::int64_t>(w.size()), std::memory_order_relaxed);
            return true;
        });
    };
    // A failure with a wave still at the gateway: its answers are lost to this run, its journal
    // rows stay 'pending' and the next run resolves them with the same keys (OPS-6).
    auto stop_here = [&] {
        if (at_gateway.at_gateway.valid()) at_gateway.at_gateway.wait();
        return false;
    };

    if (!read_ahead(true)) return false;
    while (true) {
        Wave answered;
        if (!at_gateway.empty()) {
            finish_send(at_gateway);
            answered = std::move(at_gateway);
            at_gateway = Wave{};
        }
        if (!ready.empty()) {
            at_gateway.flying = std::move(ready);
            ready.clear();
            start_send(at_gateway, true);
        }
        if (!answered.empty()) {
            const auto t0 = std::chrono::steady_clock::now();
            if (!write_outcomes(answered.flying, answered.answers, answered.lookups)) return stop_here();
            // An answered order may have a next payment to plan; its follow-up is already journaled.
            if (!plan_orders(answered.flying, planner, ready)) return stop_here();
            spdlog::debug("{}: {} answer(s) recorded in {:.3f} s while {} request(s) are at the gateway",
                          job_name(job_), answered.flying.size(),
                          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(),
                          at_gateway.flying.size());
        }
        retire_finished();
        if (!read_ahead(false)) return stop_here();
        if (at_gateway.empty() && ready.empty()) {
            // Nothing at the gateway and nothing journaled: the windows held are finished.
            retire_finished();
            if (input_done || ctx_.stopping()) break;
            if (!read_ahead(true)) return false;
        }
    }
    return true;
}

}  // namespace olmd::jobs::payment_engine
