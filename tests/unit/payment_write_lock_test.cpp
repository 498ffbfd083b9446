// CAP-4 at the store: the order and its payments that the payment engine reads again inside the
// write transaction journaling a request stay as read until that transaction commits. SQLite's batch
// holds the database's write lock; PostgreSQL's locks the order row FOR UPDATE (which the foreign-key
// check of a new payment conflicts with) and then its payments. Run on both backends (pg: prefix).
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "support/payment_sql.hpp"
#include "support/pg_mirror.hpp"
#include "support/test_db.hpp"

namespace olmd::test {
namespace {

class PaymentWriteLock : public ::testing::Test {
protected:
    /// The status writer and payments of one run on b (the same connection, as the engine has them).
    struct Ports {
        std::unique_ptr<domain::RunStore> run;
        std::unique_ptr<domain::StatusWriter> writer;
        std::unique_ptr<domain::PaymentRepository> payments;
    };

    static Ports ports(store::Backend& b) {
        Ports p;
        p.run = b.run_store();
        domain::WriterOptions o;
        o.job = JobKind::capture;
        o.now = kPayNow;
        auto w = p.run->status_writer(o);
        auto pay = p.run->payments();
        if (!w || !pay) throw std::runtime_error("the run store's ports cannot be opened");
        p.writer = std::move(*w);
        p.payments = std::move(*pay);
        return p;
    }

    std::string id(std::int64_t v) { return std::to_string(v); }

    TestDb t;
    std::unique_ptr<PgMirror> twin;
};

TEST_F(PaymentWriteLock, CAP4_BackOfficeWritesWaitForTheJournalingTransaction) {
    const auto o = t.add_order({.number = "A-1", .grand_total_cents = 10000});
    const auto p = insert_payment(t, o, {.amount = 10000, .ref = "sbx_auth_a"});
    const std::string gift = payment_insert_sql(
        o, {.method = "gift_certificate", .status = "settled", .amount = 4000, .token = "", .ref = ""});
    const std::string lower_total = "UPDATE orders SET grand_total_cents = 6000 WHERE id = " + id(o);
    const std::string shrink = "UPDATE payments SET amount_cents = 5000 WHERE id = " + id(p);
    with_backend(twin, t, [&](store::Backend& b) {
        Ports run = ports(b);
        BackOfficeSession back_office(twin, t, 200);
        ASSERT_TRUE(run.writer->begin_batch().ok());
        auto read = run.payments->load_order(o);
        ASSERT_TRUE(read.ok()) << read.error().message;
        ASSERT_TRUE(read->has_value());
        ASSERT_EQ((*read)->payments.size(), 1u);
        // What the engine decided on must hold until the journal row commits.
        EXPECT_FALSE(back_office.try_exec(gift)) << "a payment was added to an order olmd is journaling";
        EXPECT_FALSE(back_office.try_exec(lower_total)) << "the order total changed under the journal write";
        EXPECT_FALSE(back_office.try_exec(shrink)) << "a payment changed under the journal write";
        ASSERT_TRUE(run.writer->commit_batch().ok());
        // Once committed, the back office writes as before.
        EXPECT_TRUE(back_office.try_exec(gift));
        EXPECT_TRUE(back_office.try_exec(lower_total));
        EXPECT_TRUE(back_office.try_exec(shrink));
    });
    EXPECT_EQ(t.scalar("SELECT count(*) FROM payments WHERE order_id = " + id(o)), 2);
    EXPECT_EQ(t.scalar("SELECT grand_total_cents FROM orders WHERE id = " + id(o)), 6000);
}

TEST_F(PaymentWriteLock, CAP4_PaymentCommittedWhileOlmdWaitsForTheOrderIsRead) {
    // The back office adds a settled gift certificate in a transaction still open when olmd reads the
    // order again: olmd waits for it and then sees both payments, never the one read before.
    const auto o = t.add_order({.number = "A-1", .grand_total_cents = 10000});
    insert_payment(t, o, {.amount = 10000, .ref = "sbx_auth_a"});
    with_backend(twin, t, [&](store::Backend& b) {
        Ports run = ports(b);
        BackOfficeSession back_office(twin, t, 5000);
        back_office.begin();
        ASSERT_TRUE(back_office.try_exec(payment_insert_sql(
            o, {.method = "gift_certificate", .status = "settled", .amount = 4000, .token = "", .ref = ""})));
        auto reread = std::async(std::launch::async, [&]() -> std::size_t {
            if (!run.writer->begin_batch().ok()) return 0;
            auto read = run.payments->load_order(o);
            const std::size_t n = read.ok() && read->has_value() ? (*read)->payments.size() : 0;
            return run.writer->commit_batch().ok() ? n : 0;
        });
        if (test_backend_is_postgres()) {
            bool waited = false;
            for (int i = 0; i < 200 && !waited; ++i) {
                waited = back_office.olmd_waits_for_a_lock();
                if (!waited) std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
            EXPECT_TRUE(waited) << "olmd's read did not wait for the back office's open transaction";
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
        }
        EXPECT_EQ(reread.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout)
            << "olmd read the order while the back office was adding a payment to it";
        back_office.commit();
        EXPECT_EQ(reread.get(), 2u) << "the payment committed while olmd waited is part of what it decides on";
    });
}

TEST_F(PaymentWriteLock, PG3_DeadlockOnTheRereadIsRetried) {
    if (!test_backend_is_postgres())
        GTEST_SKIP() << "SQLite's batch takes the database's write lock when it begins: no lock cycle can form";
    // The back office holds the payment and then asks for the order olmd's read has locked: a cycle.
    // PostgreSQL aborts olmd's read (its deadlock check runs first: the back office's is set later),
    // which rolls back to its savepoint, freeing the order, and runs again once the back office commits.
    const auto o = t.add_order({.number = "A-1", .grand_total_cents = 10000});
    const auto p = insert_payment(t, o, {.amount = 10000, .ref = "sbx_auth_a"});
    with_backend(twin, t, [&](store::Backend& b) {
        Ports run = ports(b);
        BackOfficeSession back_office(twin, t, 15000);
        ASSERT_TRUE(back_office.try_exec("SET deadlock_timeout = '10s'"));
        back_office.begin();
        ASSERT_TRUE(back_office.try_exec("UPDATE payments SET amount_cents = 9000 WHERE id = " + id(p)));
        auto reread = std::async(std::launch::async, [&]() -> std::string {
            if (!run.writer->begin_batch().ok()) return "no batch";
            auto read = run.payments->load_order(o);
            std::string seen = !read.ok()             ? read.error().message
                               : !read->has_value()   ? "gone"
                                                      : std::to_string((*read)->grand_total_cents) + " " +
                                                          std::to_string((*read)->payments.at(0).amount_cents);
            if (!run.writer->commit_batch().ok()) return "no commit";
            return seen;
        });
        bool waited = false;
        for (int i = 0; i < 200 && !waited; ++i) {
            waited = back_office.olmd_waits_for_a_lock();
            if (!waited) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        ASSERT_TRUE(waited) << "olmd's read did not wait for the payment the back office holds";
        EXPECT_TRUE(back_office.try_exec("UPDATE orders SET grand_total_cents = 9000 WHERE id = " + id(o)))
            << "the back office got the order once olmd's read was rolled back";
        back_office.commit();
        EXPECT_EQ(reread.get(), "9000 9000") << "the read ran again and saw what the back office committed";
    });
}

}  // namespace
}  // namespace olmd::test
