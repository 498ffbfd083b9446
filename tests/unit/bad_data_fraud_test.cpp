// rules.md "bad data" in the fraud job: every orders and payments column the job
// reads, corrupted one at a time (typeof() never coerced, ids that name no row,
// enumerations, the 10^15-cent bound). The bad order goes to [orders]
// non_compliant_status with a reason naming the column, whatever tests are
// enabled; the job does not fail; the good order of the same run passes;
// `olmd explain` gives the same reason.

#include <gtest/gtest.h>

#include <sstream>

#include "olmd/jobs/fraud/fraud_job.hpp"
#include "olmd/store/runs.hpp"
#include "olmd/store/catalog.hpp"
#include "support/test_db.hpp"
#include "support/test_services.hpp"

namespace olmd::jobs::fraud {
namespace {

using olmd::test::sql_quote;
using olmd::test::TestDb;

const Instant kNow = *parse_utc("2026-11-22T12:00:00Z");

class FraudBadData : public ::testing::Test {
protected:
    FraudBadData() {
        cfg.fraud.enabled = true;
        cfg.fraud.compare_zips.enabled = true;  // one cheap test: the checks do not depend on which run
        cfg.daemon.batch_size = 3;
        t.exec("INSERT INTO shipping_methods (id, name) VALUES (1, 'Ground')");
        run = *store::RunRepository(t.db()).open(kNow, kNow, "fraud", store::Trigger::manual, "test");
        t.allow_bad_rows();
        t.exec("PRAGMA foreign_keys = OFF");  // a database made before the constraints, another writer
    }

    /// A clean order (passes every test) with a live card payment; returns its id.
    OrderId order(const std::string& number) {
        const OrderId id = t.add_order({.number = number});
        t.exec(
            "UPDATE orders SET shipping_method_id = 1, bill_zip = '98101', ship_zip = '98101' WHERE id = " +
            std::to_string(id));
        t.exec("INSERT INTO payments (order_id, method, status, amount_cents, created_at) VALUES (" +
               std::to_string(id) + ", 'credit_card', 'authorized', 10000, '2026-11-20T10:00:00Z')");
        return id;
    }

    JobStats run_job() {
        auto catalog = store::load_catalog(t.db());
        EXPECT_TRUE(catalog);
        ::olmd::test::TestServices services(t.db(), cfg);
        JobContext ctx{cfg, services.get(), *catalog, run, kNow, false, nullptr, nullptr, nullptr};
        JobStats stats;
        FraudJob job;
        job.run(ctx, stats);
        return stats;
    }

    std::string explain(OrderId id) {
        auto catalog = store::load_catalog(t.db());
        ::olmd::test::TestServices services(t.db(), cfg, true);
        JobContext ctx{cfg, services.get(), *catalog, 0, kNow, true, nullptr, nullptr, nullptr};
        FraudJob job;
        std::ostringstream out;
        job.explain(ctx, OrderRef{id, "X", t.status_id("Ready to Process"), 0}, out);
        return out.str();
    }

    std::string status_of(OrderId id) {
        return t.text(
            "SELECT s.name FROM orders o LEFT JOIN order_statuses s ON s.id = o.status_id WHERE o.id = " +
            std::to_string(id));
    }
    std::string reason_of(OrderId id) {
        return t.text("SELECT reason FROM order_status_history WHERE order_id = " + std::to_string(id) +
                      " ORDER BY id DESC LIMIT 1");
    }
    std::string payments_snapshot() {
        return t.text(
            "SELECT group_concat(id || method || status || amount_cents || captured_cents, ';') FROM "
            "payments");
    }

    TestDb t;
    config::Config cfg;
    RunId run = 0;
};

struct Case {
    const char* name;
    const char* sql;     ///< corrupts the bad order (?: its id; its payment is ?P)
    const char* reason;  ///< the expected reason, "?P" standing for the payment id
};

std::string fill(std::string s, OrderId id, RowId payment) {
    for (auto at = s.find("?P"); at != std::string::npos; at = s.find("?P"))
        s.replace(at, 2, std::to_string(payment));
    for (auto at = s.find('?'); at != std::string::npos; at = s.find('?'))
        s.replace(at, 1, std::to_string(id));
    return s;
}

const Case kCases[] = {
    {"channel_id_text", "UPDATE orders SET channel_id = 'abc' WHERE id = ?", "bad_data:orders.channel_id"},
    {"channel_id_unknown", "UPDATE orders SET channel_id = 999 WHERE id = ?", "bad_data:orders.channel_id"},
    {"shipping_method_id_fraction", "UPDATE orders SET shipping_method_id = 1.5 WHERE id = ?",
     "bad_data:orders.shipping_method_id"},
    {"shipping_method_id_unknown", "UPDATE orders SET shipping_method_id = 99 WHERE id = ?",
     "bad_data:orders.shipping_method_id"},
    {"grand_total_cents_text", "UPDATE orders SET grand_total_cents = '100x' WHERE id = ?",
     "bad_data:orders.grand_total_cents"},
    {"grand_total_cents_fraction", "UPDATE orders SET grand_total_cents = 100.5 WHERE id = ?",
     "bad_data:orders.grand_total_cents"},
    {"grand_total_cents_negative", "UPDATE orders SET grand_total_cents = -1 WHERE id = ?",
     "bad_data:orders.grand_total_cents"},
    {"grand_total_cents_past_1e15", "UPDATE orders SET grand_total_cents = 1000000000000001 WHERE id = ?",
     "bad_data:orders.grand_total_cents"},
    {"payment_method_outside_list", "UPDATE payments SET method = 'bitcoin' WHERE id = ?P",
     "bad_data:payments.method:payments.id=?P"},
    {"payment_status_outside_list", "UPDATE payments SET status = 'frozen' WHERE id = ?P",
     "bad_data:payments.status:payments.id=?P"},
    {"payment_avs_result_outside_list", "UPDATE payments SET avs_result = 'maybe' WHERE id = ?P",
     "bad_data:payments.avs_result:payments.id=?P"},
    {"payment_cvv_result_outside_list", "UPDATE payments SET cvv_result = 42 WHERE id = ?P",
     "bad_data:payments.cvv_result:payments.id=?P"},
};

TEST_F(FraudBadData, BadData_FraudEveryColumnReadIsNonCompliantNamingIt) {
    for (const Case& c : kCases) {
        SCOPED_TRACE(c.name);
        t.exec("DELETE FROM order_status_history; DELETE FROM payments; DELETE FROM orders");
        const OrderId good1 = order("G1"), bad = order("BAD"), good2 = order("G2");
        const RowId pay = t.scalar("SELECT id FROM payments WHERE order_id = " + std::to_string(bad));
        t.exec(fill(c.sql, bad, pay));
        const std::string before = payments_snapshot();
        const JobStats s = run_job();
        const std::string want = fill(c.reason, bad, pay);
        EXPECT_TRUE(s.failure.empty()) << s.failure;
        EXPECT_EQ(s.errors, 1);
        EXPECT_EQ(status_of(bad), "Non Compliant");
        EXPECT_EQ(reason_of(bad), want);
        EXPECT_EQ(status_of(good1), "Ready to Source");
        EXPECT_EQ(status_of(good2), "Ready to Source");
        EXPECT_EQ(payments_snapshot(), before) << "no money moved";
        t.exec("UPDATE orders SET status_id = " + std::to_string(t.status_id("Ready to Process")) +
               " WHERE id = " + std::to_string(bad));
        const std::string text = explain(bad);
        EXPECT_NE(text.find("\"Non Compliant\", reason " + want + " (bad data"), std::string::npos) << text;
    }
}

TEST_F(FraudBadData, BadData_FraudUnknownShippingMethodIsNonCompliant) {
    // FR-3 is off: an id that names no row is bad data whatever the enabled tests look at.
    const OrderId o = order("A");
    t.exec("UPDATE orders SET shipping_method_id = 77 WHERE id = " + std::to_string(o));
    run_job();
    EXPECT_EQ(status_of(o), "Non Compliant");
    EXPECT_EQ(reason_of(o), "bad_data:orders.shipping_method_id");
}

TEST_F(FraudBadData, BadData_FraudUnknownChannelWithEveryChannelSelectedIsNonCompliant) {
    cfg.fraud.channels.clear();  // empty = all channels: the unknown one is selected, never silently passed
    const OrderId o = order("A");
    t.exec("UPDATE orders SET channel_id = 4242 WHERE id = " + std::to_string(o));
    const JobStats s = run_job();
    EXPECT_EQ(s.selected, 1);
    EXPECT_EQ(status_of(o), "Non Compliant");
    EXPECT_EQ(reason_of(o), "bad_data:orders.channel_id");
    const std::string text = explain(o);
    EXPECT_NE(text.find("channel_id 4242 names no row of channels"), std::string::npos) << text;
}

TEST_F(FraudBadData, BadData_FraudNullTextFieldsAreNotBadData) {
    const OrderId o = order("A");
    t.exec(
        "UPDATE orders SET bill_zip = NULL, ship_zip = NULL, ip_address = NULL, bill_country = NULL WHERE id "
        "= " +
        std::to_string(o));
    t.exec("UPDATE payments SET avs_result = NULL, cvv_result = ' Match ' WHERE order_id = " +
           std::to_string(o));
    const JobStats s = run_job();
    EXPECT_EQ(s.errors, 0);
    EXPECT_EQ(status_of(o), "Ready to Source");
    EXPECT_EQ(reason_of(o), "fraud_passed");
}

}  // namespace
}  // namespace olmd::jobs::fraud
