// The payment engine's overlapped driver: the gateway is never left idle while olmd
// writes. Up to two waves of journaled requests are at the gateway (each on a worker
// thread running Gateway::execute when the gateway allows it; the newer one takes
// each lane the older one frees, so no lane idles at a wave's tail) while this
// thread records the wave before them — payments, statuses, the follow-ups the
// answers cause — and reads, plans and journals the next window of orders. A wave
// is the follow-ups plus a window's first requests. Every request is journaled and
// committed before its wave starts (OPS-6), every database write is made here, and
// each order has at most one request in flight, as in drive().
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <list>

#include "olmd/jobs/payment_engine/engine.hpp"

namespace olmd::jobs::payment_engine {

bool Engine::drive_overlapped(const WindowSource& next_window, Planner& planner, std::size_t window) {
    planner.set_reuse([this](const domain::PaymentRow& p) { return reusable(p); });
    std::list<std::vector<OrderState>> windows;  // a list: the OrderStates keep their addresses
    std::vector<OrderState*> ready;              // journaled, for the next wave
    std::deque<Wave> at_gateway;                 // oldest first, at most kWavesAtGateway
    bool input_done = false;

    // Reads, plans and journals the next window while fewer than `window` orders are held
    // unfinished besides the waves at the gateway; `force` reads one whatever is held.
    auto read_ahead = [&](bool force) -> bool {
        std::size_t held = 0;
        for (const auto& w : windows)
            held += static_cast<std::size_t>(
                std::count_if(w.begin(), w.end(), [](const OrderState& s) { return !s.finished; }));
        for (const auto& w : at_gateway) held -= std::min(held, w.flying.size());
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
    // What is journaled goes to the gateway as a new wave, behind the ones already there.
    auto send_ready = [&] {
        at_gateway.emplace_back();
        at_gateway.back().flying = std::move(ready);
        ready.clear();
        start_send(at_gateway.back(), true);
    };
    // A failure with waves still at the gateway: their answers are lost to this run, their journal
    // rows stay 'pending' and the next run resolves them with the same keys (OPS-6).
    auto stop_here = [&] {
        for (auto& w : at_gateway)
            if (w.at_gateway.valid()) w.at_gateway.wait();
        return false;
    };

    if (!read_ahead(true)) return false;
    while (true) {
        if (!ready.empty() && at_gateway.size() < kWavesAtGateway) send_ready();
        // Journal the next window before waiting (beside any follow-ups already journaled), so a
        // full wave can follow the moment a wave slot frees.
        if (!read_ahead(false)) return stop_here();
        if (!ready.empty() && at_gateway.size() < kWavesAtGateway) continue;
        if (at_gateway.empty()) {
            // Nothing at the gateway and nothing journaled: the windows held are finished.
            retire_finished();
            if (input_done || ctx_.stopping()) break;
            if (!read_ahead(true)) return false;
            continue;
        }
        Wave answered = std::move(at_gateway.front());
        at_gateway.pop_front();
        finish_send(answered);
        // A wave slot is free: what is journaled leaves before this wave's outcomes are written.
        if (!ready.empty()) send_ready();
        const auto t0 = std::chrono::steady_clock::now();
        if (!write_outcomes(answered.flying, answered.answers, answered.lookups)) return stop_here();
        // An answered order may have a next payment to plan; its follow-up is already journaled.
        if (!plan_orders(answered.flying, planner, ready)) return stop_here();
        std::size_t out = 0;
        for (const auto& w : at_gateway) out += w.flying.size();
        spdlog::debug("{}: {} answer(s) recorded in {:.3f} s while {} request(s) are at the gateway",
                      job_name(job_), answered.flying.size(),
                      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), out);
        retire_finished();
    }
    return true;
}

}  // namespace olmd::jobs::payment_engine
