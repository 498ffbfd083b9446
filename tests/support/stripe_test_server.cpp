// The Stripe test server's HTTP side (stripe_test_server.hpp): authentication, Stripe-Version,
// checking every request against the OpenAPI description, idempotency, the knobs, the
// records. The PaymentIntent model is in stripe_test_server_intents.cpp.
#include "support/stripe_test_server.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <stdexcept>

#include "support/listen_backlog.hpp"
#include "support/openapi_description.hpp"
#include "support/openapi_form_validator.hpp"
#include "support/stripe_test_server_detail.hpp"

#ifndef OLMD_STRIPE_OPENAPI
#define OLMD_STRIPE_OPENAPI ""
#endif

namespace olmd::test {

namespace {

using json = nlohmann::json;
using stripe_detail::error_json;

/// A Stripe API version: YYYY-MM-DD with a real month and day, optionally ".name".
bool valid_version(const std::string& v) {
    if (v.size() < 10 || v[4] != '-' || v[7] != '-') return false;
    for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (!std::isdigit(static_cast<unsigned char>(v[static_cast<std::size_t>(i)]))) return false;
    const int y = std::stoi(v.substr(0, 4)), m = std::stoi(v.substr(5, 2)), d = std::stoi(v.substr(8, 2));
    if (y < 2011 || m < 1 || m > 12 || d < 1 || d > 31) return false;
    if (v.size() == 10) return true;
    return v[10] == '.' && v.size() > 11 &&
           std::all_of(v.begin() + 11, v.end(), [](unsigned char c) { return std::islower(c); });
}

std::string masked(const std::string& key) {
    if (key.size() <= 12) return "sk_***";
    return key.substr(0, 8) + std::string(key.size() - 12, '*') + key.substr(key.size() - 4);
}

}  // namespace

std::string default_stripe_openapi() {
    if (const char* e = std::getenv("OLMD_STRIPE_OPENAPI"); e != nullptr && *e != '\0') return e;
    return OLMD_STRIPE_OPENAPI;
}

StripeTestServer::StripeTestServer(StripeServerOptions options)
    : opt_(std::move(options)),
      rng_(opt_.seed),
      latency_ms_(opt_.latency_ms),
      failure_rate_(opt_.failure_rate),
      drop_rate_(opt_.drop_rate) {
    if (opt_.openapi.empty())
        throw std::runtime_error(
            "stripe test server: no OpenAPI description (set OLMD_STRIPE_OPENAPI or --openapi)");
    auto d = openapi::Description::cached(opt_.openapi);
    if (!d) throw std::runtime_error("stripe test server: " + d.error().message);
    description_ = *d;
    const int threads = std::max(4, opt_.threads);
    server_.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
    server_.set_keep_alive_timeout(2);
    server_.set_keep_alive_max_count(100000);
    server_.set_tcp_nodelay(true);  // no Nagle delay between the headers and the body of an answer
    // Answers are sent uncompressed: cpp-httplib would brotli-compress them at quality 11 for a
    // client that accepts br, which costs the stand-in ~2 ms of CPU per answer on a 2-core machine
    // and would make the benchmarks measure the test server instead of olmd.
    server_.set_pre_routing_handler([](const httplib::Request& req, httplib::Response&) {
        const_cast<httplib::Request&>(req).headers.erase("Accept-Encoding");
        return httplib::Server::HandlerResponse::Unhandled;
    });
    routes();
    if (opt_.port > 0) {
        if (!server_.bind_to_port("127.0.0.1", opt_.port))
            throw std::runtime_error("stripe test server: cannot bind 127.0.0.1:" +
                                     std::to_string(opt_.port));
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

std::vector<SeenRequest> StripeTestServer::seen() const {
    std::lock_guard<std::mutex> l(mu_);
    return seen_;
}

std::vector<Violation> StripeTestServer::violations() const {
    std::lock_guard<std::mutex> l(mu_);
    return violations_;
}

std::string StripeTestServer::ledger_json() const {
    std::lock_guard<std::mutex> l(mu_);
    json j = json::object();
    for (const auto& [id, t] : intents_)
        j[id] = {{"status", t.status},
                 {"amount", t.amount},
                 {"amount_received", t.amount_received},
                 {"amount_capturable", t.amount_capturable},
                 {"captures", t.captures},
                 {"cancels", t.cancels},
                 {"capture_keys", t.capture_keys.size()},
                 {"olmd_key", t.olmd_key}};
    return json{{"intents", j},
                {"requests", requests_.load()},
                {"applied", applied_.load()},
                {"violations", violations_.size()}}
        .dump();
}

void StripeTestServer::violation(const SeenRequest& r, const std::string& code, const std::string& param,
                                 const std::string& why) {
    std::string text = r.method + " " + r.path;
    if (!r.query.empty()) text += "?" + r.query;
    if (!r.body.empty()) text += " " + r.body;
    violations_.push_back(Violation{text, code, param, why});
}

void StripeTestServer::routes() {
    server_.Get("/_test/ledger", [this](const httplib::Request&, httplib::Response& res) {
        res.set_content(ledger_json(), "application/json");
    });
    server_.Get("/_test/violations", [this](const httplib::Request&, httplib::Response& res) {
        json v = json::array();
        for (const auto& x : violations())
            v.push_back({{"request", x.request}, {"code", x.code}, {"param", x.param}, {"reason", x.reason}});
        res.set_content(v.dump(), "application/json");
    });
    auto h = [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); };
    server_.Get(".*", h);
    server_.Post(".*", h);
    server_.Delete(".*", h);
}

void StripeTestServer::handle(const httplib::Request& req, httplib::Response& res) {
    ++requests_;
    // A POST with an Idempotency-Key takes its latency later, while its key is in flight.
    const bool keyed_post = req.method == "POST" && req.has_header("Idempotency-Key");
    if (const int ms = latency_ms_.load(); ms > 0 && !keyed_post)
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    SeenRequest s;
    s.method = req.method;
    s.path = req.path;
    if (const auto q = req.target.find('?'); q != std::string::npos) s.query = req.target.substr(q + 1);
    s.body = req.body;
    s.stripe_version = req.get_header_value("Stripe-Version");
    s.idempotency_key = req.get_header_value("Idempotency-Key");
    answer(req, res, s);
    s.status = res.status;
    std::lock_guard<std::mutex> l(mu_);
    log_.push_back(s.method + " " + s.path);
    if (s.method == "POST") bodies_.push_back("POST " + s.path + ": " + s.body);
    seen_.push_back(std::move(s));
}

void StripeTestServer::answer(const httplib::Request& req, httplib::Response& res, SeenRequest& s) {
    auto reply = [&res](int status, const json& body) {
        res.status = status;
        res.set_content(body.dump(), "application/json");
    };
    const std::string auth = req.get_header_value("Authorization");
    if (auth.empty())
        return reply(401,
                     error_json("invalid_request_error", "", "",
                                "You did not provide an API key. You need to provide your API key in the "
                                "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
                                "YOUR_SECRET_KEY')."));
    if (auth != "Bearer " + opt_.api_key)
        return reply(401, error_json("invalid_request_error", "", "",
                                     "Invalid API Key provided: " +
                                         masked(auth.substr(std::min<std::size_t>(7, auth.size())))));
    // The description is read-only: matching and validating need no lock, so requests in flight
    // are checked in parallel (the lock covers the intents, the keys and the logs).
    const openapi::Match m = description_->match(s.method, s.path);
    openapi::Checked checked;
    if (m.op != nullptr)
        checked = openapi::check_request(*m.op, openapi::parse_form(s.query), openapi::parse_form(s.body), m.path_args);
    std::unique_lock<std::mutex> l(mu_);
    if (!s.stripe_version.empty() && !valid_version(s.stripe_version)) {
        const std::string why = "Invalid Stripe API version: " + s.stripe_version;
        violation(s, "", "", why);
        return reply(400, error_json("invalid_request_error", "", "", why));
    }
    if (m.op == nullptr) {
        const std::string why =
            "Unrecognized request URL (" + s.method + ": " + s.path +
            "). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.";
        violation(s, "", "", why);
        return reply(404, error_json("invalid_request_error", "", "", why));
    }
    if (checked.error) {
        violation(s, checked.error->code, checked.error->param, checked.error->message);
        return reply(400, error_json("invalid_request_error", checked.error->code, checked.error->param,
                                     checked.error->message));
    }
    Call c{m.op->id, std::move(checked.params),
           s.stripe_version.empty() ? opt_.account_api_version : s.stripe_version,
           m.path_args.count("intent") ? m.path_args.at("intent") : "", s.idempotency_key};
    if (s.method != "POST") {
        Reply r = apply(c);
        if (!r.violation.empty()) violation(s, r.body["error"].value("code", ""), "", r.violation);
        return reply(r.status, r.body);
    }
    if (roll(failure_rate_)) return reply(500, error_json("api_error", "", "", "Simulated server error."));
    const std::string& key = s.idempotency_key;
    if (key.size() > 255)
        return reply(400, error_json("invalid_request_error", "", "",
                                     "Keys for idempotent requests can only be 255 characters long."));
    const std::string fingerprint = s.path + "\n" + s.body;
    if (!key.empty()) {
        if (auto it = keys_.find(key); it != keys_.end()) {
            if (it->second.fingerprint != fingerprint)
                return reply(
                    400, error_json("idempotency_error", "", "",
                                    "Keys for idempotent requests can only be used with the same parameters "
                                    "they were first used with. Try using a key other than '" +
                                        key + "' if you meant to execute a different request."));
            if (!it->second.done)
                return reply(409, error_json("invalid_request_error", "idempotency_key_in_use", "",
                                             "There is currently another in-progress request using this "
                                             "idempotency key. Please try again later."));
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
        // The key is in flight while the request takes its latency: the same key meanwhile gets 409.
        keys_[key] = Stored{fingerprint, 0, "", false};
        if (const int ms = latency_ms_.load(); ms > 0) {
            l.unlock();
            std::this_thread::sleep_for(std::chrono::milliseconds(ms));
            l.lock();
        }
    }
    Reply r = apply(c);
    ++applied_;
    if (!r.violation.empty())
        violation(s, r.body["error"].value("code", ""), r.body["error"].value("param", ""), r.violation);
    const std::string body = r.body.dump();
    if (!key.empty()) keys_[key] = Stored{fingerprint, r.status, body, true};
    // The sandbox's timeout token, mirrored: the first answer for a key naming it is lost.
    const std::string pm = c.params.contains("payment_method") && c.params["payment_method"].is_string()
                               ? c.params["payment_method"].get<std::string>()
                               : "";
    const bool drop =
        roll(drop_rate_) || stripe_detail::has(c.intent_id, "timeout") || stripe_detail::has(pm, "timeout");
    l.unlock();
    res.status = r.status;
    if (drop) {
        // Applied, but the answer never arrives: headers promise a body, the connection is cut.
        res.set_content_provider(body.size(), "application/json",
                                 [](std::size_t, std::size_t, httplib::DataSink&) { return false; });
        return;
    }
    res.set_content(body, "application/json");
}

}  // namespace olmd::test
