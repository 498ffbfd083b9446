#pragma once
// A local server speaking the subset of Stripe's API olmd uses (config.md):
// PaymentIntents create+confirm with manual capture, capture, cancel, retrieve,
// and search by metadata['olmd_key'], with Stripe's idempotency semantics
// (same key + same parameters -> the stored response replayed; same key + other
// parameters -> 400 idempotency_error; a key still being processed -> 409).
// Knobs: latency per request, a failure rate (500, nothing applied), a drop rate
// (the operation is applied, then the connection is cut before the answer: the
// ambiguous case; replays are dropped at the same rate), and a ledger counting
// captures per intent. Like the sandbox, a payment method or intent id containing
// "timeout" loses the first answer for each key (applied, answer cut).
// 127.0.0.1 on a free port (or a given one), served by a pool of threads.

#include <httplib.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace olmd::test {

struct StripeServerOptions {
    std::string api_key = "sk_test_olmd_secret_4242";  ///< the Bearer key it accepts
    int port = 0;                  ///< 0 = a free port
    int latency_ms = 0;            ///< added to every request
    double failure_rate = 0;       ///< POSTs answered 500 without being applied
    double drop_rate = 0;          ///< POSTs applied, then the connection cut before the answer
    unsigned seed = 1;
    int threads = 96;
    /// Capture/cancel/retrieve of an unknown intent id creates it first (authorized for the
    /// amount asked, or 1 000 000 cents), so databases made by gen-orders can be used as they are.
    /// Ids starting "expired" are created canceled; "fail_capture" ones decline captures;
    /// "fail_void" ones decline cancels.
    bool autocreate = false;
};

/// One PaymentIntent as the server keeps it.
struct TestIntent {
    std::string id;
    std::int64_t amount = 0;
    std::int64_t amount_received = 0;
    std::string status;            ///< requires_capture, succeeded, canceled, requires_payment_method
    std::string payment_method;
    std::string customer;
    std::string olmd_key;          ///< metadata[olmd_key]
    int captures = 0;              ///< times a capture was applied (the ledger)
    int cancels = 0;
    std::set<std::string> capture_keys;  ///< distinct Idempotency-Keys of capture requests
};

class StripeTestServer {
public:
    /// Starts serving; throws when it cannot listen.
    explicit StripeTestServer(StripeServerOptions options = {});
    /// Stops serving and joins the threads.
    ~StripeTestServer();
    StripeTestServer(const StripeTestServer&) = delete;
    StripeTestServer& operator=(const StripeTestServer&) = delete;

    /// The port it listens on.
    int port() const { return port_; }
    /// "http://127.0.0.1:<port>".
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    /// The accepted API key.
    const std::string& api_key() const { return opt_.api_key; }

    /// Adds an intent in the given status (e.g. requires_capture = an authorization to capture).
    void add_intent(const std::string& id, std::int64_t amount, const std::string& status = "requires_capture");
    /// A copy of the intent, or nullopt.
    std::optional<TestIntent> intent(const std::string& id) const;
    /// Every intent.
    std::vector<TestIntent> intents() const;
    /// Ledger: how many times the intent was captured (0 when unknown).
    int captures(const std::string& id) const;
    /// Requests received so far, and POSTs among them that were applied (not replays).
    std::int64_t requests() const { return requests_.load(); }
    std::int64_t applied() const { return applied_.load(); }
    /// Every request line received ("POST /v1/payment_intents"), for protocol checks.
    std::vector<std::string> request_log() const;
    /// Every body of a POST received, with its path ("POST /v1/...: body"), for protocol checks.
    std::vector<std::string> bodies() const;

    /// Knobs, changeable while serving.
    void set_latency_ms(int ms) { latency_ms_ = ms; }
    void set_failure_rate(double r);
    void set_drop_rate(double r);

    /// The ledger as JSON: {"intents": {"pi_..": {"status":..,"captures":n,"capture_keys":n,"amount":..}}}.
    std::string ledger_json() const;

private:
    struct Stored {
        std::string fingerprint;
        int status = 0;
        std::string body;
        bool done = false;
    };
    void routes();
    bool authorized(const httplib::Request& req, httplib::Response& res) const;
    void post(const httplib::Request& req, httplib::Response& res, const std::string& what, const std::string& id);
    std::pair<int, std::string> apply(const std::string& what, const std::string& id,
                                      const std::multimap<std::string, std::string>& params, const std::string& key);
    TestIntent& vivify(const std::string& id, std::int64_t amount);
    bool roll(double rate);

    StripeServerOptions opt_;
    httplib::Server server_;
    std::thread thread_;
    int port_ = -1;
    mutable std::mutex mu_;
    std::map<std::string, TestIntent> intents_;
    std::map<std::string, Stored> keys_;
    std::vector<std::string> log_, bodies_;
    std::int64_t next_id_ = 1;
    std::mt19937_64 rng_;
    std::atomic<int> latency_ms_{0};
    double failure_rate_ = 0, drop_rate_ = 0;
    std::atomic<std::int64_t> requests_{0}, applied_{0};
};

}  // namespace olmd::test
