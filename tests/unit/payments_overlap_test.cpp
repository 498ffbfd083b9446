// The payment engine's overlapped driver (src/jobs/payment_engine/overlapped.cpp): with a
// gateway that runs execute() on a worker thread (Stripe does), the next window is read,
// planned and journaled while a wave is at the gateway. What must still hold: every request
// is journaled before its wave starts (OPS-6), every order ends as the rules say (CAP-5,
// CAP-6 follow-ups joining later waves) with two waves at the gateway at once, and a stop
// mid-wave leaves nothing half-done.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "unit/payments_memory_fixture.hpp"

namespace olmd::test {
namespace {

using domain::Operation;
using domain::Outcome;

/// What the journaling thread and the gateway's worker share: the keys journaled so far.
struct JournalWatch {
    std::mutex m;
    std::condition_variable cv;
    std::set<std::string> keys;

    void add(const domain::JournalOp& op) {
        {
            std::lock_guard<std::mutex> lock(m);
            keys.insert(op.idempotency_key);
        }
        cv.notify_all();
    }
    /// True when every request's key was journaled.
    bool all_journaled(const std::vector<domain::Request>& reqs) {
        std::lock_guard<std::mutex> lock(m);
        for (const auto& r : reqs)
            if (keys.count(r.idempotency_key) == 0) return false;
        return true;
    }
    /// Waits until more than n keys are journaled; false after the timeout.
    bool wait_more_than(std::size_t n, std::chrono::seconds timeout) {
        std::unique_lock<std::mutex> lock(m);
        return cv.wait_for(lock, timeout, [&] { return keys.size() > n; });
    }
};

class OverlappedWaves : public MemoryPaymentsWorld {
protected:
    OverlappedWaves() {
        cfg.capture.enabled = true;
        cfg.capture.statuses = {"Ready to Process"};
        cfg.capture.reauthorize_on_failure = true;  // CAP-6: void, new authorization, its capture
        cfg.daemon.batch_size = 16;
        cfg.gateway.concurrency = 1;  // a window of 64 orders (64 x concurrency)
        script.off_thread = true;
        data.on_journal = [this](const domain::JournalOp& op) { watch.add(op); };
    }
    /// n orders of one authorized payment each, refs auth_1..auth_n; every fifth card declines
    /// its first capture (ref auth_d<k>), which CAP-6 follows with a void, a new authorization
    /// and its capture.
    void orders_with_declines(int n) {
        for (int k = 1; k <= n; ++k) {
            const auto o = order("W-" + std::to_string(k), 10000);
            pay(o, {.ref = (k % 5 == 0 ? "auth_d" : "auth_") + std::to_string(k)});
        }
        script.decide = [this](const domain::Request& r) {
            if (r.op == Operation::capture && r.gateway_ref.rfind("auth_d", 0) == 0)
                return answer(Outcome::declined, "card_declined");
            return script.approve(r);
        };
    }
    /// No authorization was captured twice at the gateway.
    void expect_each_authorization_captured_once() {
        std::map<std::string, int> per_ref;
        for (const auto& r : script.of(Operation::capture)) ++per_ref[r.gateway_ref];
        for (const auto& [ref, n] : per_ref) EXPECT_EQ(n, 1) << ref;
    }
    /// Every order collected exactly its total.
    void expect_every_order_collected_its_total() {
        for (const auto& o : data.orders) {
            Cents captured = 0;
            for (const auto& p : o.payments) captured += p.status == "captured" ? p.captured_cents : 0;
            EXPECT_EQ(captured, o.grand_total_cents) << o.number;
        }
    }
    JournalWatch watch;
};

TEST_F(OverlappedWaves, OPS6_EveryRequestIsJournaledBeforeItsWaveStarts) {
    orders_with_declines(200);
    std::atomic<int> unjournaled{0}, waves{0};
    script.before_execute = [&](const std::vector<domain::Request>& reqs) {
        ++waves;
        if (!watch.all_journaled(reqs)) ++unjournaled;
    };
    auto st = run(JobKind::capture);
    EXPECT_TRUE(st.failure.empty()) << st.failure;
    EXPECT_EQ(unjournaled.load(), 0);
    EXPECT_GE(waves.load(), 4);  // 200 orders in windows of 64
    EXPECT_EQ(open_ops(), 0);
    // 200 captures, and for each of the 40 declined: void, authorize, capture.
    EXPECT_EQ(script.of(Operation::capture).size(), 240u);
    EXPECT_EQ(script.of(Operation::void_auth).size(), 40u);
    EXPECT_EQ(script.of(Operation::authorize).size(), 40u);
}

TEST_F(OverlappedWaves, CAP5_EveryOrderIsCapturedOnceForItsTotalWithWavesOverlapped) {
    orders_with_declines(200);
    auto st = run(JobKind::capture);
    EXPECT_TRUE(st.failure.empty()) << st.failure;
    expect_every_order_collected_its_total();
    expect_each_authorization_captured_once();
    EXPECT_EQ(st.errors, 0);
}

TEST_F(OverlappedWaves, CAP5_NextWindowIsJournaledWhileAWaveIsAtTheGateway) {
    orders_with_declines(200);
    std::atomic<bool> first{true}, overlapped{false};
    script.before_execute = [&](const std::vector<domain::Request>& reqs) {
        // Hold the first wave at the gateway until the engine journals past it: it can only do
        // so while this wave is still out, from its own thread.
        if (first.exchange(false)) overlapped = watch.wait_more_than(reqs.size(), std::chrono::seconds(10));
    };
    auto st = run(JobKind::capture);
    EXPECT_TRUE(st.failure.empty()) << st.failure;
    EXPECT_TRUE(overlapped.load())
        << "the next window was not journaled while the first wave was at the gateway";
    EXPECT_EQ(open_ops(), 0);
}

TEST_F(OverlappedWaves, CAP5_TheNextWaveIsAtTheGatewayBeforeTheOneAheadOfItIsAnswered) {
    orders_with_declines(200);
    std::atomic<bool> first{true}, queued_behind{false};
    script.before_execute = [&](const std::vector<domain::Request>&) {
        // Hold the first wave until a second execute() call is in progress: the engine must hand the
        // gateway its next wave while one is still out, so no lane idles at a wave's tail.
        if (!first.exchange(false)) return;
        // (max_in_execute: the second call may be answered and gone before this one looks.)
        for (int i = 0; i < 1000 && script.max_in_execute.load() < 2; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        queued_behind = script.max_in_execute.load() >= 2;
    };
    auto st = run(JobKind::capture);
    EXPECT_TRUE(st.failure.empty()) << st.failure;
    EXPECT_TRUE(queued_behind.load()) << "no second wave reached the gateway while the first was out";
    EXPECT_LE(script.max_in_execute.load(), 2) << "more waves at the gateway than its contract allows";
    EXPECT_EQ(open_ops(), 0);
    // Two waves out at once change nothing of the money: one capture per authorization, each order
    // collected its total, 40 CAP-6 chains.
    expect_each_authorization_captured_once();
    expect_every_order_collected_its_total();
    EXPECT_EQ(script.of(Operation::void_auth).size(), 40u);
}

TEST_F(OverlappedWaves, OPS6_StopDuringAWaveLeavesEveryOrderWholeAndTheNextRunFinishes) {
    orders_with_declines(200);
    std::atomic<bool> sigterm{false};
    stop = &sigterm;
    std::atomic<int> waves{0};
    script.before_execute = [&](const std::vector<domain::Request>&) {
        if (++waves == 2) sigterm = true;  // SIGTERM while the second wave is at the gateway
    };
    auto st = run(JobKind::capture);
    EXPECT_TRUE(st.failure.empty()) << st.failure;
    // The waves at the gateway are recorded: nothing is left pending, and fewer orders were done.
    EXPECT_EQ(open_ops(), 0);
    const auto first_run = script.of(Operation::capture).size();
    EXPECT_LT(first_run, 240u);
    for (const auto& o : data.orders) {
        Cents captured = 0;
        for (const auto& p : o.payments) captured += p.status == "captured" ? p.captured_cents : 0;
        EXPECT_TRUE(captured == 0 || captured == o.grand_total_cents) << o.number << " captured " << captured;
    }
    sigterm = false;
    script.before_execute = nullptr;
    st = run(JobKind::capture);
    EXPECT_TRUE(st.failure.empty()) << st.failure;
    expect_each_authorization_captured_once();
    expect_every_order_collected_its_total();
}

}  // namespace
}  // namespace olmd::test
