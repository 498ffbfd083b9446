// The fraud tests FR-2..FR-6 and FR-8..FR-10 as pure functions over one order.
// (Which payments are live card payments is read by the store: fraud_store_test.)

#include <gtest/gtest.h>

#include "fraud_test_util.hpp"
#include "olmd/jobs/fraud/rules.hpp"

namespace olmd::jobs::fraud {
namespace {

using testing::clean_order;

Rules rules_with(TestId t) {
    Rules r;
    r.enabled[static_cast<int>(t)] = true;
    r.threshold = 50000;
    r.methods = {"NEXT DAY AIR"};
    return r;
}

// --- FR-2 grand_total -----------------------------------------------------------

TEST(FraudRules, FR2_GrandTotalAboveThresholdFails) {
    auto o = clean_order();
    o.grand_total_cents = 50001;
    const auto r = check_grand_total(o, rules_with(TestId::grand_total), true);
    EXPECT_EQ(r.outcome, Outcome::fail);
    EXPECT_EQ(r.compared, "grand total 500.01 > threshold 500.00");
}

TEST(FraudRules, FR2_GrandTotalAtThresholdPasses) {
    auto o = clean_order();
    o.grand_total_cents = 50000;
    EXPECT_EQ(check_grand_total(o, rules_with(TestId::grand_total), false).outcome, Outcome::pass);
}

TEST(FraudRules, FR2_NullGrandTotalIsBadData) {
    auto o = clean_order();
    o.grand_total_cents.reset();
    const auto r = check_grand_total(o, rules_with(TestId::grand_total), false);
    EXPECT_EQ(r.outcome, Outcome::bad_data);
    EXPECT_EQ(r.bad_field, "orders.grand_total_cents");
}

// --- FR-3 shipping_method -------------------------------------------------------

TEST(FraudRules, FR3_ListedShippingMethodFailsCaseInsensitively) {
    auto o = clean_order();
    o.shipping_method_name = " next day  AIR";
    EXPECT_EQ(check_shipping_method(o, rules_with(TestId::shipping_method), false).outcome, Outcome::fail);
}

TEST(FraudRules, FR3_UnlistedShippingMethodPasses) {
    auto o = clean_order();
    EXPECT_EQ(check_shipping_method(o, rules_with(TestId::shipping_method), false).outcome, Outcome::pass);
}

TEST(FraudRules, FR3_NoShippingMethodPasses) {
    auto o = clean_order();
    o.shipping_method_id.reset();
    o.shipping_method_name.reset();
    EXPECT_EQ(check_shipping_method(o, rules_with(TestId::shipping_method), false).outcome, Outcome::pass);
}

TEST(FraudRules, FR3_UnknownShippingMethodIdIsBadData) {
    auto o = clean_order();
    o.shipping_method_id = 99;
    o.shipping_method_name.reset();
    const auto r = check_shipping_method(o, rules_with(TestId::shipping_method), false);
    EXPECT_EQ(r.outcome, Outcome::bad_data);
    EXPECT_EQ(r.bad_field, "orders.shipping_method_id");
}

// --- FR-4 grand_total_and_shipping_method ----------------------------------------

TEST(FraudRules, FR4_HighTotalWithListedMethodFails) {
    auto o = clean_order();
    o.grand_total_cents = 60000;
    o.shipping_method_name = "Next Day Air";
    EXPECT_EQ(check_grand_total_and_shipping_method(o, rules_with(TestId::grand_total_and_shipping_method), false)
                  .outcome,
              Outcome::fail);
}

TEST(FraudRules, FR4_HighTotalAloneOrListedMethodAlonePasses) {
    const Rules r = rules_with(TestId::grand_total_and_shipping_method);
    auto high = clean_order();
    high.grand_total_cents = 60000;
    EXPECT_EQ(check_grand_total_and_shipping_method(high, r, false).outcome, Outcome::pass);
    auto fast = clean_order();
    fast.shipping_method_name = "Next Day Air";
    EXPECT_EQ(check_grand_total_and_shipping_method(fast, r, false).outcome, Outcome::pass);
}

// --- FR-5 compare_states ---------------------------------------------------------

TEST(FraudRules, FR5_BillStateDiffersFromShipStateFails) {
    auto o = clean_order();
    o.ship.state = "OR";
    const auto r = check_compare_states(o, rules_with(TestId::compare_states), true);
    EXPECT_EQ(r.outcome, Outcome::fail);
    EXPECT_NE(r.compared.find("!="), std::string::npos);
}

TEST(FraudRules, FR5_StateCodeAndFullNamePass) {
    auto o = clean_order();
    o.bill.state = "NY";
    o.ship.state = " new york ";
    EXPECT_EQ(check_compare_states(o, rules_with(TestId::compare_states), false).outcome, Outcome::pass);
}

TEST(FraudRules, FR5_TwoEmptyStatesPass) {
    auto o = clean_order();
    o.bill.state = "";
    o.ship.state = "   ";
    EXPECT_EQ(check_compare_states(o, rules_with(TestId::compare_states), false).outcome, Outcome::pass);
}

// --- FR-6 international_billing --------------------------------------------------

TEST(FraudRules, FR6_CardPaymentWithForeignBillCountryFails) {
    auto o = clean_order();
    o.bill.country = "gb";
    EXPECT_EQ(check_international_billing(o, rules_with(TestId::international_billing), false).outcome,
              Outcome::fail);
}

TEST(FraudRules, FR6_HomeBillCountryPasses) {
    auto o = clean_order();
    o.bill.country = " us";
    EXPECT_EQ(check_international_billing(o, rules_with(TestId::international_billing), false).outcome,
              Outcome::pass);
}

TEST(FraudRules, FR6_ForeignBillCountryWithoutLiveCardPaymentPasses) {
    auto o = clean_order();
    o.bill.country = "GB";
    o.has_live_card_payment = false;
    EXPECT_EQ(check_international_billing(o, rules_with(TestId::international_billing), false).outcome,
              Outcome::pass);
}

TEST(FraudRules, FR6_HomeCountryIsConfigurable) {
    auto o = clean_order();
    o.bill.country = "GB";
    Rules r = rules_with(TestId::international_billing);
    r.home_country = "GB";
    EXPECT_EQ(check_international_billing(o, r, false).outcome, Outcome::pass);
}

TEST(FraudRules, FR6_UsaBillCountryIsTheHomeCountry) {
    const Rules r = rules_with(TestId::international_billing);
    for (const char* us : {"USA", "usa", "United States", " united  states ", "United States of America", "U.S.A."}) {
        SCOPED_TRACE(us);
        auto o = clean_order();
        o.bill.country = us;
        const auto t = check_international_billing(o, r, true);
        EXPECT_EQ(t.outcome, Outcome::pass) << t.compared;
        EXPECT_EQ(t.note, "");
    }
}

TEST(FraudRules, FR6_ForeignCountryByNameOrAlpha3Fails) {
    const Rules r = rules_with(TestId::international_billing);
    for (const char* gb : {"GBR", "United Kingdom", "uk", "Great Britain"}) {
        SCOPED_TRACE(gb);
        auto o = clean_order();
        o.bill.country = gb;
        EXPECT_EQ(check_international_billing(o, r, false).outcome, Outcome::fail);
    }
}

TEST(FraudRules, FR6_NoBillCountryPassesWithNoBillCountryReason) {
    const Rules r = rules_with(TestId::international_billing);
    for (const char* none : {"", "   "}) {
        auto o = clean_order();
        o.bill.country = none;
        const auto t = check_international_billing(o, r, false);
        EXPECT_EQ(t.outcome, Outcome::pass);
        EXPECT_EQ(t.note, "no_bill_country");
    }
    // Without a live card payment the country does not matter: no note.
    auto o = clean_order();
    o.bill.country = "";
    o.has_live_card_payment = false;
    EXPECT_EQ(check_international_billing(o, r, false).note, "");
}

TEST(FraudRules, FR6_NonCountryBillCountryIsComparedAsWrittenNotBadData) {
    auto o = clean_order();
    o.bill.country = "Narnia";
    const auto r = check_international_billing(o, rules_with(TestId::international_billing), true);
    EXPECT_EQ(r.outcome, Outcome::fail);  // a country other than US
    EXPECT_NE(r.compared.find("(NARNIA)"), std::string::npos) << r.compared;
}

TEST(FraudRules, FR6_HomeCountryWrittenAsNameComparesAsCode) {
    config::FraudConfig c;
    c.international_billing.enabled = true;
    c.home_country = "United Kingdom";
    const Rules r = Rules::from_config(c);
    EXPECT_EQ(r.home_country, "GB");
    auto o = clean_order();
    o.bill.country = "gbr";
    EXPECT_EQ(check_international_billing(o, r, false).outcome, Outcome::pass);
    o.bill.country = "US";
    EXPECT_EQ(check_international_billing(o, r, false).outcome, Outcome::fail);
}

// --- FR-8 compare_zips -------------------------------------------------------------

TEST(FraudRules, FR8_DifferentZipsFail) {
    auto o = clean_order();
    o.ship.zip = "98102";
    EXPECT_EQ(check_compare_zips(o, rules_with(TestId::compare_zips), false).outcome, Outcome::fail);
}

TEST(FraudRules, FR8_ZipPlusFourMatchesFiveDigitZip) {
    auto o = clean_order();
    o.bill.zip = "12866-1234";
    o.ship.zip = " 12866";
    EXPECT_EQ(check_compare_zips(o, rules_with(TestId::compare_zips), false).outcome, Outcome::pass);
}

// --- FR-9 blacklists ---------------------------------------------------------------

struct BlacklistCase {
    TestId test;
    void (*set_bill)(FraudOrder&);
    void (*set_ship)(FraudOrder&);
};

Rules blacklist_rules() {
    Rules r;
    for (TestId t : {TestId::blacklist_zip, TestId::blacklist_city, TestId::blacklist_state, TestId::blacklist_name,
                     TestId::blacklist_address, TestId::blacklist_email})
        r.enabled[static_cast<int>(t)] = true;
    r.zips = {"10465"};
    r.cities = {"LAS VEGAS"};
    r.states = {"NM"};
    r.names = {"JOHN SMITH"};
    r.addresses = {"123 MAIN ST"};
    r.emails = {"FRAUDSTER@EXAMPLE.COM"};
    return r;
}

const BlacklistCase kBlacklistCases[] = {
    {TestId::blacklist_zip, [](FraudOrder& o) { o.bill.zip = "10465-0001"; }, [](FraudOrder& o) { o.ship.zip = "10465"; }},
    {TestId::blacklist_city, [](FraudOrder& o) { o.bill.city = "las  vegas"; },
     [](FraudOrder& o) { o.ship.city = " Las Vegas"; }},
    {TestId::blacklist_state, [](FraudOrder& o) { o.bill.state = "New Mexico"; },
     [](FraudOrder& o) { o.ship.state = "nm"; }},
    {TestId::blacklist_name,
     [](FraudOrder& o) {
         o.bill.first_name = "john";
         o.bill.last_name = "SMITH ";
     },
     [](FraudOrder& o) {
         o.ship.first_name = " John";
         o.ship.last_name = "Smith";
     }},
    {TestId::blacklist_address, [](FraudOrder& o) { o.bill.address1 = "123  main st"; },
     [](FraudOrder& o) { o.ship.address1 = "123 Main St"; }},
    {TestId::blacklist_email, [](FraudOrder& o) { o.bill.email = "Fraudster@Example.com"; },
     [](FraudOrder& o) { o.ship.email = "fraudster@example.com "; }},
};

TEST(FraudRules, FR9_BlacklistedBillingValueFails) {
    const Rules r = blacklist_rules();
    for (const auto& c : kBlacklistCases) {
        SCOPED_TRACE(std::string(test_name(c.test)));
        auto o = clean_order();
        c.set_bill(o);
        EXPECT_EQ(check_blacklist(c.test, o, r, false).outcome, Outcome::fail);
    }
}

TEST(FraudRules, FR9_BlacklistedShippingValueFails) {
    const Rules r = blacklist_rules();
    for (const auto& c : kBlacklistCases) {
        SCOPED_TRACE(std::string(test_name(c.test)));
        auto o = clean_order();
        c.set_ship(o);
        EXPECT_EQ(check_blacklist(c.test, o, r, false).outcome, Outcome::fail);
    }
}

TEST(FraudRules, FR9_UnlistedValuesPass) {
    const Rules r = blacklist_rules();
    for (const auto& c : kBlacklistCases) {
        SCOPED_TRACE(std::string(test_name(c.test)));
        EXPECT_EQ(check_blacklist(c.test, clean_order(), r, false).outcome, Outcome::pass);
    }
}

TEST(FraudRules, FR9_NameMatchesOnlyFirstAndLastTogether) {
    const Rules r = blacklist_rules();
    auto o = clean_order();
    o.bill.first_name = "John";
    o.bill.last_name = "Smithson";
    EXPECT_EQ(check_blacklist(TestId::blacklist_name, o, r, false).outcome, Outcome::pass);
}

TEST(FraudRules, FR9_AddressMatchesOnAddress1Only) {
    const Rules r = blacklist_rules();
    auto o = clean_order();
    o.bill.city = "123 Main St";  // not address1
    EXPECT_EQ(check_blacklist(TestId::blacklist_address, o, r, false).outcome, Outcome::pass);
}

TEST(FraudRules, FR9_EmptyValueIsNeverListed) {
    const Rules r = blacklist_rules();
    auto o = clean_order();
    o.bill.email = "";
    o.ship.email = "";
    EXPECT_EQ(check_blacklist(TestId::blacklist_email, o, r, false).outcome, Outcome::pass);
}

// --- FR-10 avs / cvv ----------------------------------------------------------------

TEST(FraudRules, FR10_AvsMismatchFails) {
    auto o = clean_order();
    o.avs_mismatch = true;
    EXPECT_EQ(check_avs(o, rules_with(TestId::avs), false).outcome, Outcome::fail);
    EXPECT_EQ(check_cvv(o, rules_with(TestId::cvv), false).outcome, Outcome::pass);
}

TEST(FraudRules, FR10_CvvMismatchFails) {
    auto o = clean_order();
    o.cvv_mismatch = true;
    EXPECT_EQ(check_cvv(o, rules_with(TestId::cvv), false).outcome, Outcome::fail);
    EXPECT_EQ(check_avs(o, rules_with(TestId::avs), false).outcome, Outcome::pass);
}

TEST(FraudRules, FR10_NoMismatchPasses) {
    EXPECT_EQ(check_avs(clean_order(), rules_with(TestId::avs), false).outcome, Outcome::pass);
    EXPECT_EQ(check_cvv(clean_order(), rules_with(TestId::cvv), false).outcome, Outcome::pass);
}

TEST(FraudRules, FR2_DetailIsOnlyBuiltWhenAsked) {
    auto o = clean_order();
    EXPECT_TRUE(check_grand_total(o, rules_with(TestId::grand_total), false).compared.empty());
    EXPECT_FALSE(check_grand_total(o, rules_with(TestId::grand_total), true).compared.empty());
}

}  // namespace
}  // namespace olmd::jobs::fraud
