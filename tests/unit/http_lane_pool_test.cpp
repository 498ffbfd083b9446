// olmd::http::LanePool against a local cpp-httplib server that logs when each request starts
// and ends: the lanes are shared by concurrent runs (never more in flight than the pool has),
// the earliest run's requests take a free lane first (the ones its completion adds too), a
// later run fills the lanes an earlier one frees while its last transfer is still in flight —
// what takes the tail off the payment engine's waves —, and a completion's exception reaches
// its own caller only.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "olmd/http/lane_pool.hpp"
#include "support/test_http_server.hpp"

namespace olmd::http {
namespace {

using namespace std::chrono_literals;

/// GET /lane?tag=T&ms=M: sleeps M ms, answers T; logs "+T" on arrival and "-T" before answering.
struct LaneLog {
    std::mutex m;
    std::vector<std::string> events;
    std::atomic<int> in_flight{0};
    std::atomic<int> max_in_flight{0};

    void add(std::string e) {
        std::lock_guard<std::mutex> lock(m);
        events.push_back(std::move(e));
    }
    /// Index of event e in the log, or -1.
    long at(const std::string& e) {
        std::lock_guard<std::mutex> lock(m);
        auto it = std::find(events.begin(), events.end(), e);
        return it == events.end() ? -1 : static_cast<long>(it - events.begin());
    }
    /// True once event e is logged, waiting up to 10 s.
    bool wait_for(const std::string& e) {
        for (int i = 0; i < 1000; ++i) {
            if (at(e) >= 0) return true;
            std::this_thread::sleep_for(10ms);
        }
        return false;
    }
    /// The tags in the order they arrived.
    std::vector<std::string> arrivals() {
        std::lock_guard<std::mutex> lock(m);
        std::vector<std::string> v;
        for (const auto& e : events)
            if (e[0] == '+') v.push_back(e.substr(1));
        return v;
    }
};

class LanePoolTest : public ::testing::Test {
protected:
    LaneLog log;
    test::TestHttpServer server{[this](httplib::Server& s) {
        s.new_task_queue = [] { return new httplib::ThreadPool(16); };
        s.Get("/lane", [this](const httplib::Request& q, httplib::Response& r) {
            const std::string tag = q.get_param_value("tag");
            log.add("+" + tag);
            const int now = ++log.in_flight;
            for (int prev = log.max_in_flight.load(); prev < now && !log.max_in_flight.compare_exchange_weak(prev, now);) {
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(std::stoi(q.get_param_value("ms"))));
            --log.in_flight;
            log.add("-" + tag);
            r.set_content(tag, "text/plain");
        });
    }};

    Request lane(const std::string& tag, int ms) {
        Request r;
        r.url = server.url() + "/lane?tag=" + tag + "&ms=" + std::to_string(ms);
        r.timeout_ms = 10000;
        return r;
    }
    /// A completion that records each body by index and adds nothing.
    static Completion keep(std::vector<std::string>& bodies, std::mutex& m) {
        return [&bodies, &m](std::size_t i, Result<Response> r) {
            std::lock_guard<std::mutex> lock(m);
            if (bodies.size() <= i) bodies.resize(i + 1);
            bodies[i] = r ? r->body : "error: " + r.error().message;
            return std::vector<Request>{};
        };
    }
};

TEST_F(LanePoolTest, ConcurrentRunsShareTheLanesAndEachGetsItsOwnAnswers) {
    LanePool pool(2);
    std::vector<std::string> a, b;
    std::mutex m;
    const Completion ka = keep(a, m), kb = keep(b, m);
    std::thread ta([&] { pool.perform_streaming({lane("a0", 100), lane("a1", 100), lane("a2", 100)}, ka); });
    std::thread tb([&] { pool.perform_streaming({lane("b0", 100), lane("b1", 100), lane("b2", 100)}, kb); });
    ta.join();
    tb.join();
    EXPECT_EQ(a, (std::vector<std::string>{"a0", "a1", "a2"}));  // the i-th result answers the i-th request
    EXPECT_EQ(b, (std::vector<std::string>{"b0", "b1", "b2"}));
    EXPECT_LE(log.max_in_flight.load(), 2) << "two runs on a pool of 2 lanes had more in flight";
    EXPECT_EQ(pool.concurrency(), 2);
}

TEST_F(LanePoolTest, ALaterRunTakesTheLaneAnEarlierRunFreesWhileItsLastTransferIsInFlight) {
    LanePool pool(2);
    std::vector<std::string> a, b;
    std::mutex m;
    const Completion ka = keep(a, m), kb = keep(b, m);
    // Run a: one slow transfer and two quick ones on 2 lanes; the second lane frees long before
    // the slow one ends, and run b, queued meanwhile, must take it rather than wait for run a.
    std::thread ta([&] { pool.perform_streaming({lane("slow", 1500), lane("q1", 50), lane("q2", 50)}, ka); });
    EXPECT_TRUE(log.wait_for("+slow"));  // (no ASSERT: the thread must still be joined)
    std::thread tb([&] { pool.perform_streaming({lane("later", 50)}, kb); });
    ta.join();
    tb.join();
    ASSERT_GE(log.at("-later"), 0);
    EXPECT_LT(log.at("-later"), log.at("-slow")) << "the later run waited for the earlier run's tail";
    EXPECT_EQ(b, (std::vector<std::string>{"later"}));
    EXPECT_LE(log.max_in_flight.load(), 2);
}

TEST_F(LanePoolTest, TheEarliestRunsRequestsTakeAFreeLaneFirstTheAddedOnesToo) {
    LanePool pool(1);
    std::vector<std::string> b;
    std::mutex m;
    std::atomic<bool> added{false};
    // Run a's completion of a0 adds a-added; run b is queued while a0 is in flight.
    const Completion ka = [&](std::size_t, Result<Response> r) {
        if (r && r->body == "a0" && !added.exchange(true)) return std::vector<Request>{lane("a-added", 10)};
        return std::vector<Request>{};
    };
    const Completion kb = keep(b, m);
    std::thread ta([&] { pool.perform_streaming({lane("a0", 300), lane("a1", 10)}, ka); });
    EXPECT_TRUE(log.wait_for("+a0"));
    std::thread tb([&] { pool.perform_streaming({lane("b0", 10)}, kb); });
    ta.join();
    tb.join();
    EXPECT_EQ(log.arrivals(), (std::vector<std::string>{"a0", "a1", "a-added", "b0"}));
    EXPECT_EQ(log.max_in_flight.load(), 1);
}

TEST_F(LanePoolTest, MalformedAndRefusedRequestsAreHandedOverAndTheRunEnds) {
    LanePool pool(2);
    Request malformed = lane("x", 10);
    malformed.url = "ftp://example.invalid/";
    Request refused;
    refused.url = "http://127.0.0.1:1/";
    refused.timeout_ms = 2000;
    std::vector<std::optional<bool>> ok(3);
    pool.perform_streaming({malformed, refused, lane("fine", 10)}, [&](std::size_t i, Result<Response> r) {
        ok[i] = r.ok();
        return std::vector<Request>{};
    });
    ASSERT_TRUE(ok[0] && ok[1] && ok[2]) << "a request was not handed over";
    EXPECT_FALSE(*ok[0]);
    EXPECT_FALSE(*ok[1]);
    EXPECT_TRUE(*ok[2]);
}

TEST_F(LanePoolTest, ACompletionThatThrowsReachesItsOwnCallerAndTheOtherRunGoesOn) {
    LanePool pool(2);
    std::vector<std::string> b;
    std::mutex m;
    const Completion kb = keep(b, m);
    const Completion throws = [](std::size_t, Result<Response>) -> std::vector<Request> {
        throw std::runtime_error("bad answer");
    };
    std::thread tb([&] { pool.perform_streaming({lane("b0", 200), lane("b1", 200)}, kb); });
    EXPECT_THROW(pool.perform_streaming({lane("a0", 10), lane("a1", 10)}, throws), std::runtime_error);
    tb.join();
    EXPECT_EQ(b, (std::vector<std::string>{"b0", "b1"}));
    EXPECT_EQ(log.at("+a1") >= 0, true) << "the throwing run's other request was still sent";
}

TEST_F(LanePoolTest, ARunOfNothingReturnsAtOnceAndThePoolIsReusable) {
    LanePool pool(1);
    int calls = 0;
    const Completion count = [&](std::size_t, Result<Response>) {
        ++calls;
        return std::vector<Request>{};
    };
    pool.perform_streaming({}, count);
    EXPECT_EQ(calls, 0);
    for (int round = 0; round < 3; ++round) pool.perform_streaming({lane("r" + std::to_string(round), 10)}, count);
    EXPECT_EQ(calls, 3);
}

}  // namespace
}  // namespace olmd::http
