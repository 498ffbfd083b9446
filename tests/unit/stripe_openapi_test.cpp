// Stripe's published OpenAPI description as the judge of olmd's requests: the form validator
// on its own (each kind of refusal, and a valid request passing), the build's subset against
// the published file, the test server's Stripe behaviours over raw HTTP, and the conformance
// of the real client (no request it sends breaks the description or Stripe's rules).

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <thread>

#include "gateway/stripe.hpp"
#include "support/test_clock.hpp"
#include "support/openapi_description.hpp"
#include "support/openapi_form_validator.hpp"
#include "support/stripe_test_server.hpp"
#include "support/temp_dir.hpp"
#include "support/test_db.hpp"

#ifndef OLMD_STRIPE_SPEC
#define OLMD_STRIPE_SPEC OLMD_SHARED_DIR "/data/stripe/spec3.json"
#endif

namespace olmd::test {
namespace {

using json = nlohmann::json;
using namespace openapi;

const Description& subset() {
    static auto d = Description::cached(default_stripe_openapi());
    EXPECT_TRUE(d.ok()) << (d.ok() ? "" : d.error().message);
    return **d;
}

std::optional<FormError> post_error(const std::string& path_template, const std::string& body,
                                    std::map<std::string, std::string> args = {}) {
    const Operation* op = subset().find("POST", path_template);
    EXPECT_NE(op, nullptr) << path_template;
    if (op == nullptr) return FormError{"", "", "no operation"};
    return check_request(*op, {}, parse_form(body), args).error;
}

std::optional<FormError> get_error(const std::string& path_template, const std::string& query,
                                   std::map<std::string, std::string> args = {}) {
    const Operation* op = subset().find("GET", path_template);
    EXPECT_NE(op, nullptr) << path_template;
    if (op == nullptr) return FormError{"", "", "no operation"};
    return check_request(*op, parse_form(query), {}, args).error;
}

const std::string kClientAuthorize =
    "amount=1234&currency=usd&payment_method_types%5B%5D=card&capture_method=manual&confirm=true&off_session="
    "true&"
    "payment_method=pm_card_visa&customer=cus_7&metadata%5Bolmd_key%5D=olmd-k-1&expand%5B%5D=latest_charge";

// --- the validator --------------------------------------------------------------------------

TEST(OpenApiValidator, StripeValidation_ValidRequestsPass) {
    EXPECT_FALSE(post_error("/v1/payment_intents", kClientAuthorize));
    EXPECT_FALSE(post_error("/v1/payment_intents/{intent}/capture",
                            "amount_to_capture=500&expand%5B%5D=latest_charge", {{"intent", "pi_1"}}));
    EXPECT_FALSE(post_error("/v1/payment_intents/{intent}/cancel", "", {{"intent", "pi_1"}}));
    EXPECT_FALSE(
        get_error("/v1/payment_intents/{intent}", "expand%5B%5D=latest_charge", {{"intent", "pi_1"}}));
    EXPECT_FALSE(
        get_error("/v1/payment_intents/search",
                  "query=metadata%5B%27olmd_key%27%5D%3A%27k%27&expand%5B%5D=data.latest_charge&limit=10"));
    // Other encodings Stripe reads: an indexed array, "" to unset metadata, off_session's enum form.
    EXPECT_FALSE(post_error("/v1/payment_intents",
                            "amount=1&currency=usd&expand[0]=latest_charge&off_session=one_off"));
    EXPECT_FALSE(post_error("/v1/payment_intents/{intent}/capture", "metadata=", {{"intent", "pi_1"}}));
}

TEST(OpenApiValidator, StripeValidation_UnknownParameterIsRefused) {
    auto e = post_error("/v1/payment_intents", "amount=100&currency=usd&amount_to_capture=5");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->code, "parameter_unknown");
    EXPECT_EQ(e->param, "amount_to_capture");
    EXPECT_EQ(e->message, "Received unknown parameter: amount_to_capture");
    e = post_error(
        "/v1/payment_intents",
        "amount=100&currency=usd&automatic_payment_methods[enabled]=true&automatic_payment_methods[bogus]=1");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->param, "automatic_payment_methods[bogus]") << "nested keys are checked too";
    e = get_error("/v1/payment_intents/{intent}", "expand[]=latest_charge&foo=1", {{"intent", "pi_1"}});
    ASSERT_TRUE(e) << "GET query parameters are checked";
    EXPECT_EQ(e->code, "parameter_unknown");
    EXPECT_TRUE(
        post_error("/v1/payment_intents/{intent}/cancel", "amount_to_capture=1", {{"intent", "pi_1"}}));
}

TEST(OpenApiValidator, StripeValidation_WrongTypeIsRefused) {
    auto e = post_error("/v1/payment_intents", "amount=12.50&currency=usd");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->code, "parameter_invalid_integer");
    EXPECT_EQ(e->message, "Invalid integer: 12.50");
    e = post_error("/v1/payment_intents", "amount=100&currency=usd&confirm=yes");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->param, "confirm");
    EXPECT_EQ(e->message, "Invalid boolean: yes");
    e = post_error("/v1/payment_intents", "amount=100&currency=usd&expand=latest_charge");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->message, "Invalid array");
    e = post_error("/v1/payment_intents", "amount=100&currency=usd&metadata=olmd");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->message, "Invalid hash");
    e = post_error("/v1/payment_intents", "amount=100&currency=usd&metadata=x&metadata[a]=1");
    ASSERT_TRUE(e) << "conflicting keys";
}

TEST(OpenApiValidator, StripeValidation_ValueOutsideTheEnumIsRefused) {
    auto e = post_error("/v1/payment_intents", "amount=100&currency=usd&capture_method=later");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->param, "capture_method");
    EXPECT_EQ(e->message, "Invalid capture_method: must be one of automatic, automatic_async, or manual");
    e = post_error("/v1/payment_intents/{intent}/cancel", "cancellation_reason=automatic",
                   {{"intent", "pi_1"}});
    ASSERT_TRUE(e) << "only the user-settable reasons";
    e = post_error("/v1/payment_intents", "amount=100&currency=usd&off_session=sometimes");
    ASSERT_TRUE(e) << "neither a boolean nor one_off/recurring";
}

TEST(OpenApiValidator, StripeValidation_MissingRequiredOrEmptyParameterIsRefused) {
    auto e = post_error("/v1/payment_intents", "currency=usd");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->code, "parameter_missing");
    EXPECT_EQ(e->message, "Missing required param: amount.");
    e = post_error("/v1/payment_intents",
                   "amount=100&currency=usd&automatic_payment_methods[allow_redirects]=never");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->param, "automatic_payment_methods[enabled]");
    e = get_error("/v1/payment_intents/search", "limit=3");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->param, "query");
    e = post_error("/v1/payment_intents", "amount=&currency=usd");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->code, "parameter_invalid_empty");
}

TEST(OpenApiValidator, StripeValidation_StringOverMaxLengthIsRefused) {
    auto e = post_error("/v1/payment_intents/{intent}/capture",
                        "statement_descriptor=ABCDEFGHIJKLMNOPQRSTUVW", {{"intent", "pi_1"}});
    ASSERT_TRUE(e);
    EXPECT_NE(e->message.find("must be at most 22 characters"), std::string::npos) << e->message;
    e = post_error("/v1/payment_intents/{intent}/cancel", "", {{"intent", std::string(5001, 'x')}});
    ASSERT_TRUE(e) << "path parameters too";
}

TEST(OpenApiValidator, StripeValidation_PathsMatchTheirTemplates) {
    const auto& d = subset();
    EXPECT_EQ(d.version(), "2023-08-16");
    auto m = d.match("GET", "/v1/payment_intents/search");
    ASSERT_NE(m.op, nullptr);
    EXPECT_EQ(m.op->id, "GetPaymentIntentsSearch") << "a literal segment beats {intent}";
    m = d.match("POST", "/v1/payment_intents/pi_9/capture");
    ASSERT_NE(m.op, nullptr);
    EXPECT_EQ(m.path_args.at("intent"), "pi_9");
    m = d.match("GET", "/v1/payment_intents/pi_9/capture");
    EXPECT_EQ(m.op, nullptr);
    EXPECT_TRUE(m.path_known);
    EXPECT_EQ(d.match("POST", "/v1/payment_intent").op, nullptr);
    m = d.match("POST", "/v1/customers");
    ASSERT_NE(m.op, nullptr) << "every operation of the published file is known";
    EXPECT_FALSE(m.op->described) << "the subset keeps only the ones the server implements";
}

TEST(OpenApiSubset, StripeValidation_BuildSubsetIsThePublishedDescriptionsOperations) {
    const auto t0 = std::chrono::steady_clock::now();
    std::ifstream in(OLMD_STRIPE_SPEC);
    ASSERT_TRUE(in) << OLMD_STRIPE_SPEC;
    const json full = json::parse(in);
    const auto t1 = std::chrono::steady_clock::now();
    std::ifstream sin(default_stripe_openapi());
    const json built = json::parse(sin);
    const auto t2 = std::chrono::steady_clock::now();
    auto fresh = extract_subset(full, stripe_operations());
    ASSERT_TRUE(fresh.ok()) << fresh.error().message;
    EXPECT_EQ(*fresh, built) << "the build's subset is stale: rebuild";
    for (const auto& [method, path] : stripe_operations()) {
        std::string m = method;
        for (auto& c : m) c = static_cast<char>(std::tolower(c));
        const json& op = full["paths"][path][m];
        const json& kept = built["paths"][path][m];
        const json::json_pointer props(
            "/requestBody/content/application~1x-www-form-urlencoded/schema/properties");
        ASSERT_TRUE(op.contains(props)) << path;
        EXPECT_EQ(kept.value(props, json::object()).size(), op[props].size()) << path;
        EXPECT_EQ(kept.value("parameters", json::array()).size(),
                  op.value("parameters", json::array()).size())
            << path;
    }
    auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
    std::cout << "openapi: parsing spec3.json took " << ms(t0, t1) << " ms, the build's subset " << ms(t1, t2)
              << " ms\n";
    auto d = Description::from_json(full);
    ASSERT_TRUE(d.ok());
    EXPECT_GT((*d)->size(), 400u);
    const Operation* op = (*d)->find("POST", "/v1/payment_intents");
    ASSERT_NE(op, nullptr);
    EXPECT_FALSE(check_request(*op, {}, parse_form(kClientAuthorize), {}).error) << "the full file agrees";
}

// --- the test server over raw HTTP ------------------------------------------------------------

class StripeServerHttp : public ::testing::Test {
protected:
    httplib::Result send(const std::string& method, const std::string& target, const std::string& body = "",
                         const std::string& version = "2023-08-16", const std::string& key = "") {
        httplib::Client c("127.0.0.1", server.port());
        httplib::Headers h{{"Authorization", "Bearer " + server.api_key()}};
        if (!version.empty()) h.emplace("Stripe-Version", version);
        if (!key.empty()) h.emplace("Idempotency-Key", key);
        if (method == "GET") return c.Get(target.c_str(), h);
        return c.Post(target.c_str(), h, body, "application/x-www-form-urlencoded");
    }
    json create(const std::string& body, int want = 200, const std::string& version = "2023-08-16") {
        auto r = send("POST", "/v1/payment_intents", body, version);
        EXPECT_TRUE(r);
        if (!r) return {};
        EXPECT_EQ(r->status, want) << r->body;
        return json::parse(r->body);
    }
    static std::string authorize(const std::string& pm, const std::string& extra = "customer=cus_1") {
        return "amount=10000&currency=usd&payment_method_types[]=card&capture_method=manual&confirm=true&"
               "off_session=true&payment_method=" +
               pm + (extra.empty() ? "" : "&" + extra);
    }
    StripeTestServer server;
};

TEST_F(StripeServerHttp, StripeServer_RefusedRequestIsNotAppliedAndIsRecorded) {
    auto j = create(authorize("pm_card_visa", "customer=cus_1&colour=red"), 400);
    EXPECT_EQ(j["error"]["type"], "invalid_request_error");
    EXPECT_EQ(j["error"]["code"], "parameter_unknown");
    EXPECT_EQ(j["error"]["param"], "colour");
    EXPECT_TRUE(server.intents().empty());
    ASSERT_EQ(server.violations().size(), 1u);
    EXPECT_EQ(server.violations()[0].code, "parameter_unknown");
    auto r = send("POST", "/v1/payment_intent", "amount=1");
    EXPECT_EQ(r->status, 404);
    EXPECT_EQ(server.violations().size(), 2u);
    // A refused request is not stored under its key: the corrected one is applied.
    EXPECT_EQ(send("POST", "/v1/payment_intents", authorize("pm_card_visa", "amount_to_capture=1"),
                   "2023-08-16", "k1")
                  ->status,
              400);
    EXPECT_EQ(send("POST", "/v1/payment_intents", authorize("pm_card_visa"), "2023-08-16", "k1")->status,
              200);
}

TEST_F(StripeServerHttp, StripeServer_ConfirmWithoutPaymentMethodTypesAsksForReturnUrl) {
    const std::string bare =
        "amount=10000&currency=usd&capture_method=manual&confirm=true&off_session=true&"
        "payment_method=pm_card_visa&customer=cus_1";
    auto j = create(bare, 400);
    EXPECT_EQ(j["error"]["type"], "invalid_request_error");
    EXPECT_NE(j["error"]["message"].get<std::string>().find("return_url"), std::string::npos);
    j = create(bare, 400, "") /* no header: the account default, 2023-08-16 */;
    create(bare + "&automatic_payment_methods[enabled]=true", 400);
    create(bare + "&automatic_payment_methods[enabled]=true&automatic_payment_methods[allow_redirects]=never",
           200);
    create(bare, 200, "2023-08-15");  // before automatic payment methods became the default
    create(bare + "&payment_method_types[]=card", 200);
    create(bare + "&payment_method_types[]=card&automatic_payment_methods[enabled]=true", 400);
    create(bare + "&payment_method_types[]=sepa_debit", 400);
    EXPECT_EQ(server.violations().size(), 5u);
}

TEST_F(StripeServerHttp, StripeServer_SavedPaymentMethodWithoutCustomerIsRefused) {
    auto j = create(authorize("pm_1Saved", ""), 400);
    EXPECT_EQ(j["error"]["type"], "invalid_request_error");
    EXPECT_NE(j["error"]["message"].get<std::string>().find("without Customer attachment"),
              std::string::npos);
    create(authorize("pm_1Saved"), 200);         // attached to its customer: fine
    create(authorize("pm_card_visa", ""), 200);  // Stripe's test PaymentMethods are new each time
    create(authorize("pm_card_visa", ""), 200);
    create(authorize("pm_fresh_1", ""), 200);  // never used: once
    create(authorize("pm_fresh_1", ""), 400);
    EXPECT_EQ(server.violations().size(), 2u);
}

TEST_F(StripeServerHttp, StripeServer_LatestChargeIsAnIdUnlessExpanded) {
    auto j = create(authorize("pm_card_visa_avs_mismatch"));
    ASSERT_TRUE(j["latest_charge"].is_string());
    const std::string id = j["id"];
    auto r = send("GET", "/v1/payment_intents/" + id + "?expand[]=latest_charge");
    const json e = json::parse(r->body);
    ASSERT_TRUE(e["latest_charge"].is_object()) << r->body;
    EXPECT_EQ(e["latest_charge"]["payment_method_details"]["card"]["checks"]["address_line1_check"], "fail");
    EXPECT_EQ(e["latest_charge"]["payment_method_details"]["card"]["checks"]["cvc_check"], "pass");
    EXPECT_TRUE(create(authorize("pm_card_visa", "customer=cus_1&expand[]=latest_charge"))["latest_charge"]
                    .is_object());
    r = send("GET", "/v1/payment_intents/" + id + "?expand[]=latest_charge", "", "2022-08-01");
    EXPECT_EQ(r->status, 400) << "no latest_charge before 2022-11-15";
    r = send("GET", "/v1/payment_intents/" + id, "", "2022-08-01");
    EXPECT_TRUE(json::parse(r->body).contains("charges"));
    r = send("GET", "/v1/payment_intents/" + id + "?expand[]=amount");
    EXPECT_EQ(r->status, 400);
    EXPECT_NE(r->body.find("cannot be expanded"), std::string::npos);
}

TEST_F(StripeServerHttp, StripeServer_PartialCaptureReleasesTheRemainderAndASecondCaptureIsUnexpectedState) {
    const std::string id = create(authorize("pm_card_visa"))["id"];
    auto r = send("POST", "/v1/payment_intents/" + id + "/capture", "amount_to_capture=4000");
    ASSERT_EQ(r->status, 200) << r->body;
    json j = json::parse(r->body);
    EXPECT_EQ(j["status"], "succeeded");
    EXPECT_EQ(j["amount_received"], 4000);
    EXPECT_EQ(j["amount_capturable"], 0);
    r = send("POST", "/v1/payment_intents/" + id + "/capture", "amount_to_capture=6000");
    EXPECT_EQ(r->status, 400);
    j = json::parse(r->body);
    EXPECT_EQ(j["error"]["code"], "payment_intent_unexpected_state");
    EXPECT_EQ(j["error"]["payment_intent"]["amount_received"], 4000);
    r = send("POST", "/v1/payment_intents/" + id + "/cancel", "");
    EXPECT_EQ(r->status, 400);
    EXPECT_EQ(json::parse(r->body)["error"]["code"], "payment_intent_unexpected_state");
    EXPECT_EQ(server.captures(id), 1);
    const std::string other = create(authorize("pm_card_visa"))["id"];
    r = send("POST", "/v1/payment_intents/" + other + "/capture", "amount_to_capture=10001");
    EXPECT_EQ(r->status, 400);
    EXPECT_EQ(json::parse(r->body)["error"]["code"], "amount_too_large");
    EXPECT_TRUE(server.violations().empty());
}

TEST_F(StripeServerHttp, StripeServer_HooksSetUpReleasedAndExpiredAuthorizations) {
    TestIntent t;
    t.id = "pi_partial";
    t.amount = 10000;
    t.amount_received = 4000;
    t.status = "succeeded";
    server.add_intent(t);
    auto j = json::parse(send("GET", "/v1/payment_intents/pi_partial?expand[]=latest_charge")->body);
    EXPECT_EQ(j["amount_capturable"], 0);
    EXPECT_EQ(j["latest_charge"]["amount_refunded"], 6000) << "the remainder was released";
    server.add_intent("pi_auth", 5000);
    EXPECT_TRUE(server.capture_elsewhere("pi_auth", 2000));
    EXPECT_EQ(server.intent("pi_auth")->amount_received, 2000);
    EXPECT_EQ(server.captures("pi_auth"), 0) << "not through the API";
    server.add_intent("pi_old", 5000);
    EXPECT_TRUE(server.expire("pi_old"));
    EXPECT_EQ(send("POST", "/v1/payment_intents/pi_old/capture", "")->status, 400);
}

TEST_F(StripeServerHttp, StripeServer_StripeVersionIsCheckedAndRecorded) {
    EXPECT_EQ(
        send("GET", "/v1/payment_intents/search?query=metadata['olmd_key']:'x'", "", "2023-13-01")->status,
        400);
    EXPECT_EQ(
        send("GET", "/v1/payment_intents/search?query=metadata['olmd_key']:'x'", "", "2024-09-30.acacia")
            ->status,
        200);
    EXPECT_EQ(send("GET", "/v1/payment_intents/search?query=metadata['olmd_key']:'x'", "", "")->status, 200);
    const auto seen = server.seen();
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen[0].stripe_version, "2023-13-01");
    EXPECT_EQ(seen[1].stripe_version, "2024-09-30.acacia");
    EXPECT_EQ(seen[2].stripe_version, "");
    EXPECT_EQ(server.violations().size(), 1u);
}

TEST_F(StripeServerHttp, StripeServer_SameKeyWhileInFlightIs409ThenReplayed) {
    server.set_latency_ms(300);
    int first = 0;
    std::thread t([&] {
        first = send("POST", "/v1/payment_intents", authorize("pm_card_visa"), "2023-08-16", "k1")->status;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto second = send("POST", "/v1/payment_intents", authorize("pm_card_visa"), "2023-08-16", "k1");
    t.join();
    EXPECT_EQ(first, 200);
    EXPECT_EQ(second->status, 409);
    EXPECT_EQ(json::parse(second->body)["error"]["code"], "idempotency_key_in_use");
    auto third = send("POST", "/v1/payment_intents", authorize("pm_card_visa"), "2023-08-16", "k1");
    EXPECT_EQ(third->status, 200);
    EXPECT_EQ(third->get_header_value("Idempotent-Replayed"), "true");
    EXPECT_EQ(server.intents().size(), 1u);
}

TEST_F(StripeServerHttp, StripeServer_ZeroDecimalAmountsAreWholeUnits) {
    const std::string jpy =
        "currency=jpy&payment_method_types[]=card&capture_method=manual&confirm=true&"
        "off_session=true&payment_method=pm_card_visa&customer=cus_1";
    auto j = create("amount=1500&" + jpy);
    EXPECT_EQ(j["currency"], "jpy");
    EXPECT_EQ(j["amount_capturable"], 1500);
    j = create("amount=49&" + jpy, 400);
    EXPECT_EQ(j["error"]["code"], "amount_too_small");
    create("amount=49&currency=usd&payment_method_types[]=card&payment_method=pm_card_visa&confirm=true",
           400);
}

// --- the real client: never sends what the description forbids ----------------------------------

TEST(StripeConformance, StripeProtocol_ClientRequestsBreakNeitherTheDescriptionNorStripesRules) {
    StripeTestServer server;
    TempDir dir;
    TestDb db;
    write_file(dir.file("k"), server.api_key());
    config::GatewayConfig cfg;
    cfg.kind = config::GatewayKind::stripe;
    cfg.url = server.url();
    cfg.api_key_file = dir.file("k");
    cfg.max_retries = 0;
    auto run = [&](config::GatewayConfig c) {
        auto g = gateway::make_gateway(c, db.db(), test::instant_clock(), never_stopped()).value();
        using domain::Operation;
        auto rq = [](Operation op, std::string key, Cents amount, std::string token, std::string ref,
                     std::string customer) {
            return domain::Request{
                op, std::move(key), amount, std::move(token), std::move(customer), std::move(ref)};
        };
        const std::string k = c.currency + "-";
        auto a = g->authorize(rq(Operation::authorize, k + "1", 10000, "pm_card_visa", "", "cus_1"));
        EXPECT_EQ(a.outcome, domain::Outcome::succeeded) << a.detail;
        auto s = g->authorize(rq(Operation::authorize, k + "2", 5000, "tok_saved_1", "", "cus_2"));
        EXPECT_EQ(s.outcome, domain::Outcome::succeeded) << s.detail;
        auto d = g->authorize(rq(Operation::authorize, k + "3", 5000, "pm_card_chargeDeclined", "", "cus_3"));
        EXPECT_EQ(d.outcome, domain::Outcome::declined) << d.detail;
        auto p = g->capture(rq(Operation::capture, k + "4", 4000, "", a.gateway_ref, ""));
        EXPECT_EQ(p.outcome, domain::Outcome::succeeded) << p.detail;
        auto again = g->capture(rq(Operation::capture, k + "5", 6000, "", a.gateway_ref, ""));
        EXPECT_EQ(again.response_code, domain::kAuthorizationReleased) << again.detail;
        auto v = g->void_auth(rq(Operation::void_auth, k + "6", 5000, "", s.gateway_ref, ""));
        EXPECT_EQ(v.outcome, domain::Outcome::succeeded) << v.detail;
        auto vc = g->void_auth(rq(Operation::void_auth, k + "7", 10000, "", a.gateway_ref, ""));
        EXPECT_EQ(vc.response_code, domain::kAlreadyCaptured) << vc.detail;
        EXPECT_EQ(g->lookup(rq(Operation::authorize, k + "1", 10000, "pm_card_visa", "", "cus_1")).state,
                  domain::LookupState::applied);
        EXPECT_EQ(g->lookup(rq(Operation::capture, k + "5", 6000, "", a.gateway_ref, "")).state,
                  domain::LookupState::applied);
        EXPECT_EQ(g->lookup(rq(Operation::void_auth, k + "6", 5000, "", s.gateway_ref, "")).state,
                  domain::LookupState::applied);
    };
    run(cfg);
    cfg.currency = "jpy";
    run(cfg);
    for (const auto& v : server.violations()) ADD_FAILURE() << v.reason << " <- " << v.request;
    const auto seen = server.seen();
    EXPECT_GT(seen.size(), 20u);
    for (const auto& r : seen) EXPECT_EQ(r.stripe_version, "2023-08-16") << r.method << " " << r.path;
    bool jpy = false;
    for (const auto& r : seen) jpy = jpy || r.body.find("amount=100&currency=jpy") != std::string::npos;
    EXPECT_TRUE(jpy) << "10000 cents are 100 yen";
}

}  // namespace
}  // namespace olmd::test
