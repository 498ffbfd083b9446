// Stripe's published OpenAPI description as the judge of olmd's requests: the form validator
// on its own (each kind of refusal, and a valid request passing), the build's subset against
// the published file, and the conformance of the real client (no request it sends breaks the
// description or Stripe's rules). The test server's Stripe behaviours over raw HTTP are in
// stripe_server_http_test.cpp.

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
