// The Stripe gateway (config.md [gateway]): PaymentIntents with manual capture.
//   authorize = POST /v1/payment_intents: amount (the currency's minor unit), currency,
//               payment_method_types[]=card, capture_method=manual, confirm=true,
//               off_session=true, payment_method, customer (when set), metadata[olmd_key],
//               expand[]=latest_charge
//   capture   = POST /v1/payment_intents/{id}/capture: amount_to_capture, expand[]=latest_charge
//   void      = POST /v1/payment_intents/{id}/cancel
//   state     = GET  /v1/payment_intents/{id}?expand[]=latest_charge
//   lookup    = that, or for an authorization GET /v1/payment_intents/search with
//               query=metadata['olmd_key']:'KEY' and expand[]=data.latest_charge
// Every request carries Authorization: Bearer and Stripe-Version ([gateway]
// stripe_api_version); every POST an Idempotency-Key. payment_method_types[]=card matters:
// since 2023-08-16 an intent without it uses automatic payment methods and a confirm without
// return_url is refused. An amount Stripe cannot take in the currency (cents that are no whole
// yen) is never sent: Outcome::rejected. How answers are classified: stripe_answers.cpp.
#include "gateway/stripe.hpp"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>

#include "gateway/stripe_answers.hpp"
#include "olmd/core/credentials.hpp"
#include "olmd/http/client.hpp"
#include "olmd/http/lane_pool.hpp"

namespace olmd::gateway {

namespace {

using json = nlohmann::json;
using stripe::AnswerReader;
using stripe::Classified;
using stripe::Verdict;

Answer refused(std::string code, std::string detail) {
    Answer a;
    a.outcome = Outcome::rejected;
    a.response_code = std::move(code);
    a.detail = std::move(detail);
    return a;
}

class StripeGateway final : public Gateway {
public:
    StripeGateway(const config::GatewayConfig& cfg, std::string key, const domain::Clock& clock,
                  const StopToken& stop)
        : cfg_(cfg),
          key_(std::move(key)),
          reader_(cfg.currency, key_),
          clock_(clock),
          stop_(stop),
          lanes_(cfg.concurrency) {
        while (!cfg_.url.empty() && cfg_.url.back() == '/') cfg_.url.pop_back();
    }

    std::string_view name() const override { return "stripe"; }

    std::chrono::seconds key_lifetime() const override { return std::chrono::hours(24); }

    /// Stripe re-uses a saved PaymentMethod off-session only when it is attached to a Customer.
    bool can_reauthorize(const Request& req) const override { return stripe_can_reauthorize(req); }

    /// Only HTTP (its own lanes) and the injected clock's waits: safe on worker threads, two at once.
    bool executes_off_thread() const override { return true; }

    std::vector<Answer> execute(const std::vector<Request>& reqs) override {
        std::vector<Answer> out(reqs.size());
        std::vector<std::size_t> todo;
        for (std::size_t i = 0; i < reqs.size(); ++i) {
            if (auto bad = invalid(reqs[i])) {
                out[i] = *bad;
                continue;
            }
            todo.push_back(i);
        }
        // Each pass sends the POSTs still to (re)try; an answer is read as soon as it arrives, while
        // the rest are in flight, and a GET that resolves an unexpected state joins the same pass.
        // Only POSTs that must be retried wait for a backoff.
        for (int attempt = 0; !todo.empty(); ++attempt) {
            std::vector<http::Request> http_reqs;
            http_reqs.reserve(todo.size());
            for (std::size_t i : todo) http_reqs.push_back(build(reqs[i]));
            std::vector<std::size_t> owner = todo;  // the run's k-th request is about reqs[owner[k]]
            std::vector<bool> retrieval(todo.size(), false);  // k-th is a GET resolving an unexpected state
            std::vector<std::size_t> again;
            bool transport_only = true;
            lanes_.perform_streaming(
                std::move(http_reqs),
                [&](std::size_t k, Result<http::Response> res) -> std::vector<http::Request> {
                    const std::size_t i = owner[k];
                    if (retrieval[k]) {
                        if (!res || res->status != 200) return {};  // stays unknown
                        json j = json::parse(res->body, nullptr, false);
                        if (j.is_discarded() || !j.is_object()) return {};
                        if (auto a = reader_.after_unexpected_state(reqs[i], j)) out[i] = *a;
                        return {};
                    }
                    Classified c = reader_.classify(reqs[i], res);
                    out[i] = std::move(c.answer);
                    if (c.verdict == Verdict::retry) {
                        again.push_back(i);
                        transport_only = transport_only && !res;
                    }
                    if (c.verdict != Verdict::retrieve) return {};
                    owner.push_back(i);
                    retrieval.push_back(true);
                    return {retrieve_request(reqs[i].gateway_ref)};
                });
            // A stop (SIGTERM) ends the backoff and the retries: the answers left say unknown and the
            // journal resolves them on the next run (OPS-6).
            if (again.empty() || attempt >= cfg_.max_retries ||
                clock_.wait_for(backoff(attempt, transport_only), stop_))
                break;  // out[i] already says unknown for the ones left
            std::sort(again.begin(), again.end());
            todo = std::move(again);
        }
        return out;
    }

    LookupResult lookup(const Request& q) override {
        http::Request r;
        if (q.op == Operation::authorize) {
            r = base("GET", "/v1/payment_intents/search?query=" +
                                http::url_encode("metadata['olmd_key']:'" + q.idempotency_key + "'") + "&" +
                                http::form_encode({{"expand[]", "data.latest_charge"}}));
        } else {
            if (q.gateway_ref.empty())
                return {LookupState::unknown, unknown("invalid_request", "no gateway_ref to look up")};
            r = retrieve_request(q.gateway_ref);
        }
        auto res = with_retries(r);
        if (!res)
            return {LookupState::unknown, unknown("network_error", reader_.scrub(res.error().message, &q))};
        const long st = res->status;
        if (st == 404 && q.op != Operation::authorize) {
            Answer a;
            a.outcome = Outcome::declined;
            a.response_code = "resource_missing";
            a.detail = "stripe: no such intent";
            a.gateway_ref = q.gateway_ref;
            return {LookupState::applied, a};
        }
        if (st != 200)
            return {LookupState::unknown, unknown("http_" + std::to_string(st), "stripe lookup failed")};
        json j = json::parse(res->body, nullptr, false);
        if (j.is_discarded() || !j.is_object())
            return {LookupState::unknown, unknown("bad_response", "stripe lookup: not JSON")};
        if (q.op != Operation::authorize) return reader_.lookup(q, j);
        // Search is eventually consistent (a new intent shows within about a minute); lookups
        // are for requests older than the 24 h key lifetime, so an empty result is an answer.
        auto d = j.find("data");
        if (d == j.end() || !d->is_array())
            return {LookupState::unknown, unknown("bad_response", "stripe search: no data")};
        if (d->empty()) return {LookupState::not_applied, {}};
        return reader_.lookup(q, d->front());
    }

private:
    static Answer unknown(std::string code, std::string detail) {
        Answer a;
        a.response_code = std::move(code);
        a.detail = std::move(detail);
        return a;
    }

    /// A request that must never be sent (bad input): its answer, else nullopt.
    std::optional<Answer> invalid(const Request& q) const {
        if (q.idempotency_key.empty()) return unknown("invalid_request", "no idempotency key");
        if (q.op == Operation::authorize && (q.card_token.empty() || q.amount <= 0))
            return refused("invalid_request", "no card token or no positive amount: not sent");
        if (q.op != Operation::authorize && q.gateway_ref.empty())
            return refused("invalid_request", "no gateway_ref: not sent");
        if (q.op == Operation::capture && q.amount <= 0)
            return refused("invalid_request", "amount to capture is not positive: not sent");
        if (q.op != Operation::void_auth && !to_stripe_amount(q.amount, cfg_.currency))
            return refused("invalid_amount", std::to_string(q.amount) + " cents is no whole amount of " +
                                                 cfg_.currency +
                                                 " (Stripe takes it in whole units): not sent");
        return std::nullopt;
    }

    http::Request base(const std::string& method, const std::string& path_and_query) const {
        http::Request r;
        r.method = method;
        r.url = cfg_.url + path_and_query;
        r.timeout_ms = std::max(1, cfg_.timeout_ms);
        r.connect_timeout_ms = std::min<long>(r.timeout_ms, 10000);
        r.stop = &stop_;  // OPS-2: a request still unanswered 2 s after SIGTERM is abandoned (unknown)
        r.headers.emplace_back("Authorization", "Bearer " + key_);
        r.headers.emplace_back("Stripe-Version", cfg_.stripe_api_version);
        return r;
    }

    http::Request retrieve_request(const std::string& ref) const {
        return base("GET", "/v1/payment_intents/" + http::url_encode(ref) + "?" +
                               http::form_encode({{"expand[]", "latest_charge"}}));
    }

    http::Request build(const Request& q) const {
        std::vector<std::pair<std::string, std::string>> f;
        std::string path;
        switch (q.op) {
            case Operation::authorize:
                path = "/v1/payment_intents";
                f = {{"amount", std::to_string(*to_stripe_amount(q.amount, cfg_.currency))},
                     {"currency", cfg_.currency},
                     {"payment_method_types[]", "card"},
                     {"capture_method", "manual"},
                     {"confirm", "true"},
                     {"off_session", "true"},
                     {"payment_method", q.card_token}};
                if (!q.customer_ref.empty()) f.emplace_back("customer", q.customer_ref);
                f.emplace_back("metadata[olmd_key]", q.idempotency_key);
                f.emplace_back("expand[]", "latest_charge");
                break;
            case Operation::capture:
                path = "/v1/payment_intents/" + http::url_encode(q.gateway_ref) + "/capture";
                f = {{"amount_to_capture", std::to_string(*to_stripe_amount(q.amount, cfg_.currency))},
                     {"expand[]", "latest_charge"}};
                break;
            case Operation::void_auth:
                path = "/v1/payment_intents/" + http::url_encode(q.gateway_ref) + "/cancel";
                break;
        }
        http::Request r = base("POST", path);
        r.headers.emplace_back("Idempotency-Key", q.idempotency_key);
        r.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
        r.body = http::form_encode(f);
        return r;
    }

    /// Wait before retry n: short after a lost connection, longer after 409/429/5xx (the server asks for it).
    static std::chrono::milliseconds backoff(int attempt, bool transport_only = false) {
        const long base = transport_only ? 50 : 500;
        return std::chrono::milliseconds(std::min<long>(4000, base << std::min(attempt, 4)));
    }

    /// One GET with the retry policy of POSTs (GETs are naturally idempotent).
    Result<http::Response> with_retries(const http::Request& r) const {
        Result<http::Response> res = http::perform(r);
        for (int attempt = 0; attempt < cfg_.max_retries; ++attempt) {
            const bool retry = !res || res->status == 409 || res->status == 429 || res->status >= 500;
            if (!retry || clock_.wait_for(backoff(attempt), stop_)) break;
            res = http::perform(r);
        }
        return res;
    }

    config::GatewayConfig cfg_;
    std::string key_;
    AnswerReader reader_;
    const domain::Clock& clock_;
    const StopToken& stop_;
    http::LanePool lanes_;  ///< [gateway] concurrency lanes, shared by concurrent execute() calls
};

}  // namespace

std::unique_ptr<Gateway> make_stripe_gateway(const config::GatewayConfig& cfg, std::string secret_key,
                                             const domain::Clock& clock, const StopToken& stop) {
    return std::make_unique<StripeGateway>(cfg, std::move(secret_key), clock, stop);
}

Result<std::string> read_api_key(const config::GatewayConfig& cfg) {
    if (cfg.api_key_file.empty())
        return Error{
            "[gateway] api_key_file is not set; kind = \"stripe\" needs a file holding the secret key"};
    // OPS-8: a regular file of one line, at most 4 KiB (or $CREDENTIALS_DIRECTORY/<basename>).
    auto key = files::read_credential(cfg.api_key_file, "[gateway] api_key_file");
    if (!key) return key.error();
    std::string k = std::move(*key);
    const auto first = k.find_first_not_of(" \t");
    return k.substr(first, k.find_last_not_of(" \t") - first + 1);
}

}  // namespace olmd::gateway
