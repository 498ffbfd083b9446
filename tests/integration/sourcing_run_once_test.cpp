// The real binary: `olmd run-once --jobs sourcing --now …` on a generated
// database writes allocations, shipments, PO-queue lines and statuses that
// agree with each other and with the run; `--dry-run` writes nothing;
// `olmd explain` tells where each unit would come from. As pg: tests the binary runs on
// the database's PostgreSQL twin (support/pg_mirror.hpp).
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include "support/pg_mirror.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace olmd::test {
namespace {

class SourcingRunOnce : public ::testing::Test {
protected:
    void SetUp() override {
        db = dir.file("olmd.db");
        config = dir.file("olmd.toml");
        auto g = run_process("/usr/bin/python3", {std::string(OLMD_SOURCE_DIR) + "/scripts/gen-orders", db,
                                                  "--orders", "1200", "--seed", "5", "--profile", "mixed",
                                                  "--status", "Ready to Source", "--zips", "--quiet"});
        ASSERT_EQ(g.exit_code, 0) << g.err;
        write_file(config, "[daemon]\ndatabase = \"" + db +
                               "\"\ntimezone = \"UTC\"\nbatch_size = 100\n\n"
                               "[sourcing]\nenabled = true\nstatuses = [\"Ready to Source\"]\n"
                               "fully_paid_channels = [\"POS\"]\nsource_cod = true\n"
                               "[sourcing.manual_review]\nship_states = [\"AK\", \"HI\"]\n\n"
                               "[fulfillment]\nrule = \"closest\"\nsplit = true\n\n"
                               "[fulfillment.channel.\"eBay\"]\nrule = \"highest_available\"\n"
                               "blacklisted_warehouses = [\"Dallas TX\"]\n");
    }
    std::int64_t scalar(const std::string& sql) {
        SQLite::Database d(db, SQLite::OPEN_READONLY);
        return d.execAndGet(sql).getInt64();
    }
    ProcessResult olmd(std::vector<std::string> args) {
        return run_olmd_on_test_backend(twin, dir, db, config, std::move(args));
    }
    TempDir dir;
    std::string db, config;
    std::unique_ptr<PgMirror> twin;  ///< the PostgreSQL twin of db (pg: tests)
};

TEST_F(SourcingRunOnce, SRC1_To_SRC15_RunOnceWritesConsistentRows) {
    const std::int64_t eligible = scalar(
        "SELECT count(*) FROM orders WHERE status_id = (SELECT id FROM order_statuses WHERE name = 'Ready to "
        "Source')");
    ASSERT_EQ(eligible, 1200);
    auto r = olmd({"run-once", "--jobs", "sourcing", "--now", "2026-11-22T12:00:00Z"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    const std::int64_t run = scalar("SELECT max(id) FROM automation_runs");
    EXPECT_EQ(scalar("SELECT count(*) FROM automation_runs WHERE outcome = 'succeeded'"), 1);
    EXPECT_EQ(scalar("SELECT json_extract(summary, '$.sourcing.selected') FROM automation_runs"), eligible);

    // every order left Ready to Source, with one history row naming the run
    EXPECT_EQ(scalar("SELECT count(*) FROM orders o JOIN order_statuses s ON s.id = o.status_id "
                     "WHERE s.name = 'Ready to Source'"),
              0);
    EXPECT_EQ(scalar("SELECT count(*) FROM order_status_history WHERE job = 'sourcing' AND run_id = " +
                     std::to_string(run)),
              eligible);
    EXPECT_EQ(
        scalar(
            "SELECT count(*) FROM orders o JOIN order_statuses s ON s.id = o.status_id WHERE s.name NOT IN "
            "('In Shipping', 'Awaiting Inventory', 'Awaiting Drop-ship Confirmation', "
            "'Requires Manual Sourcing', 'Inv. Automation Exceptions', 'Awaiting Payment', "
            "'Format Exception', 'No Shipping Method')"),
        0);
    EXPECT_GT(scalar("SELECT count(*) FROM orders o JOIN order_statuses s ON s.id = o.status_id "
                     "WHERE s.name = 'In Shipping'"),
              600);

    // In Shipping <=> a New shipment exists (partial shipping)
    EXPECT_EQ(scalar("SELECT count(*) FROM orders o JOIN order_statuses s ON s.id = o.status_id "
                     "WHERE s.name = 'In Shipping' AND NOT EXISTS (SELECT 1 FROM shipments h WHERE "
                     "h.order_id = o.id)"),
              0);
    EXPECT_EQ(
        scalar("SELECT count(*) FROM shipments h JOIN orders o ON o.id = h.order_id JOIN order_statuses s ON "
               "s.id = o.status_id WHERE s.name NOT IN ('In Shipping', 'Requires Manual Sourcing')"),
        0);
    // Awaiting Drop-ship: only drop-ship allocations
    EXPECT_EQ(scalar("SELECT count(*) FROM allocations a JOIN order_items i ON i.id = a.order_item_id JOIN "
                     "orders o ON "
                     "o.id = i.order_id JOIN order_statuses s ON s.id = o.status_id "
                     "WHERE s.name = 'Awaiting Drop-ship Confirmation' AND a.kind <> 'dropship'"),
              0);
    // orders sourced (in shipping / awaiting): every product unit has an allocation
    EXPECT_EQ(
        scalar(
            "SELECT count(*) FROM order_items i JOIN skus k ON k.id = i.sku_id JOIN orders o ON o.id = "
            "i.order_id JOIN order_statuses s ON s.id = o.status_id WHERE k.kind = 'product' AND s.name IN "
            "('In Shipping', 'Awaiting Inventory', 'Awaiting Drop-ship Confirmation') AND i.quantity <> "
            "(SELECT coalesce(sum(quantity), 0) FROM allocations a WHERE a.order_item_id = i.id)"),
        0);
    // orders stopped by a pre-check or bad data have nothing
    EXPECT_EQ(
        scalar("SELECT count(*) FROM allocations a JOIN order_items i ON i.id = a.order_item_id JOIN orders "
               "o ON "
               "o.id = i.order_id JOIN order_statuses s ON s.id = o.status_id WHERE s.name IN ('Awaiting "
               "Payment', 'Format Exception', 'No Shipping Method', 'Inv. Automation Exceptions')"),
        0);
    // eBay never ships from its blacklisted warehouse; nothing from the inactive one
    EXPECT_EQ(
        scalar(
            "SELECT count(*) FROM shipments h JOIN orders o ON o.id = h.order_id JOIN channels c ON c.id = "
            "o.channel_id JOIN warehouses w ON w.id = h.warehouse_id WHERE c.name = 'eBay' AND w.name = "
            "'Dallas TX'"),
        0);
    // PO-queue lines agree with the po_queue / dropship allocations, line by line
    EXPECT_EQ(
        scalar(
            "SELECT count(*) FROM allocations a WHERE a.kind IN ('po_queue', 'dropship') AND a.quantity <> "
            "(SELECT coalesce(sum(q.quantity), 0) FROM purchase_order_queue q WHERE q.order_item_id = "
            "a.order_item_id AND q.vendor_id = a.vendor_id)"),
        0);
    EXPECT_GT(scalar("SELECT count(*) FROM purchase_order_queue"), 50);
    EXPECT_EQ(
        scalar("SELECT count(*) FROM purchase_order_queue q JOIN order_items i ON i.id = q.order_item_id "
               "WHERE q.sku_id <> i.sku_id"),
        0);
    // SRC-15 and SRC-10
    for (const char* t : {"allocations", "shipments", "purchase_order_queue"})
        EXPECT_EQ(
            scalar(std::string("SELECT count(*) FROM ") + t + " WHERE run_id <> " + std::to_string(run)), 0)
            << t;
    EXPECT_EQ(scalar("SELECT count(*) FROM inventory WHERE allocated > on_hand OR allocated < 0"), 0);
    EXPECT_EQ(
        scalar(
            "WITH a AS (SELECT a.warehouse_id w, i.sku_id s, sum(a.quantity) q FROM allocations a JOIN "
            "order_items i ON i.id = a.order_item_id WHERE a.kind = 'assigned' GROUP BY 1, 2), r AS (SELECT "
            "r.warehouse_id w, i.sku_id s, sum(r.quantity) q FROM reservations r JOIN order_items i ON i.id "
            "= "
            "r.order_item_id GROUP BY 1, 2) SELECT count(*) FROM inventory v LEFT JOIN a ON a.w = "
            "v.warehouse_id AND a.s = v.sku_id LEFT JOIN r ON r.w = v.warehouse_id AND r.s = v.sku_id WHERE "
            "v.allocated <> coalesce(a.q, 0) + coalesce(r.q, 0)"),
        0);

    // a second run finds nothing new to do but SRC-14's jit receipts (jit units on the queue
    // assigned from stock now on hand)
    auto again = olmd({"run-once", "--jobs", "sourcing", "--now", "2026-11-22T12:30:00Z"});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(
        scalar("SELECT count(*) FROM allocations a JOIN order_items i ON i.id = a.order_item_id JOIN skus k "
               "ON k.id = i.sku_id WHERE a.run_id <> " +
               std::to_string(run) + " AND NOT (a.kind = 'assigned' AND k.fulfillment_method = 'jit')"),
        0);
}

TEST_F(SourcingRunOnce, SourcingDryRunAndExplainWriteNothing) {
    auto dry = olmd({"run-once", "--jobs", "sourcing", "--now", "2026-11-22T12:00:00Z", "--dry-run"});
    ASSERT_EQ(dry.exit_code, 0) << dry.err;
    EXPECT_NE(dry.out.find("would source order"), std::string::npos);
    EXPECT_EQ(scalar("SELECT count(*) FROM allocations"), 0);
    EXPECT_EQ(scalar("SELECT count(*) FROM automation_runs"), 0);
    EXPECT_EQ(scalar("SELECT sum(allocated) FROM inventory"),
              scalar("SELECT coalesce(sum(quantity), 0) FROM reservations"));

    SQLite::Database d(db, SQLite::OPEN_READONLY);
    const std::string number =
        d.execAndGet(
             "SELECT o.order_number FROM orders o WHERE o.ship_country = 'US' AND o.shipping_method_id IS "
             "NOT NULL AND "
             "o.channel_id = (SELECT id FROM channels WHERE name = 'Website') AND o.ship_zip GLOB "
             "'[0-9][0-9][0-9][0-9][0-9]' "
             "AND upper(trim(o.ship_state)) NOT IN ('AK', 'HI', 'ALASKA', 'HAWAII') AND "
             "EXISTS (SELECT 1 FROM order_items i JOIN skus k ON k.id = i.sku_id WHERE i.order_id = o.id AND "
             "k.kind = 'product' AND k.fulfillment_method = 'stock') ORDER BY o.id LIMIT 1")
            .getString();
    auto ex = olmd({"explain", number, "--now", "2026-11-22T12:00:00Z"});
    ASSERT_EQ(ex.exit_code, 0) << ex.err;
    EXPECT_NE(ex.out.find("sourcing:"), std::string::npos) << ex.out;
    EXPECT_NE(ex.out.find("SRC-1: selected"), std::string::npos) << ex.out;
    EXPECT_NE(ex.out.find("SRC-8"), std::string::npos) << ex.out;
    EXPECT_NE(ex.out.find(" km, available "), std::string::npos) << ex.out;
    EXPECT_EQ(scalar("SELECT count(*) FROM allocations"), 0);
}

}  // namespace
}  // namespace olmd::test
