#include "support/stripe_test_server.hpp"

#include "support/listen_backlog.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>
#include <stdexcept>

namespace olmd::test {

namespace {

using json = nlohmann::json;


std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

bool has(const std::string& s, const char* p) { return lower(s).find(p) != std::string::npos; }

std::string error_body(const std::string& type, const std::string& code, const std::string& message,
                       const json& intent = nullptr) {
    json e = {{"type", type}, {"message", message}};
    if (!code.empty()) e["code"] = code;
    if (!intent.is_null()) e["payment_intent"] = intent;
    return json{{"error", e}}.dump();
}

std::string check(bool fail) { return fail ? "fail" : "pass"; }

json intent_json(const TestIntent& t) {
    json j = {{"id", t.id},
              {"object", "payment_intent"},
              {"amount", t.amount},
              {"amount_capturable", t.status == "requires_capture" ? t.amount : 0},
              {"amount_received", t.amount_received},
              {"capture_method", "manual"},
              {"currency", "usd"},
              {"status", t.status},
              {"payment_method", t.payment_method.empty() ? json(nullptr) : json(t.payment_method)},
              {"customer", t.customer.empty() ? json(nullptr) : json(t.customer)},
              {"metadata", t.olmd_key.empty() ? json::object() : json{{"olmd_key", t.olmd_key}}}};
    if (!t.payment_method.empty()) {
        // The charge, expanded, with its card checks (avs/cvv).
        j["latest_charge"] = {
            {"id", "ch_" + t.id.substr(std::min<std::size_t>(3, t.id.size()))},
            {"object", "charge"},
            {"payment_method_details",
             {{"type", "card"},
              {"card",
               {{"checks",
                 {{"cvc_check", check(has(t.payment_method, "cvv_mismatch") || has(t.payment_method, "cvcfail"))},
                  {"address_line1_check", check(has(t.payment_method, "avs_mismatch"))},
                  {"address_postal_code_check", check(has(t.payment_method, "avs_mismatch"))}}}}}}}};
    } else {
        j["latest_charge"] = nullptr;
    }
    return j;
}

}  // namespace

StripeTestServer::StripeTestServer(StripeServerOptions options)
    : opt_(std::move(options)), rng_(opt_.seed), latency_ms_(opt_.latency_ms),
      failure_rate_(opt_.failure_rate), drop_rate_(opt_.drop_rate) {
    const int threads = std::max(4, opt_.threads);
    server_.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
    server_.set_keep_alive_timeout(2);
    server_.set_keep_alive_max_count(100000);
    server_.set_tcp_nodelay(true);  // no Nagle delay between the headers and the body of an answer
    routes();
    if (opt_.port > 0) {
        if (!server_.bind_to_port("127.0.0.1", opt_.port))
            throw std::runtime_error("stripe test server: cannot bind 127.0.0.1:" + std::to_string(opt_.port));
        port_ = opt_.port;
    } else {
        port_ = server_.bind_to_any_port("127.0.0.1");
    }
    if (port_ <= 0) throw std::runtime_error("stripe test server: cannot bind 127.0.0.1");
    widen_listen_backlog(port_);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!server_.is_running() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

StripeTestServer::~StripeTestServer() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
}

bool StripeTestServer::roll(double rate) {
    if (rate <= 0) return false;
    std::uniform_real_distribution<double> d(0.0, 1.0);
    return d(rng_) < rate;
}

void StripeTestServer::set_failure_rate(double r) {
    std::lock_guard<std::mutex> l(mu_);
    failure_rate_ = r;
}

void StripeTestServer::set_drop_rate(double r) {
    std::lock_guard<std::mutex> l(mu_);
    drop_rate_ = r;
}

void StripeTestServer::add_intent(const std::string& id, std::int64_t amount, const std::string& status) {
    std::lock_guard<std::mutex> l(mu_);
    TestIntent t;
    t.id = id;
    t.amount = amount;
    t.status = status;
    intents_[id] = t;
}

std::optional<TestIntent> StripeTestServer::intent(const std::string& id) const {
    std::lock_guard<std::mutex> l(mu_);
    auto it = intents_.find(id);
    if (it == intents_.end()) return std::nullopt;
    return it->second;
}

std::vector<TestIntent> StripeTestServer::intents() const {
    std::lock_guard<std::mutex> l(mu_);
    std::vector<TestIntent> v;
    for (const auto& [id, t] : intents_) v.push_back(t);
    return v;
}

int StripeTestServer::captures(const std::string& id) const {
    auto t = intent(id);
    return t ? t->captures : 0;
}

std::vector<std::string> StripeTestServer::request_log() const {
    std::lock_guard<std::mutex> l(mu_);
    return log_;
}

std::vector<std::string> StripeTestServer::bodies() const {
    std::lock_guard<std::mutex> l(mu_);
    return bodies_;
}

std::string StripeTestServer::ledger_json() const {
    std::lock_guard<std::mutex> l(mu_);
    json j = json::object();
    for (const auto& [id, t] : intents_)
        j[id] = {{"status", t.status},
                 {"amount", t.amount},
                 {"amount_received", t.amount_received},
                 {"captures", t.captures},
                 {"cancels", t.cancels},
                 {"capture_keys", t.capture_keys.size()},
                 {"olmd_key", t.olmd_key}};
    return json{{"intents", j}, {"requests", requests_.load()}, {"applied", applied_.load()}}.dump();
}

bool StripeTestServer::authorized(const httplib::Request& req, httplib::Response& res) const {
    if (req.get_header_value("Authorization") == "Bearer " + opt_.api_key) return true;
    res.status = 401;
    res.set_content(error_body("invalid_request_error", "", "Invalid API Key provided."), "application/json");
    return false;
}

TestIntent& StripeTestServer::vivify(const std::string& id, std::int64_t amount) {
    auto it = intents_.find(id);
    if (it != intents_.end()) return it->second;
    TestIntent t;
    t.id = id;
    t.amount = amount > 0 ? amount : 1000000;
    t.status = id.rfind("expired", 0) == 0 ? "canceled" : "requires_capture";
    return intents_[id] = t;
}

std::pair<int, std::string> StripeTestServer::apply(const std::string& what, const std::string& id,
                                                     const std::multimap<std::string, std::string>& params,
                                                     const std::string& key) {
    auto param = [&](const char* k) -> std::optional<std::string> {
        auto it = params.find(k);
        if (it == params.end()) return std::nullopt;
        return it->second;
    };
    auto to_int = [](const std::optional<std::string>& s) -> std::optional<std::int64_t> {
        if (!s || s->empty() || s->size() > 15) return std::nullopt;
        for (char c : *s)
            if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
        return std::stoll(*s);
    };
    if (what == "create") {
        static const std::set<std::string> known = {"amount",         "currency",  "capture_method", "confirm",
                                                    "off_session",    "payment_method", "customer"};
        for (const auto& [k, v] : params)
            if (!known.count(k) && k.rfind("metadata[", 0) != 0)
                return {400, error_body("invalid_request_error", "parameter_unknown", "Received unknown parameter: " + k)};
        auto amount = to_int(param("amount"));
        if (!amount || *amount <= 0)
            return {400, error_body("invalid_request_error", "parameter_invalid_integer", "Invalid amount")};
        if (!param("currency") || param("currency")->empty())
            return {400, error_body("invalid_request_error", "parameter_missing", "Missing required param: currency.")};
        if (param("capture_method") != std::optional<std::string>("manual") ||
            param("confirm") != std::optional<std::string>("true"))
            return {400, error_body("invalid_request_error", "parameter_invalid", "olmd must create manual-capture, confirmed intents")};
        auto pm = param("payment_method");
        if (!pm || pm->empty())
            return {400, error_body("invalid_request_error", "parameter_missing", "Missing required param: payment_method.")};
        TestIntent t;
        t.id = "pi_test" + std::to_string(next_id_++);
        t.amount = *amount;
        t.payment_method = *pm;
        t.customer = param("customer").value_or("");
        t.olmd_key = param("metadata[olmd_key]").value_or("");
        if (has(*pm, "decline")) {
            t.status = "requires_payment_method";
            intents_[t.id] = t;
            json e = {{"type", "card_error"},
                      {"code", "card_declined"},
                      {"decline_code", "generic_decline"},
                      {"message", "Your card was declined."},
                      {"payment_intent", intent_json(t)}};
            return {402, json{{"error", e}}.dump()};
        }
        t.status = "requires_capture";
        intents_[t.id] = t;
        return {200, intent_json(t).dump()};
    }
    if (what == "capture") {
        for (const auto& [k, v] : params)
            if (k != "amount_to_capture")
                return {400, error_body("invalid_request_error", "parameter_unknown", "Received unknown parameter: " + k)};
        auto amt = param("amount_to_capture");
        auto a = to_int(amt);
        if (amt && !a) return {400, error_body("invalid_request_error", "parameter_invalid_integer", "Invalid amount_to_capture")};
        if (opt_.autocreate) vivify(id, a.value_or(0));
        auto it = intents_.find(id);
        if (it == intents_.end())
            return {404, error_body("invalid_request_error", "resource_missing", "No such payment_intent: '" + id + "'")};
        TestIntent& t = it->second;
        t.capture_keys.insert(key);
        if (t.status != "requires_capture")
            return {400, error_body("invalid_request_error", "payment_intent_unexpected_state",
                                    "This PaymentIntent could not be captured because it has a status of " + t.status + ".",
                                    intent_json(t))};
        if (id.rfind("fail_capture", 0) == 0) {
            json e = {{"type", "card_error"}, {"code", "card_declined"}, {"message", "The capture was declined."}};
            return {402, json{{"error", e}}.dump()};
        }
        const std::int64_t take = a.value_or(t.amount);
        if (take <= 0 || take > t.amount)
            return {400, error_body("invalid_request_error", "amount_too_large", "amount_to_capture exceeds the capturable amount")};
        t.status = "succeeded";
        t.amount_received = take;
        ++t.captures;
        return {200, intent_json(t).dump()};
    }
    if (what == "cancel") {
        for (const auto& [k, v] : params)
            if (k != "cancellation_reason")
                return {400, error_body("invalid_request_error", "parameter_unknown", "Received unknown parameter: " + k)};
        if (opt_.autocreate) vivify(id, 0);
        auto it = intents_.find(id);
        if (it == intents_.end())
            return {404, error_body("invalid_request_error", "resource_missing", "No such payment_intent: '" + id + "'")};
        TestIntent& t = it->second;
        if (t.status != "requires_capture" && t.status != "requires_payment_method")
            return {400, error_body("invalid_request_error", "payment_intent_unexpected_state",
                                    "You cannot cancel this PaymentIntent because it has a status of " + t.status + ".",
                                    intent_json(t))};
        if (id.rfind("fail_void", 0) == 0) {
            json e = {{"type", "card_error"}, {"code", "processing_error"}, {"message", "The cancel was declined."}};
            return {402, json{{"error", e}}.dump()};
        }
        t.status = "canceled";
        ++t.cancels;
        return {200, intent_json(t).dump()};
    }
    return {404, error_body("invalid_request_error", "resource_missing", "Unrecognized request URL")};
}

void StripeTestServer::post(const httplib::Request& req, httplib::Response& res, const std::string& what,
                            const std::string& id) {
    ++requests_;
    if (const int ms = latency_ms_.load(); ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    if (!authorized(req, res)) return;
    const std::string key = req.get_header_value("Idempotency-Key");
    const std::string fingerprint = req.path + "\n" + req.body;
    bool drop = false;
    std::pair<int, std::string> answer;
    {
        std::lock_guard<std::mutex> l(mu_);
        log_.push_back("POST " + req.path);
        bodies_.push_back("POST " + req.path + ": " + req.body);
        if (roll(failure_rate_)) {
            res.status = 500;
            res.set_content(error_body("api_error", "", "Simulated server error."), "application/json");
            return;
        }
        if (!key.empty()) {
            auto it = keys_.find(key);
            if (it != keys_.end()) {
                if (it->second.fingerprint != fingerprint) {
                    res.status = 400;
                    res.set_content(error_body("idempotency_error", "",
                                               "Keys for idempotent requests can only be used with the same "
                                               "parameters they were first used with."),
                                    "application/json");
                    return;
                }
                if (!it->second.done) {
                    res.status = 409;
                    res.set_content(error_body("invalid_request_error", "idempotency_key_in_use",
                                               "There is currently another in-progress request using this key."),
                                    "application/json");
                    return;
                }
                res.status = it->second.status;
                res.set_header("Idempotent-Replayed", "true");
                if (roll(drop_rate_)) {
                    res.set_content_provider(it->second.body.size(), "application/json",
                                             [](std::size_t, std::size_t, httplib::DataSink&) { return false; });
                    return;
                }
                res.set_content(it->second.body, "application/json");
                return;
            }
        }
        answer = apply(what, id, req.params, key);
        ++applied_;
        if (!key.empty()) keys_[key] = Stored{fingerprint, answer.first, answer.second, true};
        // The sandbox's timeout token, mirrored: the first answer for a key naming it is lost.
        drop = roll(drop_rate_) || has(id, "timeout") || has(req.get_param_value("payment_method"), "timeout");
    }
    res.status = answer.first;
    if (drop) {
        // Applied, but the answer never arrives: headers promise a body, the connection is cut.
        res.set_content_provider(answer.second.size(), "application/json",
                                 [](std::size_t, std::size_t, httplib::DataSink&) { return false; });
        return;
    }
    res.set_content(answer.second, "application/json");
}

void StripeTestServer::routes() {
    server_.Post("/v1/payment_intents", [this](const httplib::Request& req, httplib::Response& res) {
        post(req, res, "create", "");
    });
    server_.Post(R"(/v1/payment_intents/([^/]+)/capture)", [this](const httplib::Request& req, httplib::Response& res) {
        post(req, res, "capture", req.matches[1]);
    });
    server_.Post(R"(/v1/payment_intents/([^/]+)/cancel)", [this](const httplib::Request& req, httplib::Response& res) {
        post(req, res, "cancel", req.matches[1]);
    });
    server_.Get("/v1/payment_intents/search", [this](const httplib::Request& req, httplib::Response& res) {
        ++requests_;
        if (const int ms = latency_ms_.load(); ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
        if (!authorized(req, res)) return;
        static const std::regex q(R"(^\s*metadata\['olmd_key'\]\s*:\s*'([^']*)'\s*$)");
        std::smatch m;
        const std::string query = req.get_param_value("query");
        if (!std::regex_match(query, m, q)) {
            res.status = 400;
            res.set_content(error_body("invalid_request_error", "parameter_invalid", "Unsupported search query"),
                            "application/json");
            return;
        }
        std::lock_guard<std::mutex> l(mu_);
        log_.push_back("GET /v1/payment_intents/search");
        json data = json::array();
        for (const auto& [id, t] : intents_)
            if (t.olmd_key == m[1].str()) data.push_back(intent_json(t));
        res.set_content(json{{"object", "search_result"}, {"data", data}, {"has_more", false}}.dump(),
                        "application/json");
    });
    server_.Get(R"(/v1/payment_intents/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
        ++requests_;
        if (const int ms = latency_ms_.load(); ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
        if (!authorized(req, res)) return;
        std::lock_guard<std::mutex> l(mu_);
        const std::string id = req.matches[1];
        log_.push_back("GET /v1/payment_intents/" + id);
        if (opt_.autocreate) vivify(id, 0);
        auto it = intents_.find(id);
        if (it == intents_.end()) {
            res.status = 404;
            res.set_content(error_body("invalid_request_error", "resource_missing", "No such payment_intent: '" + id + "'"),
                            "application/json");
            return;
        }
        res.set_content(intent_json(it->second).dump(), "application/json");
    });
    // Test-only: the ledger, for scripts (crash test, bench).
    server_.Get("/_test/ledger", [this](const httplib::Request&, httplib::Response& res) {
        res.set_content(ledger_json(), "application/json");
    });
}

}  // namespace olmd::test
