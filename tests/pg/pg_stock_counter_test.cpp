// SRC-9/SRC-10 on PostgreSQL: a sourcing run keeps the stock it read from one batch to the next only
// while no one else has written inventory, vendor_stock or purchase_order_queue since
// (PgSourcing::others_commit_counter, migration 0002). The count must move for every write of another
// connection, committed or rolled back, and not for the batch's own; the batch locks the three tables
// against other writers until it ends, so no write can slip in between the count and the batch's reads.
#include <gtest/gtest.h>

#include <memory>
#include <pqxx/pqxx>
#include <string>

#include "olmd/store/pg_database.hpp"
#include "olmd/store/pg_migrations.hpp"
#include "olmd/store/sourcing_repository.hpp"
#include "pg/pg_test_server.hpp"
#include "store/postgres/pg_impl.hpp"
#include "store/postgres/pg_ports.hpp"
#include "support/temp_dir.hpp"

namespace olmd::test {
namespace {

class PgStockCounter : public ::testing::Test {
protected:
    void SetUp() override {
        store::PgOpenOptions o;
        o.password_file = write_password_file(dir, "pgpass", pg_server().password);
        auto opened = store::PgDatabase::open(db.uri(), o);
        ASSERT_TRUE(opened.ok()) << opened.error().message;
        pg = std::move(*opened);
        ASSERT_TRUE(store::migrate_pg(*pg).ok());
        db.exec(
            "INSERT INTO warehouses (id, name, priority, active) VALUES (1, 'East', 0, TRUE); "
            "INSERT INTO vendors (id, name, active) VALUES (1, 'Acme', TRUE); "
            "INSERT INTO skus (id, code, kind, fulfillment_method) VALUES (1, 'P1', 'product', 'stock'); "
            "INSERT INTO inventory (warehouse_id, sku_id, on_hand, allocated) VALUES (1, 1, 10, 0); "
            "INSERT INTO vendor_stock (vendor_id, sku_id, quantity) VALUES (1, 1, 5)");
        repo = store::make_pg_sourcing(*pg);
    }

    /// Opens a batch as the status writer does (the connection's batch transaction).
    void begin() { pg->impl().batch = std::make_unique<pqxx::work>(pg->impl().conn); }
    void commit() {
        pg->impl().batch->commit();
        pg->impl().batch.reset();
    }
    /// The counter read inside a new batch, which stays open.
    std::int64_t counter_in_new_batch() {
        begin();
        auto c = repo->others_commit_counter();
        EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message);
        EXPECT_TRUE(c.ok() && c->has_value());
        return c.ok() && c->has_value() ? **c : -1;
    }

    TempDir dir;
    PgTestDatabase db;
    std::unique_ptr<store::PgDatabase> pg;
    std::unique_ptr<domain::SourcingRepository> repo;
};

TEST_F(PgStockCounter, SRC9_CounterMovesForOthersWritesAndNotForTheBatchsOwn) {
    auto outside = repo->others_commit_counter();
    ASSERT_TRUE(outside.ok());
    EXPECT_FALSE(outside->has_value()) << "outside a batch the store cannot tell";

    const std::int64_t first = counter_in_new_batch();
    pg->impl().batch->exec("UPDATE inventory SET allocated = allocated + 2 WHERE sku_id = 1");
    pg->impl().batch->exec("UPDATE vendor_stock SET quantity = quantity - 1 WHERE sku_id = 1");
    commit();
    const std::int64_t after_own = counter_in_new_batch();
    commit();
    EXPECT_EQ(after_own, first) << "the batch's own stock writes are not others'";

    db.exec("UPDATE inventory SET on_hand = on_hand + 5 WHERE sku_id = 1");  // a receipt at the dock
    const std::int64_t after_receipt = counter_in_new_batch();
    commit();
    EXPECT_NE(after_receipt, after_own);

    db.exec("UPDATE vendor_stock SET quantity = 3 WHERE sku_id = 1");  // the vendor's feed
    const std::int64_t after_feed = counter_in_new_batch();
    commit();
    EXPECT_NE(after_feed, after_receipt);

    {  // a write rolled back counts too: the counter never misses one that committed
        pqxx::connection c = db.connect();
        pqxx::work w(c);
        w.exec("DELETE FROM vendor_stock WHERE sku_id = 1");
        w.abort();
    }
    const std::int64_t after_rollback = counter_in_new_batch();
    commit();
    EXPECT_NE(after_rollback, after_feed);
    EXPECT_EQ(db.value("SELECT count(*) FROM vendor_stock"), "1");

    const std::int64_t quiet = counter_in_new_batch();
    commit();
    EXPECT_EQ(quiet, after_rollback) << "no one wrote: the stock held is still the database's";
}

TEST_F(PgStockCounter, SRC9_BackOfficeRoleWithoutRightsOnTheCounterStillWritesStock) {
    // The POS's role may write inventory and nothing of olmd's: the trigger runs with olmd's rights.
    const std::string role = unique_pg_name("olmd_pos");
    db.exec("CREATE ROLE " + role +
            " LOGIN PASSWORD 'pos-Secret-1234'; GRANT SELECT, UPDATE ON inventory TO " + role);
    const PgServer& s = pg_server();
    const std::int64_t before = counter_in_new_batch();
    commit();
    {
        pqxx::connection pos("host=" + s.host + " port=" + s.port + " dbname=" + db.name() + " user=" + role +
                             " password=pos-Secret-1234");
        pqxx::work w(pos);
        EXPECT_EQ(w.exec("UPDATE inventory SET on_hand = on_hand - 1 WHERE sku_id = 1").affected_rows(), 1u);
        w.commit();
    }
    EXPECT_NE(counter_in_new_batch(), before);
    commit();
    db.exec("DROP OWNED BY " + role + "; DROP ROLE " + role);
}

TEST_F(PgStockCounter, SRC10_BatchLocksTheStockTablesAgainstOtherWritersUntilItEnds) {
    (void)counter_in_new_batch();
    pqxx::connection other = db.connect();
    {
        pqxx::work w(other);
        w.exec("SET LOCAL lock_timeout = '200ms'");
        EXPECT_THROW(w.exec("UPDATE inventory SET on_hand = on_hand + 1 WHERE sku_id = 1"), pqxx::sql_error);
    }
    {
        pqxx::work w(other);
        w.exec("SET LOCAL lock_timeout = '200ms'");
        EXPECT_EQ(w.exec("SELECT on_hand FROM inventory WHERE sku_id = 1")[0][0].as<int>(), 10)
            << "readers are not held up";
    }
    commit();
    pqxx::work w(other);
    w.exec("SET LOCAL lock_timeout = '2s'");
    EXPECT_EQ(w.exec("UPDATE inventory SET on_hand = on_hand + 1 WHERE sku_id = 1").affected_rows(), 1u);
    w.commit();
}

}  // namespace
}  // namespace olmd::test
