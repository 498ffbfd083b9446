// PG-3 and the status transition of rules.md on PostgreSQL: the optimistic update leaves an order the
// back office moved; a batch rolled back keeps nothing; a per-order savepoint drops one order only; and
// a deadlock with a back-office transaction is retried, then counted as concurrent, never failing the
// batch nor losing the orders that did not collide.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <thread>

#include "olmd/store/backend.hpp"
#include "olmd/store/pg_database.hpp"
#include "olmd/store/pg_migrations.hpp"
#include "pg/pg_test_server.hpp"
#include "olmd/domain/sourcing_repository.hpp"
#include "store/postgres/pg_ports.hpp"

namespace olmd::test {
namespace {

using domain::Transition;
using domain::TransitionOutcome;

class PgStatusWriter : public ::testing::Test {
protected:
    void SetUp() override {
        store::PgOpenOptions o;
        o.password_file = write_password_file(dir, "pw", pg_server().password);
        o.busy_timeout_ms = 20000;
        auto pg = store::PgDatabase::open(db.uri(), o);
        ASSERT_TRUE(pg.ok()) << pg.error().message;
        conn = std::move(*pg);
        ASSERT_TRUE(store::migrate_pg(*conn).ok());
        ready = id_of("order_statuses", "Ready to Process");
        source = id_of("order_statuses", "Ready to Source");
        hold = id_of("order_statuses", "Non Compliant");
        db.exec("INSERT INTO automation_runs (id, fire_at, started_at, jobs, outcome, \"trigger\", host) VALUES "
                "(7, now(), now(), 'fraud', 'running', 'manual', 'test')");
        for (int i = 1; i <= 4; ++i)
            db.exec("INSERT INTO orders (id, order_number, channel_id, status_id, created_at, grand_total_cents, "
                    "updated_at) VALUES (" + std::to_string(i) + ", 'N" + std::to_string(i) +
                    "', (SELECT min(id) FROM channels), " + std::to_string(ready) +
                    ", now(), 100, '2026-01-01T00:00:00Z')");
    }

    StatusId id_of(const std::string& table, const std::string& name) {
        return std::stoll(db.value("SELECT id FROM " + table + " WHERE name = '" + name + "'"));
    }

    std::unique_ptr<domain::StatusWriter> writer() {
        domain::WriterOptions o;
        o.job = JobKind::fraud;
        o.run = 7;
        o.now = parse_utc("2026-11-22T12:00:00Z").value();
        return store::make_pg_status_writer(*conn, o);
    }

    Transition move(OrderId id, StatusId to) { return Transition{id, ready, to, "fraud_passed", "N" + std::to_string(id)}; }
    std::string status(OrderId id) { return db.value("SELECT status_id FROM orders WHERE id = " + std::to_string(id)); }
    std::string history() {
        return db.value("SELECT coalesce(string_agg(order_id || ':' || from_status_id || '>' || to_status_id || ':' || "
                        "reason || ':' || run_id || ':' || to_char(changed_at, 'YYYY-MM-DD HH24:MI'), ' ' ORDER BY id), "
                        "'') FROM order_status_history");
    }

    /// Waits (up to 4 s) until a session of this database matching `who` (SQL on pg_stat_activity) waits
    /// for a lock.
    void wait_for_lock_wait(const std::string& who) {
        for (int i = 0; i < 200; ++i) {
            pqxx::connection probe(pg_server().conninfo(db.name()));
            pqxx::work p(probe);
            if (p.exec("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND " + who +
                       " AND datname = current_database()")
                    .size() > 0)
                return;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }

    TempDir dir;
    PgTestDatabase db;
    std::unique_ptr<store::PgDatabase> conn;
    StatusId ready = 0, source = 0, hold = 0;
};

TEST_F(PgStatusWriter, PG1_TransitionWritesStatusAndHistoryRow) {
    auto w = writer();
    ASSERT_TRUE(w->begin_batch().ok());
    auto r = w->apply_all({move(1, source), move(2, hold), Transition{3, ready, ready, "same", "N3"}});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ((*r)[0], TransitionOutcome::changed);
    EXPECT_EQ((*r)[1], TransitionOutcome::changed);
    EXPECT_EQ((*r)[2], TransitionOutcome::unchanged);
    ASSERT_TRUE(w->commit_batch().ok());
    EXPECT_EQ(status(1), std::to_string(source));
    EXPECT_EQ(status(2), std::to_string(hold));
    EXPECT_EQ(status(3), std::to_string(ready));
    const std::string r1 = std::to_string(ready);
    EXPECT_EQ(history(), "1:" + r1 + ">" + std::to_string(source) + ":fraud_passed:7:2026-11-22 12:00 2:" + r1 + ">" +
                             std::to_string(hold) + ":fraud_passed:7:2026-11-22 12:00");
    EXPECT_EQ(db.value("SELECT to_char(updated_at, 'YYYY-MM-DD HH24:MI') FROM orders WHERE id = 1"), "2026-11-22 12:00");
}

TEST_F(PgStatusWriter, PG3_OrderMovedByTheBackOfficeIsLeftAlone) {
    db.exec("UPDATE orders SET status_id = " + std::to_string(hold) + " WHERE id = 2");
    auto w = writer();
    ASSERT_TRUE(w->begin_batch().ok());
    auto r = w->apply_all({move(1, source), move(2, source)});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ((*r)[0], TransitionOutcome::changed);
    EXPECT_EQ((*r)[1], TransitionOutcome::concurrent);
    auto one = w->apply(move(3, source));
    ASSERT_TRUE(w->commit_batch().ok());
    EXPECT_EQ(*one, TransitionOutcome::changed);
    EXPECT_EQ(status(2), std::to_string(hold));
    EXPECT_EQ(db.value("SELECT count(*) FROM order_status_history WHERE order_id = 2"), "0");
}

TEST_F(PgStatusWriter, PG1_RolledBackBatchAndDroppedOrderKeepNothing) {
    {
        auto w = writer();
        ASSERT_TRUE(w->begin_batch().ok());
        ASSERT_TRUE(w->apply_all({move(1, source)}).ok());
        w->rollback_batch();
    }
    EXPECT_EQ(status(1), std::to_string(ready));
    EXPECT_EQ(history(), "");
    auto w = writer();
    ASSERT_TRUE(w->begin_batch().ok());
    ASSERT_TRUE(w->begin_order().ok());
    ASSERT_TRUE(w->apply(move(1, source)).ok());
    ASSERT_TRUE(w->end_order(false).ok());
    ASSERT_TRUE(w->begin_order().ok());
    ASSERT_TRUE(w->apply(move(2, source)).ok());
    ASSERT_TRUE(w->end_order(true).ok());
    ASSERT_TRUE(w->commit_batch().ok());
    EXPECT_EQ(status(1), std::to_string(ready));
    EXPECT_EQ(status(2), std::to_string(source));
    // A writer destroyed with its batch open rolls it back.
    {
        auto w2 = writer();
        ASSERT_TRUE(w2->begin_batch().ok());
        ASSERT_TRUE(w2->apply(move(3, source)).ok());
    }
    EXPECT_EQ(status(3), std::to_string(ready));
}

// The back office locks order 4, then order 1, while olmd's batch moves 1..4: a lock cycle. PostgreSQL
// aborts one side with 40P01. Whichever it is, the outcome must be consistent: olmd's batch commits without
// an error; orders the back office changed are concurrent (left as the back office wrote them), the
// others move, and every moved order has exactly one history row.
TEST_F(PgStatusWriter, PG3_DeadlockWithTheBackOfficeIsRetriedNeverFailsTheBatch) {
    db.exec("ALTER DATABASE " + db.name() + " SET deadlock_timeout = '50ms'");
    store::PgOpenOptions o;
    o.password_file = write_password_file(dir, "pw2", pg_server().password);
    o.busy_timeout_ms = 20000;
    conn = store::PgDatabase::open(db.uri(), o).value();  // picks the deadlock_timeout up
    pqxx::connection office(pg_server().conninfo(db.name()));
    pqxx::work tx(office);
    tx.exec("SET deadlock_timeout = '10s'");  // olmd's side detects the cycle and is the one aborted
    tx.exec("UPDATE orders SET status_id = " + std::to_string(hold) + " WHERE id = 4");

    auto w = writer();
    ASSERT_TRUE(w->begin_batch().ok());
    auto job = std::async(std::launch::async, [&] { return w->apply_all({move(1, source), move(2, source),
                                                                          move(3, source), move(4, source)}); });
    // Wait until olmd's update waits for order 4's lock, then close the cycle through order 1.
    wait_for_lock_wait("application_name = 'olmd'");
    std::string office_error;
    try {
        tx.exec("UPDATE orders SET status_id = " + std::to_string(hold) + " WHERE id = 1");
        tx.commit();
    } catch (const std::exception& e) {
        office_error = e.what();
    }
    auto r = job.get();
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_TRUE(w->commit_batch().ok());
    if (office_error.empty()) {
        // olmd was the victim: its retry found 1 and 4 moved by the back office.
        EXPECT_EQ((*r)[0], TransitionOutcome::concurrent);
        EXPECT_EQ((*r)[3], TransitionOutcome::concurrent);
        EXPECT_EQ(status(1), std::to_string(hold));
        EXPECT_EQ(status(4), std::to_string(hold));
    } else {
        // The back office was the victim (its transaction is gone): olmd moved all four.
        EXPECT_NE(office_error.find("deadlock"), std::string::npos) << office_error;
        EXPECT_EQ((*r)[0], TransitionOutcome::changed);
        EXPECT_EQ(status(4), std::to_string(source));
    }
    EXPECT_EQ((*r)[1], TransitionOutcome::changed);
    EXPECT_EQ((*r)[2], TransitionOutcome::changed);
    EXPECT_EQ(status(2), std::to_string(source));
    EXPECT_EQ(db.value("SELECT count(*) FROM order_status_history"),
              std::to_string(std::count((*r).begin(), (*r).end(), TransitionOutcome::changed)));
    EXPECT_EQ(db.value("SELECT count(*) FROM (SELECT order_id FROM order_status_history GROUP BY order_id "
                       "HAVING count(*) > 1) d"),
              "0");
}

TEST_F(PgStatusWriter, PG3_BackOfficeHoldingAnOrderThenWritingStockDuringASourcingBatchIsTheDeadlockVictim) {
    // A sourcing batch holds the stock tables (PgStockCounter) while it moves its orders. A back-office
    // transaction that holds order 1's row and then writes stock waits for the batch; the batch then
    // waits for order 1: a cycle. With PostgreSQL's defaults the back office waited first, so its
    // deadlock_timeout ends first and PostgreSQL aborts it (40P01, for its client to retry); the batch
    // goes on and moves every order.
    db.exec(
        "INSERT INTO warehouses (id, name, priority, active) VALUES (1, 'East', 0, TRUE); "
        "INSERT INTO skus (id, code, kind, fulfillment_method) VALUES (1, 'P1', 'product', 'stock'); "
        "INSERT INTO inventory (warehouse_id, sku_id, on_hand, allocated) VALUES (1, 1, 10, 0)");
    auto sourcing = store::make_pg_sourcing(*conn);
    auto w = writer();
    ASSERT_TRUE(w->begin_batch().ok());
    auto counter = sourcing->others_commit_counter();  // takes the stock lock
    ASSERT_TRUE(counter.ok() && counter->has_value());

    pqxx::connection office(pg_server().conninfo(db.name()));
    pqxx::work tx(office);
    tx.exec("UPDATE orders SET status_id = " + std::to_string(hold) + " WHERE id = 1");
    auto office_write = std::async(std::launch::async, [&]() -> std::string {
        try {
            tx.exec("UPDATE inventory SET on_hand = on_hand + 1 WHERE sku_id = 1");
            tx.commit();
            return "";
        } catch (const std::exception& e) {
            return e.what();
        }
    });
    wait_for_lock_wait("query LIKE 'UPDATE inventory%'");  // the back office waits for the stock lock
    auto r = w->apply_all({move(1, source), move(2, source)});
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_TRUE(w->commit_batch().ok());
    const std::string office_error = office_write.get();
    EXPECT_NE(office_error.find("deadlock"), std::string::npos) << "back office: '" << office_error << "'";
    EXPECT_EQ((*r)[0], TransitionOutcome::changed);
    EXPECT_EQ((*r)[1], TransitionOutcome::changed);
    EXPECT_EQ(status(1), std::to_string(source));
    EXPECT_EQ(db.value("SELECT on_hand FROM inventory WHERE sku_id = 1"), "10")
        << "the aborted write left nothing";
}

}  // namespace
}  // namespace olmd::test
