// The Stripe-subset test server's Stripe behaviours over raw HTTP: refused requests not
// applied and recorded, confirm without payment_method_types, saved payment methods without
// a customer, latest_charge expansion, partial captures and the released remainder, the
// release/expiry hooks, Stripe-Version, the same key in flight (409 then replayed), and
// zero-decimal amounts.

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/stripe_test_server.hpp"

namespace olmd::test {
namespace {

using json = nlohmann::json;

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

}  // namespace
}  // namespace olmd::test
