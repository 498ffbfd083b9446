// SRC-10 under load: after randomized runs over generated databases
// (scripts/gen-orders), Σ assigned allocations + remaining reservations per SKU
// and warehouse equals inventory.allocated (= on_hand − available), never
// negative, never above on_hand; no line is allocated beyond its quantity.
// And a back-office writer changing inventory.on_hand on a second connection
// while a run goes on loses nothing.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <thread>

#include "olmd/config/config.hpp"
#include "olmd/jobs/sourcing/sourcing_job.hpp"
#include "olmd/store/catalog.hpp"
#include "olmd/store/database.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_services.hpp"

namespace olmd::test {
namespace {

/// Generates a database with scripts/gen-orders; false (and a test failure) when it fails.
bool generate(const std::string& db, int orders, int seed, const std::vector<std::string>& extra) {
    std::vector<std::string> args = {std::string(OLMD_SOURCE_DIR) + "/scripts/gen-orders",
                                     db,
                                     "--orders",
                                     std::to_string(orders),
                                     "--seed",
                                     std::to_string(seed),
                                     "--quiet"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = run_process("/usr/bin/python3", args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0;
}

std::int64_t scalar(SQLite::Database& d, const std::string& sql) {
    return d.execAndGet(sql).getInt64();
}

/// Checks the allocation invariant; every failure names the query that found it.
void expect_invariant(const std::string& path) {
    SQLite::Database d(path, SQLite::OPEN_READONLY);
    // inventory.allocated = Σ assigned allocations + Σ remaining reservations, per SKU and warehouse
    EXPECT_EQ(
        scalar(d,
               "WITH a AS (SELECT a.warehouse_id w, i.sku_id s, sum(a.quantity) q FROM allocations a "
               "JOIN order_items i ON i.id = a.order_item_id WHERE a.kind = 'assigned' GROUP BY 1, 2), "
               "r AS (SELECT r.warehouse_id w, i.sku_id s, sum(r.quantity) q FROM reservations r "
               "JOIN order_items i ON i.id = r.order_item_id GROUP BY 1, 2) "
               "SELECT count(*) FROM inventory v LEFT JOIN a ON a.w = v.warehouse_id AND a.s = v.sku_id "
               "LEFT JOIN r ON r.w = v.warehouse_id AND r.s = v.sku_id "
               "WHERE v.allocated <> coalesce(a.q, 0) + coalesce(r.q, 0)"),
        0);
    // assigned units only where there is an inventory row
    EXPECT_EQ(scalar(d,
                     "SELECT count(*) FROM allocations a JOIN order_items i ON i.id = a.order_item_id "
                     "WHERE a.kind = 'assigned' AND NOT EXISTS (SELECT 1 FROM inventory v "
                     "WHERE v.warehouse_id = a.warehouse_id AND v.sku_id = i.sku_id)"),
              0);
    EXPECT_EQ(scalar(d, "SELECT count(*) FROM inventory WHERE allocated < 0 OR allocated > on_hand"), 0);
    // no line allocated beyond its quantity; kit, gift-certificate and club lines never allocated
    EXPECT_EQ(scalar(d,
                     "SELECT count(*) FROM (SELECT i.id, i.quantity, sum(a.quantity) s FROM order_items i "
                     "JOIN allocations a ON a.order_item_id = i.id GROUP BY i.id HAVING s > i.quantity)"),
              0);
    EXPECT_EQ(scalar(d,
                     "SELECT count(*) FROM allocations a JOIN order_items i ON i.id = a.order_item_id "
                     "JOIN skus s ON s.id = i.sku_id WHERE s.kind <> 'product'"),
              0);
    // shipment items = assigned allocations, per line; one New shipment per order and warehouse
    EXPECT_EQ(scalar(d,
                     "SELECT count(*) FROM (SELECT a.order_item_id, a.shipment_id, sum(a.quantity) q FROM "
                     "allocations a "
                     "WHERE a.kind = 'assigned' GROUP BY 1, 2) x LEFT JOIN shipment_items si "
                     "ON si.shipment_id = x.shipment_id AND si.order_item_id = x.order_item_id "
                     "WHERE si.quantity IS NOT x.q"),
              0);
    // SRC-11: a shipment only holds units of the run that created it (never added to later)
    EXPECT_EQ(scalar(d,
                     "SELECT count(*) FROM allocations a JOIN shipments s ON s.id = a.shipment_id "
                     "WHERE a.kind = 'assigned' AND a.run_id <> s.run_id"),
              0);
    // PO-queue lines and po_queue/dropship allocations agree
    EXPECT_EQ(
        scalar(d, "SELECT coalesce(sum(quantity), 0) FROM purchase_order_queue"),
        scalar(d,
               "SELECT coalesce(sum(quantity), 0) FROM allocations WHERE kind IN ('po_queue', 'dropship')"));
}

struct Variant {
    config::FulfillmentRule rule;
    bool split, kits_single, kits_complete, auto_backorder, stock_first;
    config::PartialShipping partial;
    int batch;
};

class SourcingInvariant : public ::testing::Test {
protected:
    /// Runs the sourcing job once over path with cfg; returns its stats.
    jobs::JobStats run_job(const std::string& path, const config::Config& cfg, RunId run,
                           const std::string& now, const std::atomic<bool>* stop = nullptr) {
        auto db = store::Database::open(path, store::OpenOptions{});
        EXPECT_TRUE(db.ok());
        auto catalog = store::load_catalog(**db);
        EXPECT_TRUE(catalog.ok());
        auto ins = (*db)->exec(
            "INSERT INTO automation_runs (id, fire_at, started_at, jobs, outcome, \"trigger\", host) VALUES "
            "(" +
            std::to_string(run) + ", '" + now + "', '" + now + "', 'sourcing', 'running', 'manual', 'test')");
        EXPECT_TRUE(ins.ok());
        ::olmd::test::TestServices services(**db, cfg);
        jobs::JobContext ctx{cfg, services.get(), *catalog, run, *parse_utc(now), false, nullptr, nullptr, stop};
        jobs::JobStats stats;
        jobs::sourcing::SourcingJob job;
        job.run(ctx, stats);
        EXPECT_EQ(stats.failure, "");
        return stats;
    }
    TempDir dir;
};

TEST_F(SourcingInvariant, SRC10_AllocationInvariantAfterRandomizedRuns) {
    std::mt19937 rng(20261122);
    const Variant variants[] = {
        {config::FulfillmentRule::manual_priority, false, false, false, true, false,
         config::PartialShipping::partial, 500},
        {config::FulfillmentRule::closest, true, true, true, true, true, config::PartialShipping::none, 37},
        {config::FulfillmentRule::highest_available, true, false, true, false, true,
         config::PartialShipping::partial, 7},
        {config::FulfillmentRule::closest, false, true, false, true, false, config::PartialShipping::none,
         100},
    };
    int seed = 0;
    for (const Variant& v : variants) {
        ++seed;
        const std::string path = dir.file("inv" + std::to_string(seed) + ".db");
        // the mixed profile has shortfalls, kits, gift certificates, foreign and malformed addresses
        ASSERT_TRUE(generate(path, 1500, seed,
                             {"--profile", "mixed", "--status", "Ready to Source", "--status",
                              "Awaiting Inventory", "--zips", "--inactive-warehouse"}));
        config::Config cfg;
        cfg.sourcing.enabled = true;
        cfg.sourcing.statuses = {"Ready to Source"};
        cfg.fulfillment.rule = v.rule;
        cfg.fulfillment.split = v.split;
        cfg.fulfillment.kits_single_warehouse = v.kits_single;
        cfg.fulfillment.ship_kits_complete = v.kits_complete;
        cfg.sourcing.stock.auto_backorder = v.auto_backorder;
        cfg.sourcing.jit.stock_first = v.stock_first;
        cfg.sourcing.dropship.stock_first = v.stock_first;
        cfg.sourcing.partial_shipping = v.partial;
        cfg.daemon.batch_size = v.batch;
        cfg.fulfillment.channel["eBay"].blacklisted_warehouses = {"Edison NJ"};
        cfg.fulfillment.channel["POS"].split = !v.split;
        auto st = run_job(path, cfg, 1, "2026-11-22T12:00:00Z");
        EXPECT_GT(st.selected, 500);
        EXPECT_GT(st.changed, 500);
        expect_invariant(path);

        // stock arrives at random; the next runs fill backorders (SRC-14) and keep the invariant
        {
            SQLite::Database d(path, SQLite::OPEN_READWRITE);
            SQLite::Statement q(d, "SELECT warehouse_id, sku_id FROM inventory ORDER BY 1, 2");
            std::vector<std::pair<std::int64_t, std::int64_t>> rows;
            while (q.executeStep()) rows.emplace_back(q.getColumn(0).getInt64(), q.getColumn(1).getInt64());
            SQLite::Transaction t(d);
            for (const auto& [w, s] : rows)
                if (rng() % 3 == 0)
                    d.exec("UPDATE inventory SET on_hand = on_hand + " + std::to_string(rng() % 20) +
                           " WHERE warehouse_id = " + std::to_string(w) +
                           " AND sku_id = " + std::to_string(s));
            t.commit();
        }
        const std::int64_t backordered_before = [&] {
            SQLite::Database d(path, SQLite::OPEN_READONLY);
            return scalar(d, "SELECT coalesce(sum(quantity), 0) FROM allocations WHERE kind = 'backordered'");
        }();
        cfg.sourcing.statuses = {"Ready to Source", "Requires Manual Sourcing"};
        run_job(path, cfg, 2, "2026-11-22T12:30:00Z");
        expect_invariant(path);
        SQLite::Database d(path, SQLite::OPEN_READONLY);
        if (v.auto_backorder && backordered_before > 0) {
            EXPECT_LT(
                scalar(d, "SELECT coalesce(sum(quantity), 0) FROM allocations WHERE kind = 'backordered'"),
                backordered_before)
                << "variant " << seed;
        }
        // every row names a run of this test
        EXPECT_EQ(scalar(d, "SELECT count(*) FROM allocations WHERE run_id NOT IN (1, 2)"), 0);
    }
}

TEST_F(SourcingInvariant, SRC10_BackOfficeInventoryWriterLosesNothing) {
    const std::string path = dir.file("writer.db");
    ASSERT_TRUE(generate(path, 3000, 7, {"--profile", "sourcing"}));
    std::int64_t on_hand_before = 0;
    {
        SQLite::Database d(path, SQLite::OPEN_READONLY);
        on_hand_before = scalar(d, "SELECT sum(on_hand) FROM inventory");
    }
    config::Config cfg;
    cfg.sourcing.enabled = true;
    cfg.daemon.batch_size = 25;
    cfg.fulfillment.split = true;

    std::atomic<bool> done{false};
    std::atomic<std::int64_t> added{0};
    std::atomic<int> writes{0};
    std::thread back_office([&] {
        SQLite::Database d(path, SQLite::OPEN_READWRITE);
        d.exec("PRAGMA busy_timeout = 10000");
        std::mt19937 rng(99);
        SQLite::Statement ids(d, "SELECT warehouse_id, sku_id FROM inventory ORDER BY 1, 2");
        std::vector<std::pair<std::int64_t, std::int64_t>> rows;
        while (ids.executeStep()) rows.emplace_back(ids.getColumn(0).getInt64(), ids.getColumn(1).getInt64());
        ids.reset();
        while (!done.load()) {
            const auto& [w, s] = rows[rng() % rows.size()];
            const int n = static_cast<int>(rng() % 5) + 1;
            // receiving: on_hand grows; the job's allocated updates are relative, nothing is overwritten
            d.exec("BEGIN IMMEDIATE");
            d.exec("UPDATE inventory SET on_hand = on_hand + " + std::to_string(n) +
                   " WHERE warehouse_id = " + std::to_string(w) + " AND sku_id = " + std::to_string(s));
            d.exec("COMMIT");
            added += n;
            ++writes;
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
    });
    auto st = run_job(path, cfg, 1, "2026-11-22T12:00:00Z");
    done = true;
    back_office.join();
    EXPECT_EQ(st.selected, 3000);
    // SQLite's busy handler lets the job re-take the lock between batches, so the
    // writer gets only a few commits in while the run goes on; one proves interleaving.
    EXPECT_GE(writes.load(), 1);
    SQLite::Database d(path, SQLite::OPEN_READONLY);
    EXPECT_EQ(scalar(d, "SELECT sum(on_hand) FROM inventory"), on_hand_before + added.load());
    expect_invariant(path);
}

TEST_F(SourcingInvariant, SourcingStopsBetweenOrdersWhenAskedAndLeavesNothingHalfDone) {
    const std::string path = dir.file("stop.db");
    ASSERT_TRUE(generate(path, 400, 3, {"--profile", "sourcing"}));
    config::Config cfg;
    cfg.sourcing.enabled = true;
    cfg.daemon.batch_size = 50;
    std::atomic<bool> stop{true};
    auto st = run_job(path, cfg, 1, "2026-11-22T12:00:00Z", &stop);
    EXPECT_EQ(st.selected, 0);
    SQLite::Database d(path, SQLite::OPEN_READONLY);
    EXPECT_EQ(scalar(d, "SELECT count(*) FROM allocations"), 0);
    expect_invariant(path);
}

}  // namespace
}  // namespace olmd::test
