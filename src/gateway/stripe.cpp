// The Stripe gateway (config.md): PaymentIntents with manual capture.
//   authorize = POST /v1/payment_intents (confirm, off_session, metadata[olmd_key])
//   capture   = POST /v1/payment_intents/{id}/capture (amount_to_capture)
//   void      = POST /v1/payment_intents/{id}/cancel
//   lookup    = GET  /v1/payment_intents/{id}, or for an authorization
//               GET  /v1/payment_intents/search?query=metadata['olmd_key']:'KEY'
// Every POST carries the Idempotency-Key header. Answers are classified as
//   succeeded / declined (card_error, invalid request, intent in a final state), or
//   retryable (network error, timeout, 409, 429, 5xx): repeated with the same key
//   after a backoff, up to [gateway] max_retries, then unknown;
//   payment_intent_unexpected_state: the intent is retrieved and its real state used;
//   anything unparseable, or 401/403: unknown (never a guess, never a crash).
#include "gateway/stripe.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <thread>

#include "olmd/http/client.hpp"

namespace olmd::gateway {

namespace {

using json = nlohmann::json;

/// How one HTTP exchange was classified.
enum class Verdict { final, retry, retrieve };

struct Classified {
    Verdict verdict = Verdict::final;
    Answer answer;
};

std::string str_field(const json& j, const char* key) {
    if (!j.is_object()) return {};
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return {};
    return it->get<std::string>();
}

/// Stripe's card check values mapped to the database's avs/cvv words ("" = not reported).
std::string check_word(const std::string& v) {
    if (v == "pass") return "match";
    if (v == "fail") return "mismatch";
    if (v == "unavailable" || v == "unchecked") return "unavailable";
    return {};
}

/// The card checks of the intent's charge, when the answer carries the charge object.
void read_checks(const json& intent, Answer& a) {
    const json* charge = nullptr;
    if (auto it = intent.find("latest_charge"); it != intent.end() && it->is_object()) charge = &*it;
    if (charge == nullptr) {
        if (auto it = intent.find("charges"); it != intent.end() && it->is_object()) {
            auto d = it->find("data");
            if (d != it->end() && d->is_array() && !d->empty() && d->back().is_object()) charge = &d->back();
        }
    }
    if (charge == nullptr) return;
    const json* checks = nullptr;
    try {
        const json& c = charge->at("payment_method_details").at("card").at("checks");
        if (c.is_object()) checks = &c;
    } catch (const std::exception&) {
        return;
    }
    if (checks == nullptr) return;
    a.cvv_result = check_word(str_field(*checks, "cvc_check"));
    const std::string line1 = check_word(str_field(*checks, "address_line1_check"));
    const std::string postal = check_word(str_field(*checks, "address_postal_code_check"));
    if (line1 == "mismatch" || postal == "mismatch")
        a.avs_result = "mismatch";
    else if (line1 == "match" || postal == "match")
        a.avs_result = (line1 == "unavailable" || postal == "unavailable") ? "unavailable" : "match";
    else if (!line1.empty() || !postal.empty())
        a.avs_result = "unavailable";
}

Answer make(Outcome o, std::string code, std::string detail, std::string ref = {}) {
    Answer a;
    a.outcome = o;
    a.response_code = std::move(code);
    a.detail = std::move(detail);
    a.gateway_ref = std::move(ref);
    return a;
}

/// What an intent's status means for the operation that was asked of it. nullopt: the intent is
/// in a state that says nothing final about the operation (retrieve gave no answer).
std::optional<Answer> answer_from_intent(Operation op, const json& intent, const std::string& how) {
    const std::string id = str_field(intent, "id");
    const std::string status = str_field(intent, "status");
    if (id.empty() || status.empty()) return std::nullopt;
    switch (op) {
        case Operation::authorize:
            if (status == "requires_capture" || status == "succeeded") {
                Answer a = make(Outcome::succeeded, "approved", how + ": intent " + status, id);
                read_checks(intent, a);
                return a;
            }
            if (status == "canceled")  // authorized, then released or expired since
                return make(Outcome::succeeded, "approved_then_canceled", how + ": intent canceled", id);
            if (status == "requires_payment_method")
                return make(Outcome::declined, "card_declined", how + ": intent requires_payment_method", id);
            return std::nullopt;  // processing, requires_action, requires_confirmation: undecided
        case Operation::capture:
            if (status == "succeeded") return make(Outcome::succeeded, "captured", how + ": intent succeeded", id);
            if (status == "canceled" || status == "requires_payment_method")
                return make(Outcome::declined, "intent_" + status, how + ": intent " + status, id);
            return std::nullopt;
        case Operation::void_auth:
            if (status == "canceled") return make(Outcome::succeeded, "canceled", how + ": intent canceled", id);
            if (status == "succeeded")
                return make(Outcome::declined, "already_captured", how + ": intent already captured", id);
            return std::nullopt;
    }
    return std::nullopt;
}

class StripeGateway final : public Gateway {
public:
    StripeGateway(const config::GatewayConfig& cfg, std::string key) : cfg_(cfg), key_(std::move(key)) {
        while (!cfg_.url.empty() && cfg_.url.back() == '/') cfg_.url.pop_back();
    }

    std::string_view name() const override { return "stripe"; }

    std::chrono::seconds key_lifetime() const override { return std::chrono::hours(24); }

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
        // Each pass sends the POSTs still to (re)try and the GETs that resolve an unexpected
        // state, all at once; only POSTs that must be retried wait for a backoff.
        std::vector<std::size_t> to_retrieve;
        for (int attempt = 0; !todo.empty() || !to_retrieve.empty(); ++attempt) {
            std::vector<http::Request> http_reqs;
            http_reqs.reserve(todo.size() + to_retrieve.size());
            for (std::size_t i : todo) http_reqs.push_back(build(reqs[i]));
            for (std::size_t i : to_retrieve)
                http_reqs.push_back(base("GET", "/v1/payment_intents/" + http::url_encode(reqs[i].gateway_ref)));
            auto res = http::perform_all(http_reqs, std::max(1, cfg_.concurrency));
            std::vector<std::size_t> again, retrieve_next;
            bool transport_only = true;
            for (std::size_t k = 0; k < todo.size(); ++k) {
                const std::size_t i = todo[k];
                Classified c = classify(reqs[i], res[k]);
                out[i] = std::move(c.answer);
                if (c.verdict == Verdict::retry) {
                    again.push_back(i);
                    transport_only = transport_only && !res[k];
                }
                if (c.verdict == Verdict::retrieve) retrieve_next.push_back(i);
            }
            for (std::size_t k = 0; k < to_retrieve.size(); ++k) {
                const auto& r = res[todo.size() + k];
                const std::size_t i = to_retrieve[k];
                if (!r || r->status != 200) continue;  // stays unknown
                json j = json::parse(r->body, nullptr, false);
                if (j.is_discarded() || !j.is_object()) continue;
                if (auto a = answer_from_intent(reqs[i].op, j, "stripe retrieve after unexpected state")) out[i] = *a;
            }
            to_retrieve = std::move(retrieve_next);
            if (again.empty() || attempt >= cfg_.max_retries) {
                todo.clear();  // out[i] already says unknown for the ones left
                continue;
            }
            std::this_thread::sleep_for(backoff(attempt, transport_only));
            todo = std::move(again);
        }
        return out;
    }

    LookupResult lookup(const Request& q) override {
        http::Request r = base("GET", "");
        if (q.op == Operation::authorize) {
            r.url = cfg_.url + "/v1/payment_intents/search?query=" +
                    http::url_encode("metadata['olmd_key']:'" + q.idempotency_key + "'");
        } else {
            if (q.gateway_ref.empty()) return {LookupState::unknown, make(Outcome::unknown, "invalid_request", "no gateway_ref")};
            r.url = cfg_.url + "/v1/payment_intents/" + http::url_encode(q.gateway_ref);
        }
        auto res = with_retries(r);
        if (!res) return {LookupState::unknown, make(Outcome::unknown, "network_error", scrub(res.error().message))};
        const long st = res->status;
        if (st == 404 && q.op != Operation::authorize)
            return {LookupState::applied, make(Outcome::declined, "resource_missing", "stripe: no such intent")};
        if (st != 200) return {LookupState::unknown, make(Outcome::unknown, "http_" + std::to_string(st), "stripe lookup failed")};
        json j = json::parse(res->body, nullptr, false);
        if (j.is_discarded() || !j.is_object())
            return {LookupState::unknown, make(Outcome::unknown, "bad_response", "stripe lookup: not JSON")};
        const json* intent = &j;
        if (q.op == Operation::authorize) {
            auto d = j.find("data");
            if (d == j.end() || !d->is_array())
                return {LookupState::unknown, make(Outcome::unknown, "bad_response", "stripe search: no data")};
            if (d->empty()) return {LookupState::not_applied, {}};
            intent = &d->front();
        }
        const std::string status = str_field(*intent, "status");
        if (q.op == Operation::capture && status == "requires_capture") return {LookupState::not_applied, {}};
        if (q.op == Operation::void_auth && status == "requires_capture") return {LookupState::not_applied, {}};
        if (auto a = answer_from_intent(q.op, *intent, "stripe lookup")) return {LookupState::applied, *a};
        return {LookupState::unknown, make(Outcome::unknown, "intent_" + status, "stripe lookup: intent " + status)};
    }

private:
    /// A request that must never be sent (bad input): a declined answer, else nullopt.
    std::optional<Answer> invalid(const Request& q) const {
        if (q.idempotency_key.empty()) return make(Outcome::unknown, "invalid_request", "no idempotency key");
        if (q.op == Operation::authorize && (q.card_token.empty() || q.amount <= 0))
            return make(Outcome::declined, "invalid_request", "no card token or no positive amount");
        if (q.op != Operation::authorize && q.gateway_ref.empty())
            return make(Outcome::declined, "invalid_request", "no gateway_ref");
        if (q.op == Operation::capture && q.amount <= 0)
            return make(Outcome::declined, "invalid_request", "amount to capture is not positive");
        return std::nullopt;
    }

    http::Request base(const std::string& method, const std::string& path) const {
        http::Request r;
        r.method = method;
        r.url = cfg_.url + path;
        r.timeout_ms = std::max(1, cfg_.timeout_ms);
        r.connect_timeout_ms = std::min<long>(r.timeout_ms, 10000);
        r.headers.emplace_back("Authorization", "Bearer " + key_);
        return r;
    }

    http::Request build(const Request& q) const {
        std::vector<std::pair<std::string, std::string>> f;
        std::string path;
        switch (q.op) {
            case Operation::authorize:
                path = "/v1/payment_intents";
                f = {{"amount", std::to_string(q.amount)},
                     {"currency", cfg_.currency},
                     {"capture_method", "manual"},
                     {"confirm", "true"},
                     {"off_session", "true"},
                     {"payment_method", q.card_token}};
                if (!q.customer_ref.empty()) f.emplace_back("customer", q.customer_ref);
                f.emplace_back("metadata[olmd_key]", q.idempotency_key);
                break;
            case Operation::capture:
                path = "/v1/payment_intents/" + http::url_encode(q.gateway_ref) + "/capture";
                f = {{"amount_to_capture", std::to_string(q.amount)}};
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
            if (!retry) break;
            std::this_thread::sleep_for(backoff(attempt));
            res = http::perform(r);
        }
        return res;
    }

    /// Removes the secret key and card tokens from text meant for logs or history.
    std::string scrub(std::string text, const Request* q = nullptr) const {
        auto cut = [&text](const std::string& s) {
            if (s.size() < 4) return;
            for (auto p = text.find(s); p != std::string::npos; p = text.find(s, p)) text.replace(p, s.size(), "<redacted>");
        };
        cut(key_);
        if (q != nullptr) {
            cut(q->card_token);
        }
        if (text.size() > 300) text.resize(300);
        return text;
    }

    Classified classify(const Request& q, const Result<http::Response>& res) const {
        if (!res) return {Verdict::retry, make(Outcome::unknown, "network_error", "stripe: " + scrub(res.error().message, &q))};
        const long st = res->status;
        if (st == 409 || st == 429 || st >= 500)
            return {Verdict::retry, make(Outcome::unknown, "http_" + std::to_string(st), "stripe: HTTP " + std::to_string(st))};
        json j = json::parse(res->body, nullptr, false);
        if (j.is_discarded() || !j.is_object())
            return {Verdict::final, make(Outcome::unknown, "bad_response", "stripe: HTTP " + std::to_string(st) + " answer is not JSON")};
        if (st >= 200 && st < 300) {
            if (auto a = answer_from_intent(q.op, j, "stripe")) return {Verdict::final, *a};
            return {Verdict::final, make(Outcome::unknown, "bad_response",
                                         "stripe: answer without a usable id/status (" + scrub(str_field(j, "status")) + ")")};
        }
        const json err = j.contains("error") && j["error"].is_object() ? j["error"] : json::object();
        const std::string type = str_field(err, "type");
        const std::string code = str_field(err, "code");
        const std::string decline = str_field(err, "decline_code");
        const std::string msg = scrub(str_field(err, "message"), &q);
        std::string ref;
        if (auto pi = err.find("payment_intent"); pi != err.end() && pi->is_object()) ref = str_field(*pi, "id");
        if (ref.empty() && q.op != Operation::authorize) ref = q.gateway_ref;
        if (st == 401 || st == 403)
            return {Verdict::final, make(Outcome::unknown, "http_" + std::to_string(st),
                                         "stripe refused the API key ([gateway] api_key_file)")};
        if (code == "payment_intent_unexpected_state" && q.op != Operation::authorize)
            return {Verdict::retrieve, make(Outcome::unknown, code, "stripe: " + msg, ref)};
        if (type == "idempotency_error" || code == "idempotency_key_in_use")
            return {Verdict::final, make(Outcome::unknown, code.empty() ? type : code, "stripe: " + msg, ref)};
        if (type == "card_error" || st == 402) {
            Answer a = make(Outcome::declined, decline.empty() ? (code.empty() ? "card_declined" : code) : decline,
                            "stripe: " + msg, ref);
            if (auto pi = err.find("payment_intent"); pi != err.end() && pi->is_object()) read_checks(*pi, a);
            return {Verdict::final, a};
        }
        if (st == 400 || st == 404)
            return {Verdict::final, make(Outcome::declined, code.empty() ? "invalid_request" : code, "stripe: " + msg, ref)};
        return {Verdict::final, make(Outcome::unknown, "http_" + std::to_string(st), "stripe: " + msg, ref)};
    }

    config::GatewayConfig cfg_;
    std::string key_;
};

}  // namespace

std::unique_ptr<Gateway> make_stripe_gateway(const config::GatewayConfig& cfg, std::string secret_key) {
    return std::make_unique<StripeGateway>(cfg, std::move(secret_key));
}

Result<std::string> read_api_key(const config::GatewayConfig& cfg) {
    if (cfg.api_key_file.empty())
        return Error{"[gateway] api_key_file is not set; kind = \"stripe\" needs a file holding the secret key"};
    std::ifstream in(cfg.api_key_file, std::ios::binary);
    if (!in) return Error{"cannot read [gateway] api_key_file " + cfg.api_key_file + " (check the path and permissions)"};
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string key = ss.str();
    const auto b = key.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return Error{"[gateway] api_key_file " + cfg.api_key_file + " is empty"};
    key = key.substr(b, key.find_last_not_of(" \t\r\n") - b + 1);
    if (key.find_first_of("\r\n") != std::string::npos)
        return Error{"[gateway] api_key_file " + cfg.api_key_file + " must hold the key on one line"};
    return key;
}

}  // namespace olmd::gateway
