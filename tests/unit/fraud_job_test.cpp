// The fraud job end to end inside one process: FR-1 selection, statuses and history
// written through the batch loop (FR-11), the payments FR-6 and FR-10 count, dry run and
// explain. FR-7's lookups in the job are in fraud_job_lookup_test.cpp.

#include <sstream>

#include "unit/fraud_job_fixture.hpp"

namespace olmd::jobs::fraud {
namespace {

using olmd::test::sql_quote;
using olmd::test::TestDb;
using testing::FakeLocator;

TEST_F(FraudJobTest, FR1_OnlyListedStatusesAreSelectedNeverHold) {
    cfg.fraud.statuses = {"Ready to Process", "On Hold", "Awaiting Payment"};
    order("A");
    order("H", "", "On Hold");
    order("P", "", "Awaiting Payment");
    order("S", "", "Ready to Source");
    FraudJob job;
    const auto s = run_job(job);
    EXPECT_EQ(s.selected, 2);
    EXPECT_EQ(s.changed, 2);
    EXPECT_EQ(status_of("A"), "Ready to Source");
    EXPECT_EQ(status_of("P"), "Ready to Source");
    EXPECT_EQ(status_of("H"), "On Hold");
    EXPECT_EQ(status_of("S"), "Ready to Source");
    EXPECT_EQ(t.scalar("SELECT count(*) FROM order_status_history"), 2);
    EXPECT_EQ(progress.selected.load(), 2);
}

TEST_F(FraudJobTest, FR1_ChannelListLimitsSelection) {
    cfg.fraud.channels = {"website"};
    order("W");
    order("P", "", "Ready to Process", "POS");
    FraudJob job;
    const auto s = run_job(job);
    EXPECT_EQ(s.selected, 1);
    EXPECT_EQ(status_of("W"), "Ready to Source");
    EXPECT_EQ(status_of("P"), "Ready to Process");
}

TEST_F(FraudJobTest, FR11_StatusesAndReasonsAreWrittenWithHistory) {
    cfg.fraud.grand_total = {true, 50000};
    cfg.fraud.cvv = {true, "CC Exceptions"};
    cfg.fraud.avs = {true, ""};
    order("PASS");
    order("BIG", "grand_total_cents = 60000");
    const OrderId cvv = order("CVV");
    t.exec("INSERT INTO payments (order_id, method, status, amount_cents, created_at, cvv_result) VALUES (" +
           std::to_string(cvv) + ", 'credit_card', 'authorized', 100, '2026-11-20T10:00:00Z', 'mismatch')");
    FraudJob job;
    const auto s = run_job(job);
    EXPECT_EQ(s.selected, 3);
    EXPECT_EQ(s.changed, 3);
    EXPECT_EQ(s.errors, 0);
    EXPECT_EQ(status_of("PASS"), "Ready to Source");
    EXPECT_EQ(reason_of("PASS"), "fraud_passed");
    EXPECT_EQ(status_of("BIG"), "Non Compliant");
    EXPECT_EQ(reason_of("BIG"), "fraud_failed:grand_total");
    EXPECT_EQ(status_of("CVV"), "CC Exceptions");
    EXPECT_EQ(reason_of("CVV"), "fraud_failed:cvv");
    EXPECT_EQ(t.scalar("SELECT count(*) FROM order_status_history WHERE job = 'fraud' AND run_id = " +
                       std::to_string(run) + " AND changed_at = '2026-11-22T12:00:00Z'"),
              3);
}

TEST_F(FraudJobTest, FR11_BadDataGoesToNonCompliantAndCountsAsError) {
    cfg.fraud.shipping_method = {true, {"Next Day Air"}};
    cfg.fraud.passed_status = "Ready to Source";
    cfg.orders.non_compliant_status = "Format Exception";
    order("BAD");
    t.exec("PRAGMA foreign_keys = OFF");
    t.exec("UPDATE orders SET shipping_method_id = 99 WHERE order_number = 'BAD'");
    t.exec("PRAGMA foreign_keys = ON");
    order("OK");
    FraudJob job;
    const auto s = run_job(job);
    EXPECT_EQ(s.errors, 1);
    EXPECT_EQ(s.changed, 2);
    EXPECT_EQ(status_of("BAD"), "Format Exception");
    EXPECT_EQ(reason_of("BAD"), "bad_data:orders.shipping_method_id");
    EXPECT_EQ(status_of("OK"), "Ready to Source");
}

/// Adds a payment to an order (SQLite's own timestamp format, which is read like the contract's).
void pay(TestDb& t, OrderId id, const std::string& method, const std::string& status,
         const std::string& checks = "") {
    t.exec("INSERT INTO payments (order_id, method, status, amount_cents, created_at" +
           std::string(checks.empty() ? "" : ", avs_result, cvv_result") + ") VALUES (" + std::to_string(id) +
           ", " + sql_quote(method) + ", " + sql_quote(status) + ", 10000, '2026-11-20 10:00:00'" +
           (checks.empty() ? "" : ", " + checks) + ")");
}

TEST_F(FraudJobTest, FR10_DeclinedAttemptsDoNotCount) {
    cfg.fraud.avs = {true, "CC Exceptions"};
    cfg.fraud.cvv = {true, "CC Exceptions"};
    // Paid by PayPal after a declined and a voided card attempt whose checks mismatched.
    const OrderId paypal = order("PAYPAL");
    pay(t, paypal, "credit_card", "declined", "'mismatch', 'mismatch'");
    pay(t, paypal, "credit_card", "voided", "'mismatch', 'mismatch'");
    pay(t, paypal, "paypal", "settled");
    const OrderId captured = order("CAPTURED");
    pay(t, captured, "credit_card", "captured", "'mismatch', 'match'");
    FraudJob job;
    const auto s = run_job(job);
    EXPECT_EQ(s.errors, 0);
    EXPECT_EQ(status_of("PAYPAL"), "Ready to Source");
    EXPECT_EQ(reason_of("PAYPAL"), "fraud_passed");
    EXPECT_EQ(status_of("CAPTURED"), "CC Exceptions");
    EXPECT_EQ(reason_of("CAPTURED"), "fraud_failed:avs");
}

TEST_F(FraudJobTest, FR6_OnlyLiveCardPaymentsCount) {
    cfg.fraud.international_billing.enabled = true;
    const OrderId declined = order("DECLINED", "bill_country = 'Canada'");
    pay(t, declined, "credit_card", "declined");
    pay(t, declined, "paypal", "settled");
    const OrderId live = order("LIVE", "bill_country = 'CAN'");
    pay(t, live, "credit_card", "authorized");
    FraudJob job;
    run_job(job);
    EXPECT_EQ(reason_of("DECLINED"), "fraud_passed");  // its only card attempt was declined
    EXPECT_EQ(reason_of("LIVE"), "fraud_failed:international_billing");
}

TEST_F(FraudJobTest, FR6_UsaBillCountryIsTheHomeCountry) {
    cfg.fraud.international_billing.enabled = true;
    cfg.fraud.ip_address.enabled = true;
    cfg.fraud.ip_address.database = testing::test_mmdb();
    for (const char* us : {"USA", "united states", "United States of America"}) {
        const OrderId id = order(us, "bill_country = " + sql_quote(us));
        pay(t, id, "credit_card", "authorized");
    }
    FraudJob job;
    const auto s = run_job(job);
    EXPECT_EQ(s.errors, 0);
    for (const char* us : {"USA", "united states", "United States of America"}) {
        EXPECT_EQ(status_of(us), "Ready to Source") << us;
        EXPECT_EQ(reason_of(us), "fraud_passed") << us;  // FR-6 and FR-7 (US-WA IP, WA bill state)
    }
}

TEST_F(FraudJobTest, FR6_NoBillCountryPassesWithNoBillCountryReason) {
    cfg.fraud.international_billing.enabled = true;
    const OrderId null_country = order("NULL", "bill_country = NULL");
    pay(t, null_country, "credit_card", "captured");
    const OrderId blank = order("BLANK", "bill_country = '  '");
    pay(t, blank, "credit_card", "authorized");
    const OrderId no_card = order("NOCARD", "bill_country = NULL");
    pay(t, no_card, "paypal", "settled");
    FraudJob job;
    const auto s = run_job(job);
    EXPECT_EQ(s.errors, 0);
    EXPECT_EQ(status_of("NULL"), "Ready to Source");
    EXPECT_EQ(reason_of("NULL"), "fraud_passed:no_bill_country");
    EXPECT_EQ(reason_of("BLANK"), "fraud_passed:no_bill_country");
    EXPECT_EQ(reason_of("NOCARD"),
              "fraud_passed");  // without a live card payment the country does not matter
}

TEST_F(FraudJobTest, FR6_NonCountryBillCountryIsNotBadData) {
    cfg.fraud.international_billing.enabled = true;
    const OrderId id = order("ODD", "bill_country = 'Republic of Nowhere'");
    pay(t, id, "credit_card", "authorized");
    FraudJob job;
    const auto s = run_job(job);
    EXPECT_EQ(s.errors, 0);
    EXPECT_EQ(status_of("ODD"), "Non Compliant");
    EXPECT_EQ(reason_of("ODD"), "fraud_failed:international_billing");
}

TEST_F(FraudJobTest, FR1_SqliteTimestampsAreRead) {
    // Orders and payments written with datetime('now') are judged like any other.
    cfg.fraud.cvv = {true, "CC Exceptions"};
    const OrderId id = order("SQLITE", "created_at = datetime('now'), updated_at = datetime('now')");
    t.exec(
        "INSERT INTO payments (order_id, method, status, amount_cents, created_at, authorized_at, "
        "cvv_result) "
        "VALUES (" +
        std::to_string(id) +
        ", 'credit_card', 'authorized', 100, datetime('now'), datetime('now'), "
        "'mismatch')");
    FraudJob job;
    const auto s = run_job(job);
    EXPECT_EQ(s.errors, 0);
    EXPECT_EQ(reason_of("SQLITE"), "fraud_failed:cvv");
}

TEST_F(FraudJobTest, FR1_DryRunWritesNothing) {
    cfg.fraud.grand_total = {true, 100};
    order("A");
    FraudJob job;
    std::ostringstream out;
    const auto s = run_job(job, true, &out);
    EXPECT_EQ(s.changed, 1);
    EXPECT_EQ(status_of("A"), "Ready to Process");
    EXPECT_EQ(t.scalar("SELECT count(*) FROM order_status_history"), 0);
    EXPECT_NE(
        out.str().find(
            "would change order A: Ready to Process -> Non Compliant (fraud: fraud_failed:grand_total)"),
        std::string::npos)
        << out.str();
}

TEST_F(FraudJobTest, FR11_ExplainShowsSelectionTestsAndResult) {
    cfg.fraud.grand_total = {true, 50000};
    cfg.fraud.compare_states.enabled = true;
    cfg.fraud.ip_address.enabled = true;
    cfg.fraud.ip_address.database = testing::test_mmdb();
    const OrderId id = order("X", "grand_total_cents = 70000, ship_state = 'Oregon'");
    FraudJob job;
    const std::string text = explain(job, OrderRef{id, "X", t.status_id("Ready to Process"), 0});
    EXPECT_NE(text.find("FR-1: selected"), std::string::npos) << text;
    EXPECT_NE(text.find("FR-2 grand_total: FAIL - grand total 700.00 > threshold 500.00"), std::string::npos)
        << text;
    EXPECT_NE(text.find("FR-5 compare_states: FAIL"), std::string::npos) << text;
    EXPECT_NE(text.find("FR-7 ip_address: pass - IP 216.160.83.56 is in US-WA"), std::string::npos) << text;
    EXPECT_NE(
        text.find(
            "\"Ready to Process\" -> \"Non Compliant\", reason fraud_failed:grand_total,compare_states"),
        std::string::npos)
        << text;
    EXPECT_EQ(t.scalar("SELECT count(*) FROM order_status_history"), 0);
}

TEST_F(FraudJobTest, FR1_ExplainSaysWhyAnOrderIsNotSelected) {
    const OrderId id = order("H", "", "On Hold");
    FraudJob job;
    const std::string text = explain(job, OrderRef{id, "H", t.status_id("On Hold"), 0});
    EXPECT_NE(text.find("not selected: status \"On Hold\" is the [orders] hold_status"), std::string::npos)
        << text;
}

}  // namespace
}  // namespace olmd::jobs::fraud
