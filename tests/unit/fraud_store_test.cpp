// The fraud job's repository: FR-1 selection by status/channel without the hold
// status, keyset pages in id order, and every field FR-2..FR-10 read in one query. Through the
// RunStore port, on both backends (pg: prefix, support/pg_mirror.hpp); FR11_BadDataRowsReadDefensively
// plants values PostgreSQL's types refuse, so it runs on SQLite only.

#include <gtest/gtest.h>

#include <functional>

#include "support/pg_mirror.hpp"
#include "support/test_db.hpp"

namespace olmd::test {
namespace {

using domain::FraudOrder;

RowId channel(TestDb& t, const std::string& name) {
    return t.scalar("SELECT id FROM channels WHERE name = " + sql_quote(name));
}

std::vector<std::string> numbers(const std::vector<FraudOrder>& page) {
    std::vector<std::string> out;
    for (const auto& o : page) out.push_back(o.number);
    return out;
}

std::vector<std::string> read_all(domain::FraudOrderPages& r, int limit) {
    std::vector<std::string> out;
    RowId after = 0;
    while (true) {
        auto page = r.page(after, limit);
        EXPECT_TRUE(page) << page.error().message;
        if (!page || page->empty()) return out;
        for (const auto& n : numbers(*page)) out.push_back(n);
        after = page->back().id;
    }
}

class FraudStore : public ::testing::Test {
protected:
    /// Runs body on the run store of t's backend (t itself, or in pg: tests its PostgreSQL twin).
    void on_store(const std::function<void(domain::RunStore&)>& body) {
        with_backend(twin, t, [&](store::Backend& b) { body(*b.run_store()); });
    }

    TestDb t;
    std::unique_ptr<PgMirror> twin;
};

TEST_F(FraudStore, FR1_SelectsListedStatusesOnlyInIdOrderAcrossPages) {
    t.add_order({.number = "A", .status = "Ready to Process"});
    t.add_order({.number = "B", .status = "Ready to Source"});
    t.add_order({.number = "C", .status = "Awaiting Payment"});
    t.add_order({.number = "D", .status = "Ready to Process"});
    t.add_order({.number = "E", .status = "Awaiting Payment"});
    t.add_order({.number = "F", .status = "Ready to Process"});
    domain::FraudOrderFilter f;
    f.statuses = {t.status_id("Ready to Process"), t.status_id("Awaiting Payment")};
    on_store([&](domain::RunStore& s) {
        auto r = s.fraud_orders(f);
        ASSERT_TRUE(r);
        EXPECT_EQ(read_all(**r, 2), (std::vector<std::string>{"A", "C", "D", "E", "F"}));
        EXPECT_EQ(read_all(**r, 500), (std::vector<std::string>{"A", "C", "D", "E", "F"}));
        EXPECT_EQ(*(*r)->count(), 5);
    });
}

TEST_F(FraudStore, FR1_ChannelFilterKeepsListedChannels) {
    t.add_order({.number = "W", .channel = "Website"});
    t.add_order({.number = "P", .channel = "POS"});
    t.add_order({.number = "E", .channel = "eBay"});
    domain::FraudOrderFilter f;
    f.statuses = {t.status_id("Ready to Process")};
    f.channels = {channel(t, "Website"), channel(t, "eBay")};
    on_store([&](domain::RunStore& s) {
        auto r = s.fraud_orders(f);
        ASSERT_TRUE(r);
        EXPECT_EQ(read_all(**r, 1), (std::vector<std::string>{"W", "E"}));
    });
}

TEST_F(FraudStore, FR1_NoStatusSelectsNothing) {
    t.add_order({.number = "A"});
    on_store([&](domain::RunStore& s) {
        auto r = s.fraud_orders(domain::FraudOrderFilter{});
        ASSERT_TRUE(r);
        EXPECT_TRUE(read_all(**r, 10).empty());
        EXPECT_EQ(*(*r)->count(), 0);
    });
}

TEST_F(FraudStore, FR10_PaymentFlagsAndFieldsAreReadInOnePage) {
    t.exec("INSERT INTO shipping_methods (id, name) VALUES (1, 'Next Day Air')");
    const auto id = t.add_order({.number = "A", .grand_total_cents = 12345});
    t.exec("UPDATE orders SET shipping_method_id = 1, ip_address = ' 216.160.83.56', bill_first_name = 'Ann', "
           "bill_last_name = 'Lee', bill_address1 = '1 Pike St', bill_city = 'Seattle', bill_state = 'WA', "
           "bill_zip = '98101', bill_country = 'US', bill_email = 'ann@example.com', ship_state = 'Oregon', "
           "ship_zip = '97201-1234', ship_country = 'US' WHERE id = " + std::to_string(id));
    t.exec("INSERT INTO payments (order_id, method, status, amount_cents, created_at, avs_result, cvv_result) VALUES "
           "(" + std::to_string(id) + ", 'credit_card', 'authorized', 100, '2026-11-20T10:00:00Z', 'match', 'match'),"
           "(" + std::to_string(id) + ", 'paypal', 'settled', 100, '2026-11-20T10:00:00Z', 'mismatch', NULL)");
    const auto plain = t.add_order({.number = "B"});
    t.exec("INSERT INTO payments (order_id, method, status, amount_cents, created_at, cvv_result) VALUES "
           "(" + std::to_string(plain) + ", 'check', 'settled', 100, '2026-11-20T10:00:00Z', 'mismatch')");

    domain::FraudOrderFilter f;
    f.statuses = {t.status_id("Ready to Process")};
    on_store([&](domain::RunStore& s) {
        auto r = s.fraud_orders(f);
        ASSERT_TRUE(r);
        auto page = (*r)->page(0, 10);
        ASSERT_TRUE(page);
        ASSERT_EQ(page->size(), 2u);
        const FraudOrder& a = (*page)[0];
        EXPECT_EQ(a.id, id);
        EXPECT_EQ(a.status_id, t.status_id("Ready to Process"));
        EXPECT_EQ(a.shipping_method_id, 1);
        EXPECT_EQ(a.shipping_method_name, "Next Day Air");
        EXPECT_EQ(a.grand_total_cents, 12345);
        EXPECT_EQ(a.ip_address, " 216.160.83.56");
        EXPECT_EQ(a.bill.first_name, "Ann");
        EXPECT_EQ(a.bill.email, "ann@example.com");
        EXPECT_EQ(a.ship.state, "Oregon");
        EXPECT_EQ(a.ship.zip, "97201-1234");
        EXPECT_EQ(a.ship.first_name, "");  // NULL reads as ""
        EXPECT_TRUE(a.has_live_card_payment);
        EXPECT_FALSE(a.avs_mismatch);  // the PayPal payment's 'mismatch' is no card result (FR-10)
        EXPECT_FALSE(a.cvv_mismatch);
        const FraudOrder& b = (*page)[1];
        EXPECT_FALSE(b.has_live_card_payment);
        EXPECT_FALSE(b.avs_mismatch);
        EXPECT_FALSE(b.cvv_mismatch);  // a check is not a live card payment
        EXPECT_FALSE(b.shipping_method_id);
        EXPECT_EQ(b.ip_address, "");
    });
}

TEST_F(FraudStore, FR10_DeclinedAttemptsDoNotCount) {
    auto pay = [&](OrderId id, const std::string& method, const std::string& status, const std::string& avs,
                   const std::string& cvv) {
        t.exec("INSERT INTO payments (order_id, method, status, amount_cents, created_at, avs_result, cvv_result) "
               "VALUES (" + std::to_string(id) + ", " + sql_quote(method) + ", " + sql_quote(status) +
               ", 100, '2026-11-20 10:00:00', " + avs + ", " + cvv + ")");
    };
    // Paid by PayPal after two failed card attempts whose checks mismatched.
    const auto paypal = t.add_order({.number = "PAYPAL"});
    pay(paypal, "credit_card", "declined", "'mismatch'", "NULL");
    pay(paypal, "credit_card", "voided", "NULL", "'mismatch'");
    pay(paypal, "paypal", "settled", "NULL", "NULL");
    // A live authorization and a live capture, each with one mismatch: both flags are kept.
    const auto card = t.add_order({.number = "CARD"});
    pay(card, "credit_card", "authorized", "'mismatch'", "'match'");
    pay(card, "credit_card", "captured", "'match'", "'mismatch'");
    // Only a declined card attempt: no live card payment.
    const auto declined = t.add_order({.number = "DECLINED"});
    pay(declined, "credit_card", "declined", "'match'", "'match'");

    domain::FraudOrderFilter f;
    f.statuses = {t.status_id("Ready to Process")};
    on_store([&](domain::RunStore& s) {
        auto r = s.fraud_orders(f);
        ASSERT_TRUE(r);
        auto page = (*r)->page(0, 10);
        ASSERT_TRUE(page);
        ASSERT_EQ(page->size(), 3u);
        const FraudOrder& p = (*page)[0];
        EXPECT_FALSE(p.has_live_card_payment);
        EXPECT_FALSE(p.avs_mismatch);
        EXPECT_FALSE(p.cvv_mismatch);
        const FraudOrder& c = (*page)[1];
        EXPECT_TRUE(c.has_live_card_payment);
        EXPECT_TRUE(c.avs_mismatch);
        EXPECT_TRUE(c.cvv_mismatch);
        const FraudOrder& d = (*page)[2];
        EXPECT_FALSE(d.has_live_card_payment);
        // The single-order read (explain) gives the same flags.
        auto one = s.fraud_order(card);
        ASSERT_TRUE(one && *one);
        EXPECT_TRUE((*one)->avs_mismatch && (*one)->cvv_mismatch && (*one)->has_live_card_payment);
    });
}

TEST_F(FraudStore, FR11_BadDataRowsReadDefensively) {
    t.allow_bad_rows();
    const auto id = t.add_order({.number = "A"});
    t.exec("PRAGMA foreign_keys = OFF");
    t.exec("UPDATE orders SET shipping_method_id = 77, grand_total_cents = 'lots' WHERE id = " + std::to_string(id));
    t.exec("PRAGMA foreign_keys = ON");
    on_store([&](domain::RunStore& s) {
        auto o = s.fraud_order(id);
        ASSERT_TRUE(o);
        ASSERT_TRUE(*o);
        EXPECT_EQ((*o)->shipping_method_id, 77);
        EXPECT_FALSE((*o)->shipping_method_name);  // unknown id
        EXPECT_FALSE((*o)->grand_total_cents);      // not an integer
    });
}

TEST_F(FraudStore, ReadOneByIdFindsAnyStatusAndMissesUnknownIds) {
    const auto id = t.add_order({.number = "H", .status = "On Hold"});
    on_store([&](domain::RunStore& s) {
        auto o = s.fraud_order(id);
        ASSERT_TRUE(o);
        ASSERT_TRUE(*o);
        EXPECT_EQ((*o)->number, "H");
        auto none = s.fraud_order(999);
        ASSERT_TRUE(none);
        EXPECT_FALSE(*none);
    });
}

}  // namespace
}  // namespace olmd::test
