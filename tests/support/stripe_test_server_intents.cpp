// The Stripe test server's PaymentIntent model (stripe_test_server.hpp): what create, capture,
// cancel, retrieve and search do to the intents and how they answer, as Stripe does for API
// version 2023-08-16, and the test hooks. Every operation runs with the server's mutex held, on
// parameters already checked against the OpenAPI description.
#include <algorithm>
#include <regex>

#include "support/stripe_test_server_detail.hpp"

namespace olmd::test {

using namespace stripe_detail;
using json = nlohmann::json;

namespace {

/// Stripe's minimum charge amounts in the minor unit, for the currencies tests use.
std::int64_t minimum_amount(const std::string& currency) {
    if (currency == "usd" || currency == "eur" || currency == "cad" || currency == "aud") return 50;
    if (currency == "gbp") return 30;
    if (currency == "jpy") return 50;
    return 1;
}

const char* const kCancelable[] = {"requires_payment_method", "requires_capture", "requires_confirmation",
                                   "requires_action", "processing"};

}  // namespace

void StripeTestServer::add_intent(const std::string& id, std::int64_t amount, const std::string& status) {
    TestIntent t;
    t.id = id;
    t.amount = amount;
    t.status = status;
    if (status == "succeeded") t.amount_received = amount;
    if (status == "canceled") t.cancellation_reason = "requested_by_customer";
    add_intent(std::move(t));
}

void StripeTestServer::add_intent(TestIntent intent) {
    const std::string id = intent.id;
    std::lock_guard<std::mutex> l(mu_);
    intents_[id] = normalized(std::move(intent));
}

bool StripeTestServer::capture_elsewhere(const std::string& id, std::int64_t amount) {
    std::lock_guard<std::mutex> l(mu_);
    auto it = intents_.find(id);
    if (it == intents_.end() || it->second.status != "requires_capture" || amount < 1 ||
        amount > it->second.amount_capturable)
        return false;
    it->second.status = "succeeded";
    it->second.amount_received = amount;
    it->second.amount_capturable = 0;
    return true;
}

bool StripeTestServer::expire(const std::string& id) {
    std::lock_guard<std::mutex> l(mu_);
    auto it = intents_.find(id);
    if (it == intents_.end() || it->second.status != "requires_capture") return false;
    it->second.status = "canceled";
    it->second.cancellation_reason = "automatic";
    it->second.amount_capturable = 0;
    return true;
}

TestIntent* StripeTestServer::find_or_vivify(const std::string& id, std::int64_t amount) {
    if (auto it = intents_.find(id); it != intents_.end()) return &it->second;
    if (!opt_.autocreate) return nullptr;
    TestIntent t;
    t.id = id;
    t.amount = amount > 0 ? amount : 1000000;
    t.status = id.rfind("expired", 0) == 0 ? "canceled" : "requires_capture";
    if (t.status == "canceled") t.cancellation_reason = "automatic";
    return &(intents_[id] = normalized(std::move(t)));
}

StripeTestServer::Reply StripeTestServer::apply(const Call& c) {
    if (c.op == "PostPaymentIntents") return create(c);
    if (c.op == "PostPaymentIntentsIntentCapture") return capture(c);
    if (c.op == "PostPaymentIntentsIntentCancel") return cancel(c);
    if (c.op == "GetPaymentIntentsIntent") return retrieve(c);
    if (c.op == "GetPaymentIntentsSearch") return search(c);
    const std::string why =
        "operation " + c.op + " is in the description but not modelled by the test server";
    return Reply{404, error_json("invalid_request_error", "", "", why), why};
}

StripeTestServer::Reply StripeTestServer::create(const Call& c) {
    const json& p = c.params;
    auto refuse = [](int status, const std::string& code, const std::string& param, const std::string& msg,
                     bool integration) {
        return Reply{status, error_json("invalid_request_error", code, param, msg), integration ? msg : ""};
    };
    const std::int64_t amount = std::stoll(text(p, "amount"));
    const std::string currency = lower(text(p, "currency"));
    if (amount < minimum_amount(currency))
        return refuse(400, "amount_too_small", "amount",
                      "Amount must be at least " + std::to_string(minimum_amount(currency)) + " " + currency +
                          " in its smallest currency unit",
                      false);
    if (amount > 99999999)
        return refuse(400, "amount_too_large", "amount",
                      "Amount must be no more than 99999999 in its smallest unit", false);
    const bool types_given = p.contains("payment_method_types");
    const bool automatic_given = p.contains("automatic_payment_methods");
    if (types_given && automatic_given)
        return refuse(
            400, "parameters_exclusive", "automatic_payment_methods",
            "You may only specify one of these parameters: automatic_payment_methods, payment_method_types.",
            true);
    const bool confirm = text(p, "confirm") == "true";
    const std::string off = text(p, "off_session");
    if (!off.empty() && off != "false" && !confirm)
        return refuse(400, "", "off_session", "You can only use `off_session` when `confirm` is set to true.",
                      true);
    TestIntent t;
    t.id = "pi_test" + std::to_string(next_id_++);
    t.amount = amount;
    t.currency = currency;
    t.capture_method = p.contains("capture_method") ? text(p, "capture_method") : "automatic";
    t.payment_method = text(p, "payment_method");
    t.customer = text(p, "customer");
    if (p.contains("metadata") && p["metadata"].is_object()) t.olmd_key = text(p["metadata"], "olmd_key");
    const bool automatic_default = !types_given && !automatic_given && at_least(c.version, "2023-08-16");
    if (types_given) {
        t.payment_method_types.clear();
        for (const auto& x : p["payment_method_types"])
            t.payment_method_types.push_back(x.get<std::string>());
    }
    if (!confirm) {
        t.status = t.payment_method.empty() ? "requires_payment_method" : "requires_confirmation";
        t.amount_capturable = 0;
        intents_[t.id] = t;
        return Reply{200, intent_json(t, c, false), ""};
    }
    const bool automatic =
        automatic_default || (automatic_given && p["automatic_payment_methods"].is_object() &&
                              text(p["automatic_payment_methods"], "enabled") == "true");
    const bool redirects = automatic && !(automatic_given && p["automatic_payment_methods"].is_object() &&
                                          text(p["automatic_payment_methods"], "allow_redirects") == "never");
    if (redirects && !p.contains("return_url"))
        return refuse(
            400, "", "return_url",
            "A `return_url` must be specified because this Payment Intent is configured to automatically "
            "accept the payment methods enabled in the Dashboard, some of which may require a full page "
            "redirect to succeed. If you do not want to accept redirect-based payment methods, set "
            "`automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` "
            "to `never` when creating Setup Intents and Payment Intents.",
            true);
    if (types_given && std::find(t.payment_method_types.begin(), t.payment_method_types.end(), "card") ==
                           t.payment_method_types.end())
        return refuse(
            400, "", "payment_method",
            "The PaymentMethod provided (card) is not allowed for this PaymentIntent. Please attach a "
            "PaymentMethod of one of the following types: " +
                t.payment_method_types.front() + ".",
            true);
    if (t.payment_method.empty())
        return refuse(
            400, "payment_intent_unexpected_state", "",
            "You cannot confirm this PaymentIntent because it's missing a payment method. You can either "
            "update the PaymentIntent with a payment method and then confirm it again, or confirm it again "
            "directly with a payment method.",
            true);
    const std::string pm = lower(t.payment_method);
    const bool test_pm = pm.rfind("pm_card_", 0) == 0;
    const bool fresh = pm.rfind("pm_fresh_", 0) == 0 && !used_without_customer_.count(t.payment_method);
    if (t.customer.empty() && !test_pm && !fresh)
        return refuse(
            400, "", "",
            "The provided PaymentMethod was previously used with a PaymentIntent without Customer "
            "attachment, shared with a connected account without Customer attachment, or was detached from "
            "a Customer. It may not be used again. To use a PaymentMethod multiple times, you must attach "
            "it to a Customer first.",
            true);
    if (t.customer.empty() && fresh) used_without_customer_.insert(t.payment_method);
    set_checks(t);
    t.charge_id = "ch_" + t.id.substr(3);
    bool expand_charge = false;
    std::optional<Reply> noted = expansion(c, "", expand_charge);
    if (noted && noted->status != 200) return *noted;
    Reply r;
    if (noted) r.violation = noted->violation;
    std::string code, decline, message;
    if (has(pm, "authentication_required")) {
        code = decline = "authentication_required";
        message = "Your card was declined. This transaction requires authentication.";
    } else if (has(pm, "insufficient")) {
        code = "card_declined";
        decline = "insufficient_funds";
        message = "Your card has insufficient funds.";
    } else if (has(pm, "decline")) {
        code = "card_declined";
        decline = "generic_decline";
        message = "Your card was declined.";
    }
    if (!code.empty()) {
        t.status = "requires_payment_method";
        t.decline_code = decline;
        t.amount_capturable = 0;
        intents_[t.id] = t;
        json e = {
            {"type", "card_error"},
            {"code", code},
            {"decline_code", decline},
            {"charge", t.charge_id},
            {"doc_url",
             "https://stripe.com/docs/error-codes/" +
                 std::string(code == "card_declined" ? "card-declined" : "authentication-required")},
            {"message", message},
            {"payment_intent", intent_json(t, c, expand_charge)},
            {"payment_method", {{"id", t.payment_method}, {"object", "payment_method"}, {"type", "card"}}}};
        r.status = 402;
        r.body = json{{"error", e}};
        return r;
    }
    if (t.capture_method == "manual") {
        t.status = "requires_capture";
        t.amount_capturable = amount;
    } else {
        t.status = "succeeded";
        t.amount_capturable = 0;
        t.amount_received = amount;
        ++t.captures;
    }
    intents_[t.id] = t;
    r.body = intent_json(t, c, expand_charge);
    return r;
}

StripeTestServer::Reply StripeTestServer::capture(const Call& c) {
    const std::string asked = text(c.params, "amount_to_capture");
    TestIntent* t = find_or_vivify(c.intent_id, asked.empty() ? 0 : std::stoll(asked));
    if (t == nullptr)
        return {404,
                error_json("invalid_request_error", "resource_missing", "intent",
                           "No such payment_intent: '" + c.intent_id + "'"),
                ""};
    t->capture_keys.insert(c.key);
    bool expand_charge = false;
    std::optional<Reply> noted = expansion(c, "", expand_charge);
    if (noted && noted->status != 200) return *noted;
    if (t->status != "requires_capture") {
        json e = error_json(
            "invalid_request_error", "payment_intent_unexpected_state", "",
            t->status == "succeeded"
                ? "This PaymentIntent could not be captured because it has already been captured."
                : "This PaymentIntent could not be captured because it has a status of " + t->status +
                      ". Only a PaymentIntent with one of the following statuses may be captured: "
                      "requires_capture.");
        e["error"]["payment_intent"] = intent_json(*t, c, false);
        return {400, e, ""};
    }
    if (c.intent_id.rfind("fail_capture", 0) == 0)
        return {402,
                json{{"error",
                      {{"type", "card_error"},
                       {"code", "card_declined"},
                       {"message", "The capture was declined."}}}},
                ""};
    const std::int64_t take = asked.empty() ? t->amount_capturable : std::stoll(asked);
    if (take < 1)
        return {400,
                error_json("invalid_request_error", "", "amount_to_capture",
                           "This value must be greater than or equal to 1."),
                ""};
    if (take > t->amount_capturable)
        return {400,
                error_json("invalid_request_error", "amount_too_large", "amount_to_capture",
                           "The amount to capture (" + std::to_string(take) +
                               ") must be less than or equal to the amount capturable (" +
                               std::to_string(t->amount_capturable) + ")."),
                ""};
    t->status = "succeeded";
    t->amount_received = take;
    t->amount_capturable = 0;  // without multicapture the rest of the authorization is released
    ++t->captures;
    Reply r{200, intent_json(*t, c, expand_charge), noted ? noted->violation : ""};
    return r;
}

StripeTestServer::Reply StripeTestServer::cancel(const Call& c) {
    TestIntent* t = find_or_vivify(c.intent_id, 0);
    if (t == nullptr)
        return {404,
                error_json("invalid_request_error", "resource_missing", "intent",
                           "No such payment_intent: '" + c.intent_id + "'"),
                ""};
    bool expand_charge = false;
    std::optional<Reply> noted = expansion(c, "", expand_charge);
    if (noted && noted->status != 200) return *noted;
    if (std::find(std::begin(kCancelable), std::end(kCancelable), t->status) == std::end(kCancelable)) {
        json e = error_json(
            "invalid_request_error", "payment_intent_unexpected_state", "",
            "You cannot cancel this PaymentIntent because it has a status of " + t->status +
                ". Only a PaymentIntent with one of the following statuses may be canceled: "
                "requires_payment_method, requires_capture, requires_confirmation, requires_action, "
                "processing.");
        e["error"]["payment_intent"] = intent_json(*t, c, false);
        return {400, e, ""};
    }
    if (c.intent_id.rfind("fail_void", 0) == 0)
        return {402,
                json{{"error",
                      {{"type", "card_error"},
                       {"code", "processing_error"},
                       {"message", "The cancel was declined."}}}},
                ""};
    t->status = "canceled";
    t->amount_capturable = 0;
    t->cancellation_reason =
        c.params.contains("cancellation_reason") ? text(c.params, "cancellation_reason") : "";
    ++t->cancels;
    return {200, intent_json(*t, c, expand_charge), noted ? noted->violation : ""};
}

StripeTestServer::Reply StripeTestServer::retrieve(const Call& c) {
    const TestIntent* t = find_or_vivify(c.intent_id, 0);
    if (t == nullptr)
        return {404,
                error_json("invalid_request_error", "resource_missing", "intent",
                           "No such payment_intent: '" + c.intent_id + "'"),
                ""};
    bool expand_charge = false;
    std::optional<Reply> noted = expansion(c, "", expand_charge);
    if (noted && noted->status != 200) return *noted;
    return {200, intent_json(*t, c, expand_charge), noted ? noted->violation : ""};
}

StripeTestServer::Reply StripeTestServer::search(const Call& c) {
    // Stripe's search language, the one clause olmd uses: metadata['key']:'value' (either quotes).
    static const std::regex q(R"(^\s*metadata\[(['"])([^'"]+)\1\]\s*:\s*(['"])([^'"]*)\3\s*$)");
    std::smatch m;
    const std::string query = text(c.params, "query");
    if (!std::regex_match(query, m, q) || m[2].str() != "olmd_key") {
        const std::string why = "search query \"" + query + "\" is not modelled by the test server";
        return {400, error_json("invalid_request_error", "", "query", why), why};
    }
    bool expand_charge = false;
    std::optional<Reply> noted = expansion(c, "data.", expand_charge);
    if (noted && noted->status != 200) return *noted;
    json data = json::array();
    for (const auto& [id, t] : intents_)
        if (t.olmd_key == m[4].str()) data.push_back(intent_json(t, c, expand_charge));
    return {200,
            json{{"object", "search_result"},
                 {"data", data},
                 {"has_more", false},
                 {"next_page", nullptr},
                 {"url", "/v1/payment_intents/search"}},
            noted ? noted->violation : ""};
}

}  // namespace olmd::test
