// FR-11: the resulting status and the history reason; bad data; the defer of FR-7.

#include <gtest/gtest.h>

#include "fraud_test_util.hpp"
#include "olmd/jobs/fraud/verdict.hpp"

namespace olmd::jobs::fraud {
namespace {

using testing::clean_order;
using testing::FakeLocator;

const ResultStatuses kStatuses{/*passed*/ 7, /*failed*/ 15, /*avs*/ 21, /*cvv*/ 22, /*non_compliant*/ 16};

Rules all_tests() {
    Rules r;
    r.enabled.fill(true);
    r.threshold = 50000;
    r.methods = {"NEXT DAY AIR"};
    r.emails = {"FRAUDSTER@EXAMPLE.COM"};
    return r;
}

OrderDecision judge(const FraudOrder& o, const Rules& r, domain::GeoLocator* l) {
    return decide(evaluate(o, r, l, false), kStatuses);
}

TEST(FraudVerdict, FR11_CleanOrderPasses) {
    FakeLocator geo;
    geo.found("216.160.83.56", "US", "WA");
    const auto d = judge(clean_order(), all_tests(), &geo);
    ASSERT_TRUE(d.to);
    EXPECT_EQ(*d.to, kStatuses.passed);
    EXPECT_EQ(d.reason, "fraud_passed");
    EXPECT_FALSE(d.deferred);
    EXPECT_FALSE(d.bad_data);
}

TEST(FraudVerdict, FR11_FailedTestsAreListedInRulesOrder) {
    FakeLocator geo;
    geo.found("216.160.83.56", "US", "OR");  // bill state is WA
    auto o = clean_order();
    o.grand_total_cents = 60000;
    o.bill.email = "fraudster@example.com";
    o.ship.state = "OR";
    o.cvv_mismatch = true;
    const auto d = judge(o, all_tests(), &geo);
    ASSERT_TRUE(d.to);
    EXPECT_EQ(*d.to, kStatuses.failed);
    EXPECT_EQ(d.reason, "fraud_failed:grand_total,compare_states,ip_address,blacklist_email,cvv");
}

TEST(FraudVerdict, FR11_CvvAloneGoesToCvvStatus) {
    auto o = clean_order();
    o.cvv_mismatch = true;
    o.avs_mismatch = true;
    FakeLocator geo;
    geo.found("216.160.83.56", "US", "WA");
    const auto d = judge(o, all_tests(), &geo);
    ASSERT_TRUE(d.to);
    EXPECT_EQ(*d.to, kStatuses.cvv_failed);  // cvv before avs
    EXPECT_EQ(d.reason, "fraud_failed:avs,cvv");
}

TEST(FraudVerdict, FR11_AvsAloneGoesToAvsStatus) {
    auto o = clean_order();
    o.avs_mismatch = true;
    FakeLocator geo;
    geo.found("216.160.83.56", "US", "WA");
    const auto d = judge(o, all_tests(), &geo);
    ASSERT_TRUE(d.to);
    EXPECT_EQ(*d.to, kStatuses.avs_failed);
    EXPECT_EQ(d.reason, "fraud_failed:avs");
}

TEST(FraudVerdict, FR11_OtherFailureOutranksAvsAndCvv) {
    auto o = clean_order();
    o.avs_mismatch = true;
    o.cvv_mismatch = true;
    o.grand_total_cents = 99999;
    FakeLocator geo;
    geo.found("216.160.83.56", "US", "WA");
    const auto d = judge(o, all_tests(), &geo);
    ASSERT_TRUE(d.to);
    EXPECT_EQ(*d.to, kStatuses.failed);
    EXPECT_EQ(d.reason, "fraud_failed:grand_total,avs,cvv");
}

TEST(FraudVerdict, FR11_DisabledTestsNeverFail) {
    auto o = clean_order();
    o.grand_total_cents = 99999;
    o.avs_mismatch = true;
    Rules r;  // nothing enabled
    const auto d = judge(o, r, nullptr);
    ASSERT_TRUE(d.to);
    EXPECT_EQ(*d.to, kStatuses.passed);
    EXPECT_EQ(d.reason, "fraud_passed");
}

TEST(FraudVerdict, FR11_InconclusiveIpIsListedAsIpUnknownOnPass) {
    auto o = clean_order();
    o.ip_address = "192.168.0.10";
    const auto d = judge(o, all_tests(), nullptr);
    ASSERT_TRUE(d.to);
    EXPECT_EQ(*d.to, kStatuses.passed);
    EXPECT_EQ(d.reason, "fraud_passed:ip_unknown");
}

TEST(FraudVerdict, FR11_InconclusiveIpIsAppendedToFailures) {
    auto o = clean_order();
    o.ip_address = "";
    o.grand_total_cents = 60000;
    const auto d = judge(o, all_tests(), nullptr);
    ASSERT_TRUE(d.to);
    EXPECT_EQ(*d.to, kStatuses.failed);
    EXPECT_EQ(d.reason, "fraud_failed:grand_total,ip_unknown");
}

TEST(FraudVerdict, FR7_DeferredLookupLeavesTheOrderAlone) {
    FakeLocator geo;
    geo.error("216.160.83.56");
    auto o = clean_order();
    o.grand_total_cents = 60000;  // even with a failing test: the order is judged next run as a whole
    const auto d = judge(o, all_tests(), &geo);
    EXPECT_FALSE(d.to);
    EXPECT_TRUE(d.deferred);
}

TEST(FraudVerdict, FR11_BadDataGoesToNonCompliantNamingTheField) {
    FakeLocator geo;
    auto o = clean_order();
    o.shipping_method_id = 42;  // no such method
    o.shipping_method_name.reset();
    o.grand_total_cents.reset();
    const auto d = judge(o, all_tests(), &geo);
    ASSERT_TRUE(d.to);
    EXPECT_EQ(*d.to, kStatuses.non_compliant);
    EXPECT_EQ(d.reason, "bad_data:orders.shipping_method_id");  // the first problem of the order
    EXPECT_TRUE(d.bad_data);
    EXPECT_EQ(geo.total_calls, 0);  // no lookup spent on a non-compliant order
}

TEST(FraudVerdict, FR11_BadDataCountsWhateverTestsAreEnabled) {
    // rules.md "bad data": a row the job cannot interpret is never silently passed, even when no
    // enabled test looks at the column (an unknown shipping method with FR-3 off).
    auto o = clean_order();
    o.shipping_method_id = 42;
    o.shipping_method_name.reset();
    Rules r;
    r.enabled[static_cast<int>(TestId::compare_zips)] = true;
    const auto d = judge(o, r, nullptr);
    ASSERT_TRUE(d.to);
    EXPECT_EQ(*d.to, kStatuses.non_compliant);
    EXPECT_EQ(d.reason, "bad_data:orders.shipping_method_id");
    o = clean_order();
    o.bad_payment_id = 17;
    o.bad_payment_column = "method";
    EXPECT_EQ(judge(o, r, nullptr).reason, "bad_data:payments.method:payments.id=17");
    o = clean_order();
    o.grand_total_cents = 1'000'000'000'000'001;  // past 10^15 cents
    EXPECT_EQ(judge(o, r, nullptr).reason, "bad_data:orders.grand_total_cents");
}

TEST(FraudVerdict, FR11_NullTextFieldsAreNotBadData) {
    auto o = clean_order();
    o.bill = Address{};
    o.ship = Address{};
    o.ip_address = "";
    o.has_live_card_payment = false;
    const auto d = judge(o, all_tests(), nullptr);
    ASSERT_TRUE(d.to);
    EXPECT_FALSE(d.bad_data);
    EXPECT_EQ(d.reason, "fraud_passed:ip_unknown");
}

TEST(FraudVerdict, FR6_NoBillCountryIsListedBeforeIpUnknown) {
    auto o = clean_order();
    o.bill.country = "";
    o.ip_address = "10.1.2.3";
    const auto d = judge(o, all_tests(), nullptr);
    ASSERT_TRUE(d.to);
    EXPECT_EQ(*d.to, kStatuses.passed);
    EXPECT_EQ(d.reason, "fraud_passed:no_bill_country,ip_unknown");
    o.grand_total_cents = 60000;
    EXPECT_EQ(judge(o, all_tests(), nullptr).reason, "fraud_failed:grand_total,no_bill_country,ip_unknown");
}

TEST(FraudVerdict, FR11_NonCountryBillCountryIsNotBadData) {
    FakeLocator geo;
    geo.found("216.160.83.56", "US", "WA");
    auto o = clean_order();
    o.bill.country = "Narnia";
    const auto d = judge(o, all_tests(), &geo);
    EXPECT_FALSE(d.bad_data);
    EXPECT_EQ(d.reason, "fraud_failed:international_billing,ip_address");
}

TEST(FraudVerdict, FR11_ExplainEvaluationShowsEveryEnabledTest) {
    Rules r;
    r.enabled[static_cast<int>(TestId::grand_total)] = true;
    r.enabled[static_cast<int>(TestId::cvv)] = true;
    r.threshold = 100;
    const Evaluation e = evaluate(clean_order(), r, nullptr, true);
    EXPECT_TRUE(e.ran[static_cast<int>(TestId::grand_total)]);
    EXPECT_TRUE(e.ran[static_cast<int>(TestId::cvv)]);
    EXPECT_FALSE(e.ran[static_cast<int>(TestId::avs)]);
    EXPECT_EQ(e.at(TestId::grand_total).compared, "grand total 100.00 > threshold 1.00");
}

}  // namespace
}  // namespace olmd::jobs::fraud
