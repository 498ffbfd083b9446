// olmd::http: requests against a local cpp-httplib server, a server that never
// answers, and a closed port; concurrency of perform_all; perform_streaming's hand-over.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "olmd/http/client.hpp"
#include "support/fake_geo_server.hpp"
#include "support/silent_server.hpp"
#include "support/test_http_server.hpp"

namespace olmd::http {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

long ms_since(Clock::time_point t0) {
    return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count());
}

/// Routes of the test server; counts requests in flight on /sleep.
struct Routes {
    std::atomic<int> in_flight{0};
    std::atomic<int> max_in_flight{0};

    void operator()(httplib::Server& s) {
        s.Get("/hello", [](const httplib::Request&, httplib::Response& r) {
            r.set_header("X-Test", "yes");
            r.set_content("hello", "text/plain");
        });
        const auto echo = [](const httplib::Request& q, httplib::Response& r) {
            nlohmann::json j{{"method", q.method},
                             {"body", q.body},
                             {"content_type", q.get_header_value("Content-Type")},
                             {"custom", q.get_header_value("X-Custom")},
                             {"authorization", q.get_header_value("Authorization")},
                             {"user_agent", q.get_header_value("User-Agent")}};
            r.set_content(j.dump(), "application/json");
        };
        s.Get("/echo", echo);
        s.Post("/echo", echo);
        s.Put("/echo", echo);
        s.Delete("/echo", echo);
        s.Get(R"(/status/(\d+))", [](const httplib::Request& q, httplib::Response& r) {
            r.status = std::stoi(q.matches[1]);
            r.set_content("status " + std::string(q.matches[1]), "text/plain");
        });
        s.Get("/sleep", [this](const httplib::Request& q, httplib::Response& r) {
            const int now = ++in_flight;
            for (int prev = max_in_flight.load(); prev < now && !max_in_flight.compare_exchange_weak(prev, now);) {
            }
            std::this_thread::sleep_for(200ms);
            --in_flight;
            r.set_content(q.get_param_value("n"), "text/plain");
        });
        s.Get("/big", [](const httplib::Request&, httplib::Response& r) {
            r.set_content(std::string(max_response_bytes + 1, 'x'), "application/octet-stream");
        });
    }
};

class HttpClient : public ::testing::Test {
protected:
    Routes routes;
    test::TestHttpServer server{[this](httplib::Server& s) { routes(s); }};

    Request get(const std::string& path) {
        Request r;
        r.url = server.url() + path;
        r.timeout_ms = 5000;
        return r;
    }
};

TEST_F(HttpClient, GetReturnsStatusBodyAndHeaders) {
    const auto r = perform(get("/hello"));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "hello");
    EXPECT_EQ(r->header("x-TEST").value_or(""), "yes");
    EXPECT_EQ(r->header("Content-Type").value_or(""), "text/plain");
    EXPECT_FALSE(r->header("X-Missing").has_value());
}

TEST_F(HttpClient, PostSendsBodyHeadersAndBasicAuth) {
    Request req = get("/echo");
    req.method = "POST";
    req.body = form_encode({{"amount", "10.00"}, {"note", "a b&c"}});
    req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"X-Custom", "v1"}};
    req.basic_auth = std::pair{std::string("user"), std::string("pa:ss")};
    const auto r = perform(req);
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(r->status, 200);
    const auto j = nlohmann::json::parse(r->body);
    EXPECT_EQ(j["method"], "POST");
    EXPECT_EQ(j["body"], "amount=10.00&note=a%20b%26c");
    EXPECT_EQ(j["content_type"], "application/x-www-form-urlencoded");
    EXPECT_EQ(j["custom"], "v1");
    EXPECT_EQ(j["authorization"], "Basic " + test::base64("user:pa:ss"));
    EXPECT_EQ(j["user_agent"].get<std::string>().rfind("olmd/", 0), 0u);
}

TEST_F(HttpClient, PutAndDeleteUseTheirMethod) {
    for (const std::string m : {"PUT", "DELETE"}) {
        Request req = get("/echo");
        req.method = m;
        req.body = "{}";
        const auto r = perform(req);
        ASSERT_TRUE(r.ok()) << r.error().message;
        EXPECT_EQ(nlohmann::json::parse(r->body)["method"], m);
        EXPECT_EQ(nlohmann::json::parse(r->body)["body"], "{}");
    }
}

TEST_F(HttpClient, ErrorStatusesAreResponsesNotErrors) {
    for (const int status : {400, 401, 404, 500, 503}) {
        const auto r = perform(get("/status/" + std::to_string(status)));
        ASSERT_TRUE(r.ok()) << r.error().message;
        EXPECT_EQ(r->status, status);
        EXPECT_EQ(r->body, "status " + std::to_string(status));
    }
}

TEST_F(HttpClient, ConnectionRefusedIsAnError) {
    Request req;
    req.url = "http://127.0.0.1:" + std::to_string(test::closed_port()) + "/x";
    const auto r = perform(req);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("127.0.0.1"), std::string::npos) << r.error().message;
}

TEST_F(HttpClient, TimeoutIsAnErrorAfterAboutTheTimeout) {
    test::SilentServer silent;
    Request req;
    req.url = silent.url() + "/never";
    req.timeout_ms = 300;
    const auto t0 = Clock::now();
    const auto r = perform(req);
    const long elapsed = ms_since(t0);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("Timeout"), std::string::npos) << r.error().message;
    EXPECT_GE(elapsed, 250);
    EXPECT_LT(elapsed, 2000);
    EXPECT_EQ(silent.accepted(), 1);
}

TEST_F(HttpClient, ErrorMessagesHideCredentialsAndQuery) {
    test::SilentServer silent;
    Request req;
    req.url = silent.url() + "/lookup?ip=8.8.8.8&key=TOPSECRETKEY";
    req.timeout_ms = 200;
    req.basic_auth = std::pair{std::string("account"), std::string("PASSWORD123")};
    req.headers = {{"Authorization-Token", "HEADERSECRET"}};
    const auto r = perform(req);
    ASSERT_FALSE(r.ok());
    const std::string& m = r.error().message;
    EXPECT_EQ(m.find("TOPSECRETKEY"), std::string::npos) << m;
    EXPECT_EQ(m.find("key="), std::string::npos) << m;
    EXPECT_EQ(m.find("PASSWORD123"), std::string::npos) << m;
    EXPECT_EQ(m.find("HEADERSECRET"), std::string::npos) << m;
    EXPECT_NE(m.find("GET http://127.0.0.1:" + std::to_string(silent.port()) + "/lookup?<redacted>"),
              std::string::npos)
        << m;
}

TEST_F(HttpClient, MalformedRequestsAreErrorsWithoutARequest) {
    Request bad_scheme = get("/hello");
    bad_scheme.url = "ftp://127.0.0.1/x";
    Request bad_method = get("/hello");
    bad_method.method = "TRACE";
    Request bad_header = get("/hello");
    bad_header.headers = {{"X-A", "b\r\nX-Injected: 1"}};
    Request bad_timeout = get("/hello");
    bad_timeout.timeout_ms = 0;
    for (const auto& req : {bad_scheme, bad_method, bad_header, bad_timeout}) {
        const auto r = perform(req);
        EXPECT_FALSE(r.ok()) << req.method << " " << req.url;
    }
}

TEST_F(HttpClient, BodyLargerThanTheLimitIsAnError) {
    const auto r = perform(get("/big"));
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("larger than"), std::string::npos) << r.error().message;
}

TEST(HttpEncode, UrlEncodeKeepsOnlyUnreservedCharacters) {
    EXPECT_EQ(url_encode("AZaz09-._~"), "AZaz09-._~");
    EXPECT_EQ(url_encode("a b&c=d/é+%"), "a%20b%26c%3Dd%2F%C3%A9%2B%25");
    EXPECT_EQ(url_encode(""), "");
    EXPECT_EQ(url_encode(std::string("a\0b", 3)), "a%00b");
}

TEST(HttpEncode, FormEncodeJoinsEncodedPairs) {
    EXPECT_EQ(form_encode({}), "");
    EXPECT_EQ(form_encode({{"k", "v"}}), "k=v");
    EXPECT_EQ(form_encode({{"a b", "1&2"}, {"x", ""}}), "a%20b=1%262&x=");
}

TEST(HttpEncode, RedactUrlDropsUserInfoQueryAndFragment) {
    EXPECT_EQ(redact_url("https://api.example.com/v2/x?ip=1&key=SECRET"), "https://api.example.com/v2/x?<redacted>");
    EXPECT_EQ(redact_url("https://user:pw@host:8443/p#frag"), "https://host:8443/p?<redacted>");
    EXPECT_EQ(redact_url("http://host/path"), "http://host/path");
    EXPECT_EQ(redact_url("http://host?k=v"), "http://host?<redacted>");
}

TEST_F(HttpClient, PerformAllRunsConcurrently) {
    std::vector<Request> reqs;
    for (int i = 0; i < 8; ++i) reqs.push_back(get("/sleep?n=" + std::to_string(i)));
    const auto t0 = Clock::now();
    const auto results = perform_all(reqs, 8);
    const long elapsed = ms_since(t0);
    ASSERT_EQ(results.size(), 8u);
    for (int i = 0; i < 8; ++i) {
        ASSERT_TRUE(results[i].ok()) << results[i].error().message;
        EXPECT_EQ(results[i]->status, 200);
        EXPECT_EQ(results[i]->body, std::to_string(i));  // i-th result answers the i-th request
    }
    EXPECT_LT(elapsed, 1000) << "8 x 200 ms requests took " << elapsed << " ms: not concurrent";
    EXPECT_GE(routes.max_in_flight.load(), 4);
}

TEST_F(HttpClient, PerformAllRespectsTheConcurrencyLimit) {
    std::vector<Request> reqs;
    for (int i = 0; i < 6; ++i) reqs.push_back(get("/sleep?n=" + std::to_string(i)));
    const auto t0 = Clock::now();
    const auto results = perform_all(reqs, 2);
    const long elapsed = ms_since(t0);
    for (const auto& r : results) ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_LE(routes.max_in_flight.load(), 2);
    EXPECT_GE(elapsed, 3 * 200 - 50);
}

TEST_F(HttpClient, PerformAllReportsEachRequestsOwnOutcome) {
    test::SilentServer silent;
    Request refused;
    refused.url = "http://127.0.0.1:" + std::to_string(test::closed_port()) + "/x";
    Request malformed = get("/hello");
    malformed.method = "BREW";
    Request timeout;
    timeout.url = silent.url() + "/never";
    timeout.timeout_ms = 300;
    const auto results = perform_all({get("/hello"), refused, malformed, get("/status/500"), timeout, get("/echo")}, 3);
    ASSERT_EQ(results.size(), 6u);
    ASSERT_TRUE(results[0].ok());
    EXPECT_EQ(results[0]->body, "hello");
    EXPECT_FALSE(results[1].ok());
    EXPECT_FALSE(results[2].ok());
    ASSERT_TRUE(results[3].ok());
    EXPECT_EQ(results[3]->status, 500);
    ASSERT_FALSE(results[4].ok());
    EXPECT_NE(results[4].error().message.find("Timeout"), std::string::npos) << results[4].error().message;
    ASSERT_TRUE(results[5].ok());
    EXPECT_EQ(results[5]->status, 200);
}

TEST_F(HttpClient, PerformAllOfNothingIsEmpty) {
    EXPECT_TRUE(perform_all({}, 4).empty());
    const auto one = perform_all({get("/hello")}, 0);  // a limit below 1 still runs one at a time
    ASSERT_EQ(one.size(), 1u);
    EXPECT_TRUE(one[0].ok());
}

TEST_F(HttpClient, PerformStreamingHandsEachResultOverWhileOthersAreInFlight) {
    // /hello answers at once, /sleep after 200 ms: the quick one is handed over first, while the
    // slow one is still in flight, not when the whole run is done.
    std::vector<std::pair<std::size_t, long>> handed;  // index, ms since the start
    const auto t0 = Clock::now();
    perform_streaming({get("/sleep?n=0"), get("/hello")}, 2, [&](std::size_t i, Result<Response> r) {
        EXPECT_TRUE(r.ok()) << r.error().message;
        handed.emplace_back(i, ms_since(t0));
        return std::vector<Request>{};
    });
    ASSERT_EQ(handed.size(), 2u);
    EXPECT_EQ(handed[0].first, 1u);
    EXPECT_LT(handed[0].second, 150) << "the quick answer waited for the slow one";
    EXPECT_EQ(handed[1].first, 0u);
}

TEST_F(HttpClient, PerformStreamingRunsWhatTheCompletionAddsInTheSameRun) {
    // Each of four /sleep requests adds one more after it; all eight are handed over once, with
    // indexes after the first four, and at most 4 are in flight.
    std::vector<int> seen(8, 0);
    std::vector<std::string> bodies(8);
    perform_streaming({get("/sleep?n=0"), get("/sleep?n=1"), get("/sleep?n=2"), get("/sleep?n=3")}, 4,
                      [&](std::size_t i, Result<Response> r) {
                          EXPECT_LT(i, seen.size());
                          if (i >= seen.size()) return std::vector<Request>{};
                          ++seen[i];
                          if (r) bodies[i] = r->body;
                          if (i >= 4) return std::vector<Request>{};
                          return std::vector<Request>{get("/sleep?n=" + std::to_string(10 + i))};
                      });
    for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], 1) << "request " << i;
    std::vector<std::string> added(bodies.begin() + 4, bodies.end());
    std::sort(added.begin(), added.end());
    EXPECT_EQ(added, (std::vector<std::string>{"10", "11", "12", "13"}));
    EXPECT_LE(routes.max_in_flight.load(), 4);
}

TEST_F(HttpClient, PerformStreamingHandsOverMalformedAndRefusedRequestsToo) {
    Request malformed = get("/hello");
    malformed.method = "BREW";
    Request refused;
    refused.url = "http://127.0.0.1:" + std::to_string(test::closed_port()) + "/x";
    int errors = 0, ok = 0;
    perform_streaming({malformed, refused, get("/hello")}, 2, [&](std::size_t, Result<Response> r) {
        (r ? ok : errors) += 1;
        return std::vector<Request>{};
    });
    EXPECT_EQ(errors, 2);
    EXPECT_EQ(ok, 1);
}

TEST_F(HttpClient, PerformIsSafeFromManyThreads) {
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 6; ++i)
        threads.emplace_back([&] {
            const auto r = perform(get("/hello"));
            if (r.ok() && r->body == "hello") ++ok;
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok.load(), 6);
}

}  // namespace
}  // namespace olmd::http
