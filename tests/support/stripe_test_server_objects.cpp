// The Stripe test server's objects (stripe_test_server.hpp): the JSON of PaymentIntents and
// Charges as API version 2023-08-16 shows them (and `charges` before 2022-11-15), expansion,
// Stripe's error bodies, and the card checks scripted by PaymentMethod names.
#include <algorithm>
#include <cctype>

#include "support/stripe_test_server_detail.hpp"

namespace olmd::test {

namespace stripe_detail {

using json = nlohmann::json;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

bool has(const std::string& s, const char* part) {
    return lower(s).find(part) != std::string::npos;
}

json error_json(const std::string& type, const std::string& code, const std::string& param,
                const std::string& message) {
    json e = {{"type", type}, {"message", message}};
    if (!code.empty()) {
        e["code"] = code;
        std::string url = code;
        std::replace(url.begin(), url.end(), '_', '-');
        e["doc_url"] = "https://stripe.com/docs/error-codes/" + url;
    }
    if (!param.empty()) e["param"] = param;
    return json{{"error", e}};
}

json null_or(const std::string& s) {
    return s.empty() ? json(nullptr) : json(s);
}

std::string text(const json& params, const char* key) {
    const auto it = params.find(key);
    return it != params.end() && it->is_string() ? it->get<std::string>() : "";
}

bool at_least(const std::string& version, const char* date) {
    return version.substr(0, 10) >= date;
}

void set_checks(TestIntent& t) {
    const std::string& pm = t.payment_method;
    const bool avs_fail = has(pm, "avs_mismatch") || has(pm, "avsfail");
    const bool unchecked = has(pm, "avsunchecked");
    t.address_line1_check =
        avs_fail || has(pm, "avsline1fail") ? "fail" : (unchecked ? "unavailable" : "pass");
    t.address_postal_code_check =
        avs_fail || has(pm, "avszipfail") ? "fail" : (unchecked ? "unavailable" : "pass");
    t.cvc_check = has(pm, "cvv_mismatch") || has(pm, "cvcfail") || has(pm, "cvccheckfail")
                      ? "fail"
                      : (has(pm, "cvcunavailable") ? "unavailable" : "pass");
}

json charge_json(const TestIntent& t) {
    const bool failed = !t.decline_code.empty();
    const bool captured = t.status == "succeeded";
    const std::int64_t refunded =
        captured ? t.amount - t.amount_received : (t.status == "canceled" ? t.amount : 0);
    return {{"id", t.charge_id},
            {"object", "charge"},
            {"amount", t.amount},
            {"amount_captured", captured ? t.amount_received : 0},
            {"amount_refunded", refunded},
            {"captured", captured},
            {"created", t.created},
            {"currency", t.currency},
            {"customer", null_or(t.customer)},
            {"failure_code", failed ? json("card_declined") : json(nullptr)},
            {"livemode", false},
            {"metadata", json::object()},
            {"paid", !failed},
            {"payment_intent", t.id},
            {"payment_method", null_or(t.payment_method)},
            {"payment_method_details",
             {{"type", "card"},
              {"card",
               {{"brand", "visa"},
                {"checks",
                 {{"address_line1_check", null_or(t.address_line1_check)},
                  {"address_postal_code_check", null_or(t.address_postal_code_check)},
                  {"cvc_check", null_or(t.cvc_check)}}},
                {"country", "US"},
                {"exp_month", 12},
                {"exp_year", 2034},
                {"funding", "credit"},
                {"last4", "4242"},
                {"network", "visa"}}}}},
            {"refunded", refunded > 0 && refunded == t.amount},
            {"status", failed ? "failed" : "succeeded"}};
}

TestIntent normalized(TestIntent t) {
    if (t.amount_capturable < 0) t.amount_capturable = t.status == "requires_capture" ? t.amount : 0;
    const bool confirmed = t.status == "requires_capture" || t.status == "succeeded" ||
                           t.status == "canceled" || !t.decline_code.empty();
    if (t.charge_id.empty() && confirmed)
        t.charge_id = "ch_" + t.id.substr(std::min<std::size_t>(3, t.id.size()));
    if (t.payment_method.empty() && confirmed) t.payment_method = "pm_card_visa";
    return t;
}

}  // namespace stripe_detail

using namespace stripe_detail;

namespace {

const char* const kExpandable[] = {"application",  "customer",       "invoice", "latest_charge",
                                   "on_behalf_of", "payment_method", "review"};

}  // namespace

json StripeTestServer::intent_json(const TestIntent& t, const Call& c, bool expand_charge) const {
    json j = {{"id", t.id},
              {"object", "payment_intent"},
              {"amount", t.amount},
              {"amount_capturable", t.amount_capturable},
              {"amount_details", {{"tip", json::object()}}},
              {"amount_received", t.amount_received},
              {"application", nullptr},
              {"application_fee_amount", nullptr},
              {"automatic_payment_methods", nullptr},
              {"canceled_at", t.status == "canceled" ? json(t.created + 60) : json(nullptr)},
              {"cancellation_reason", null_or(t.cancellation_reason)},
              {"capture_method", t.capture_method},
              {"client_secret", t.id + "_secret_olmdtest"},
              {"confirmation_method", "automatic"},
              {"created", t.created},
              {"currency", t.currency},
              {"customer", null_or(t.customer)},
              {"description", nullptr},
              {"invoice", nullptr},
              {"last_payment_error", nullptr},
              {"livemode", false},
              {"metadata", t.olmd_key.empty() ? json::object() : json{{"olmd_key", t.olmd_key}}},
              {"next_action", nullptr},
              {"on_behalf_of", nullptr},
              {"payment_method", null_or(t.payment_method)},
              {"payment_method_options", json::object()},
              {"payment_method_types", t.payment_method_types},
              {"processing", nullptr},
              {"receipt_email", nullptr},
              {"review", nullptr},
              {"setup_future_usage", nullptr},
              {"shipping", nullptr},
              {"statement_descriptor", nullptr},
              {"statement_descriptor_suffix", nullptr},
              {"status", t.status},
              {"transfer_data", nullptr},
              {"transfer_group", nullptr}};
    if (!t.decline_code.empty())
        j["last_payment_error"] = {{"code", "card_declined"},
                                   {"decline_code", t.decline_code},
                                   {"message", "Your card was declined."},
                                   {"type", "card_error"}};
    if (at_least(c.version, "2022-11-15")) {
        if (t.charge_id.empty())
            j["latest_charge"] = nullptr;
        else
            j["latest_charge"] = expand_charge ? charge_json(t) : json(t.charge_id);
    } else {
        json data = json::array();
        if (!t.charge_id.empty()) data.push_back(charge_json(t));
        j["charges"] = {{"object", "list"},
                        {"data", data},
                        {"has_more", false},
                        {"url", "/v1/charges?payment_intent=" + t.id}};
    }
    return j;
}

std::optional<StripeTestServer::Reply> StripeTestServer::expansion(const Call& c, const std::string& prefix,
                                                                   bool& expand_charge) const {
    expand_charge = false;
    const auto ex = c.params.find("expand");
    if (ex == c.params.end() || !ex->is_array()) return std::nullopt;
    for (const auto& e : *ex) {
        const std::string path = e.get<std::string>();
        const std::string field = path.rfind(prefix, 0) == 0 ? path.substr(prefix.size()) : "";
        if (field == "latest_charge" && at_least(c.version, "2022-11-15")) {
            expand_charge = true;
            continue;
        }
        const bool expandable =
            field != "latest_charge" &&
            std::find(std::begin(kExpandable), std::end(kExpandable), field) != std::end(kExpandable);
        if (expandable) {
            Reply r{200, json::object(), "expand[]=" + path + " is not modelled by the test server"};
            return r;  // recorded, and answered without the expansion below by the caller
        }
        return Reply{
            400,
            error_json("invalid_request_error", "", "", "This property cannot be expanded (" + path + ")."),
            "This property cannot be expanded (" + path + ")."};
    }
    return std::nullopt;
}

}  // namespace olmd::test
