#pragma once
// A local stand-in for Stripe's PaymentIntents API (config.md [gateway]), never kinder than
// Stripe: create (+confirm), capture, cancel, retrieve and search by metadata['olmd_key'].
//
// Every request is checked against the published OpenAPI description of API version
// 2023-08-16 (openapi_description.hpp; by default the subset the build extracts from
// ../shared/data/stripe/spec3.json): path and method, every body and query parameter
// (nested a[b], arrays a[]), types, enums, maxLength, required ones, with Stripe's 400
// answers (openapi_form_validator.hpp). A refused request is not applied, not stored under its
// idempotency key, and recorded in violations(). So is a request breaking one of Stripe's
// integration rules below (marked [violation]) and an invalid Stripe-Version header.
//
// Stripe's behaviours reproduced:
//  - Authorization: Bearer <api_key>, else 401. Stripe-Version: when sent, a version
//    (YYYY-MM-DD[.name]) else 400 [violation]; when absent the account default
//    (options.account_api_version, 2023-08-16). Each request's version is in seen().
//  - create with confirm=true under a version >= 2023-08-16 and neither payment_method_types
//    nor automatic_payment_methods: automatic payment methods are on, redirects allowed, so
//    without return_url -> 400 asking for a return_url [violation] (also with
//    automatic_payment_methods[enabled]=true unless allow_redirects=never). Both parameters ->
//    400 parameters_exclusive [violation]. payment_method_types without "card" -> 400 [violation].
//    No payment_method -> 400 [violation]. Before 2023-08-16 the default types are ["card"].
//  - a saved PaymentMethod used without `customer` -> 400 invalid_request_error, Stripe's
//    "previously used with a PaymentIntent without Customer attachment" [violation]. Which
//    PaymentMethods count as saved: every one except Stripe's test PaymentMethods "pm_card_*"
//    (each use makes a fresh one, as at Stripe) and "pm_fresh_*" (never used before) until
//    their first use without a customer. olmd's card tokens come from orders the storefront
//    already charged, so any other name is a PaymentMethod that was used before.
//  - capture_method defaults to automatic (the intent is captured at once), confirm to false.
//  - amounts are in the currency's minor unit (zero-decimal currencies such as jpy: whole
//    units); amount < Stripe's minimum for usd/eur/gbp/cad/aud/jpy -> 400 amount_too_small;
//    > 99999999 -> 400 amount_too_large.
//  - latest_charge is the Charge id unless expand[]=latest_charge (search:
//    expand[]=data.latest_charge) was sent, then the Charge with
//    payment_method_details.card.checks; versions before 2022-11-15 answer `charges` instead.
//    Expanding anything else that is expandable is recorded as a [violation] (not modelled);
//    anything not expandable -> 400 "This property cannot be expanded".
//  - capture: amount_to_capture (default amount_capturable) > amount_capturable -> 400
//    amount_too_large; < 1 -> 400; otherwise the intent is succeeded, amount_received = the
//    amount captured, amount_capturable = 0: the remainder is released (the charge's
//    amount_refunded). Capture of an intent that is not requires_capture (a second capture
//    after a partial one included) -> 400 payment_intent_unexpected_state with the intent.
//  - cancel of a succeeded or canceled intent -> 400 payment_intent_unexpected_state.
//  - unknown intent -> 404 resource_missing.
//  - idempotency: same key + same parameters -> the stored answer replayed
//    (Idempotent-Replayed: true); same key + other parameters -> 400 idempotency_error; the
//    same key while its first request is still in flight -> 409 idempotency_key_in_use (a
//    keyed POST spends its latency in flight); a key longer than 255 characters -> 400.
// Scripted outcomes by PaymentMethod name (case-insensitive substrings): "decline" -> 402
// card_error card_declined / generic_decline; "insufficient" -> insufficient_funds;
// "authentication_required" -> authentication_required; "avs_mismatch"/"avsfail" -> both
// address checks fail, "avsline1fail"/"avszipfail" one of them, "avsunchecked" unavailable;
// "cvv_mismatch"/"cvcfail"/"cvccheckfail" -> cvc fail, "cvcunavailable" unavailable; other
// checks pass. A PaymentMethod or intent id containing "timeout" loses the first answer for
// each key (applied, connection cut), like the sandbox.
// Knobs: latency per request, a failure rate (POSTs answered 500, nothing applied), a drop
// rate (POSTs applied, then the connection cut before the answer; replays too), autocreate.
// GET /_test/ledger and GET /_test/violations answer JSON without authentication.
// 127.0.0.1 on a free port (or a given one), served by a pool of threads.

#include <httplib.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace olmd::test {

namespace openapi {
class Description;
}

/// The description a server checks against by default: $OLMD_STRIPE_OPENAPI, else the file the
/// build named (OLMD_STRIPE_OPENAPI compile definition: the subset extracted from spec3.json).
std::string default_stripe_openapi();

struct StripeServerOptions {
    std::string api_key = "sk_test_olmd_secret_4242";  ///< the Bearer key it accepts
    int port = 0;                                      ///< 0 = a free port
    int latency_ms = 0;                                ///< added to every request
    double failure_rate = 0;                           ///< POSTs answered 500 without being applied
    double drop_rate = 0;  ///< POSTs applied, then the connection cut before the answer
    unsigned seed = 1;
    int threads = 96;
    /// Capture/cancel/retrieve of an unknown intent id creates it first (authorized for the
    /// amount asked, or 1 000 000, with pm_card_visa and passing checks), so databases made by
    /// gen-orders can be used as they are. Ids starting "expired" are created canceled;
    /// "fail_capture" ones answer captures with a 402; "fail_void" ones answer cancels with a 402.
    bool autocreate = false;
    /// The OpenAPI description (spec3.json or a subset of it) every request is checked against.
    std::string openapi = default_stripe_openapi();
    /// The account's default API version: the one of a request without a Stripe-Version header.
    std::string account_api_version = "2023-08-16";
};

/// One PaymentIntent as the server keeps it. Amounts are in the currency's minor unit.
struct TestIntent {
    std::string id;
    std::int64_t amount = 0;
    std::int64_t amount_received = 0;
    std::string status;  ///< requires_capture, succeeded, canceled, requires_payment_method, ...
    std::string payment_method;
    std::string customer;
    std::string olmd_key;  ///< metadata[olmd_key]
    int captures = 0;      ///< captures applied through the API (the ledger)
    int cancels = 0;
    std::set<std::string> capture_keys;   ///< distinct Idempotency-Keys of capture requests
    std::int64_t amount_capturable = -1;  ///< -1 when added: amount if requires_capture, else 0
    std::string currency = "usd";
    std::string capture_method = "manual";
    std::vector<std::string> payment_method_types = {"card"};
    std::string cancellation_reason;  ///< "" = null
    std::string charge_id;            ///< the latest Charge; "" when added: made up if confirmed
    std::string cvc_check = "pass";   ///< the charge's card checks ("" = null)
    std::string address_line1_check = "pass";
    std::string address_postal_code_check = "pass";
    std::string decline_code;  ///< last_payment_error when declined
    std::int64_t created = 1700000000;
};

/// One request as received.
struct SeenRequest {
    std::string method, path, query, body;
    std::string stripe_version;   ///< the Stripe-Version header; "" = not sent
    std::string idempotency_key;  ///< "" = not sent
    int status = 0;               ///< the HTTP status answered (0 = connection cut)
};

/// A request that broke the description or one of Stripe's integration rules.
struct Violation {
    std::string request;  ///< "POST /v1/payment_intents?query body"
    std::string code;     ///< Stripe's error code ("parameter_unknown"), or "" where it gives none
    std::string param;    ///< the parameter concerned, or ""
    std::string reason;   ///< the message
};

class StripeTestServer {
public:
    /// Loads the description and starts serving; throws when it cannot (no description, no port).
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

    // --- test hooks: states to start from -------------------------------------------------
    /// Adds an intent in the given status: requires_capture = an authorization of amount to
    /// capture; succeeded = fully captured (amount_received = amount); canceled = released.
    void add_intent(const std::string& id, std::int64_t amount,
                    const std::string& status = "requires_capture");
    /// Adds (or replaces) an intent exactly as given, e.g. a partially captured one: status
    /// succeeded, amount 10000, amount_received 4000 (amount_capturable -1 becomes 0).
    void add_intent(TestIntent intent);
    /// Captures `amount` of a requires_capture intent outside olmd (the back office): succeeded,
    /// remainder released; not counted in `captures`. False when the intent cannot be captured.
    bool capture_elsewhere(const std::string& id, std::int64_t amount);
    /// Lets the authorization of a requires_capture intent expire: canceled, reason automatic.
    bool expire(const std::string& id);

    // --- what happened ------------------------------------------------------------------
    /// A copy of the intent, or nullopt.
    std::optional<TestIntent> intent(const std::string& id) const;
    /// Every intent.
    std::vector<TestIntent> intents() const;
    /// Ledger: how many times the intent was captured through the API (0 when unknown).
    int captures(const std::string& id) const;
    /// Requests received so far, and POSTs among them that were applied (not replays).
    std::int64_t requests() const { return requests_.load(); }
    std::int64_t applied() const { return applied_.load(); }
    /// Every request line received ("POST /v1/payment_intents"), for protocol checks.
    std::vector<std::string> request_log() const;
    /// Every body of a POST received, with its path ("POST /v1/...: body"), for protocol checks.
    std::vector<std::string> bodies() const;
    /// Every request received, with its headers of interest and the status answered.
    std::vector<SeenRequest> seen() const;
    /// Every request that broke the description or an integration rule (see the file comment).
    std::vector<Violation> violations() const;

    /// Knobs, changeable while serving.
    void set_latency_ms(int ms) { latency_ms_ = ms; }
    void set_failure_rate(double r);
    void set_drop_rate(double r);

    /// The ledger as JSON: {"intents": {"pi_..": {"status":..,"captures":n,"capture_keys":n,"amount":..}},
    /// "requests": n, "applied": n, "violations": n}.
    std::string ledger_json() const;

private:
    /// An answer of the model: HTTP status, JSON body, and a violation to record ("" = none).
    struct Reply {
        int status = 200;
        nlohmann::json body;
        std::string violation;
    };
    /// What a handler gets: the checked parameters, the API version, the path's intent id.
    struct Call {
        std::string op;  ///< operationId
        nlohmann::json params;
        std::string version;
        std::string intent_id;
        std::string key;
    };
    struct Stored {
        std::string fingerprint;
        int status = 0;
        std::string body;
        bool done = false;  ///< false while the first request with the key is being processed
    };
    void routes();
    void handle(const httplib::Request& req, httplib::Response& res);
    void answer(const httplib::Request& req, httplib::Response& res, SeenRequest& seen);
    void violation(const SeenRequest& r, const std::string& code, const std::string& param,
                   const std::string& why);
    bool roll(double rate);

    // The PaymentIntent model (stripe_test_server_intents.cpp); called with mu_ held.
    Reply apply(const Call& c);
    Reply create(const Call& c);
    Reply capture(const Call& c);
    Reply cancel(const Call& c);
    Reply retrieve(const Call& c);
    Reply search(const Call& c);
    TestIntent* find_or_vivify(const std::string& id, std::int64_t amount);
    nlohmann::json intent_json(const TestIntent& t, const Call& c, bool expand_charge) const;
    std::optional<Reply> expansion(const Call& c, const std::string& prefix, bool& expand_charge) const;

    StripeServerOptions opt_;
    std::shared_ptr<const openapi::Description> description_;
    httplib::Server server_;
    std::thread thread_;
    int port_ = -1;
    mutable std::mutex mu_;
    std::map<std::string, TestIntent> intents_;
    std::map<std::string, Stored> keys_;
    std::set<std::string> used_without_customer_;  ///< pm_fresh_* PaymentMethods consumed
    std::vector<std::string> log_, bodies_;
    std::vector<SeenRequest> seen_;
    std::vector<Violation> violations_;
    std::int64_t next_id_ = 1;
    std::mt19937_64 rng_;
    std::atomic<int> latency_ms_{0};
    double failure_rate_ = 0, drop_rate_ = 0;
    std::atomic<std::int64_t> requests_{0}, applied_{0};
};

}  // namespace olmd::test
