// OPS-13 `olmd audit`: every invariant of cli.md / rules.md found when planted,
// one line per violation naming the rows, exit 1; a clean database exits 0;
// the database file is not changed. As pg: tests the planted violations are found on
// the database's PostgreSQL twin (support/pg_mirror.hpp), the audit's own SQL dialect.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/pg_mirror.hpp"
#include "support/process.hpp"
#include "support/test_db.hpp"

namespace olmd::test {
namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

class AuditCommand : public ::testing::Test {
protected:
    AuditCommand() {
        config = t.dir().file("olmd.toml");
        write_file(config, "[daemon]\ndatabase = \"" + t.path() +
                               "\"\ntimezone = \"UTC\"\n"
                               "[fulfillment]\nship_kits_complete = true\n");
        t.exec("INSERT INTO warehouses (name) VALUES ('East')");
        t.exec("INSERT INTO vendors (name, active) VALUES ('Gone', 0), ('Small', 1)");
        t.exec("INSERT INTO skus (code) VALUES ('P')");
        t.exec("INSERT INTO skus (code, kind) VALUES ('KIT', 'kit')");
        t.exec("INSERT INTO skus (code, fulfillment_method) VALUES ('J', 'jit')");
        t.exec(
            "INSERT INTO inventory (warehouse_id, sku_id, on_hand, allocated) VALUES (1, 1, 10, 0), (1, 3, "
            "5, 0)");
        t.exec("INSERT INTO vendor_stock (vendor_id, sku_id, quantity) VALUES (2, 3, 1)");
        run_id = t.scalar("SELECT 1");
        t.exec(
            "INSERT INTO automation_runs (fire_at, started_at, finished_at, jobs, outcome, \"trigger\", "
            "host) "
            "VALUES ('2026-11-20T00:00:00Z', '2026-11-20T00:00:00Z', '2026-11-20T00:01:00Z', 'sourcing', "
            "'succeeded', 'manual', 'test')");
    }
    std::int64_t line(std::int64_t order, std::int64_t sku, int qty, const std::string& parent = "NULL") {
        t.exec(
            "INSERT INTO order_items (order_id, sku_id, quantity, unit_price_cents, parent_item_id) VALUES "
            "(" +
            std::to_string(order) + ", " + std::to_string(sku) + ", " + std::to_string(qty) + ", 100, " +
            parent + ")");
        return t.db().raw().getLastInsertRowid();
    }
    ProcessResult audit() { return run_olmd_on_test_backend(twin, t.dir(), t.path(), config, {"audit"}); }
    TestDb t;
    std::unique_ptr<PgMirror> twin;  ///< the PostgreSQL twin of t (pg: tests)
    std::string config;
    std::int64_t run_id = 1;
};

TEST_F(AuditCommand, OPS13_CleanDatabaseExitsZeroAndWritesNothing) {
    const auto o = t.add_order({.number = "A-1"});
    const auto l = line(o, 1, 2);
    t.exec("INSERT INTO shipments (order_id, warehouse_id, status, run_id, created_at) VALUES (" +
           std::to_string(o) + ", 1, 'New', 1, '2026-11-20T00:00:00Z')");
    t.exec(
        "INSERT INTO allocations (order_item_id, kind, quantity, warehouse_id, shipment_id, run_id, "
        "created_at) "
        "VALUES (" +
        std::to_string(l) + ", 'assigned', 2, 1, 1, 1, '2026-11-20T00:00:00Z')");
    t.exec("INSERT INTO shipment_items (shipment_id, order_item_id, quantity) VALUES (1, " +
           std::to_string(l) + ", 2)");
    t.exec("UPDATE inventory SET allocated = 2 WHERE sku_id = 1");
    t.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    const std::string before = slurp(t.path());
    const auto r = audit();
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("no violation"), std::string::npos) << r.out;
    EXPECT_EQ(slurp(t.path()), before) << "audit writes nothing";
}

TEST_F(AuditCommand, OPS13_EveryPlantedViolationIsOneLineNamingItsRows) {
    t.allow_bad_rows();
    // inventory.allocated that nothing explains
    t.exec("UPDATE inventory SET allocated = 3 WHERE sku_id = 1");
    // a line with more allocated units than its quantity
    const auto o = t.add_order({.number = "A-1", .grand_total_cents = 1000});
    const auto l = line(o, 3, 1);
    t.exec("INSERT INTO allocations (order_item_id, kind, quantity, vendor_id, run_id, created_at) VALUES (" +
           std::to_string(l) + ", 'po_queue', 2, 1, 1, '2026-11-20T00:00:00Z')");
    // queue lines: an inactive vendor; more than a non-default vendor has
    t.exec(
        "INSERT INTO purchase_order_queue (order_item_id, sku_id, vendor_id, quantity, fulfillment_method, "
        "run_id, "
        "created_at) VALUES (" +
        std::to_string(l) + ", 3, 1, 1, 'jit', 1, '2026-11-20T00:00:00Z'), (" + std::to_string(l) +
        ", 3, 2, 2, 'jit', 1, '2026-11-20T00:00:00Z')");
    // money: captured beyond the total; captured_cents outside 0..amount; a journal that disagrees; an old
    // pending op
    t.exec(
        "INSERT INTO payments (order_id, method, status, amount_cents, captured_cents, created_at) VALUES (" +
        std::to_string(o) + ", 'credit_card', 'captured', 2000, 1500, '2026-11-20T00:00:00Z')");
    // (PostgreSQL's CHECK refuses a negative captured_cents: the twin gets 0, and no such violation.)
    const bool negative = !test_backend_is_postgres();
    t.exec(
        "INSERT INTO payments (order_id, method, status, amount_cents, captured_cents, gateway_ref, "
        "created_at) "
        "VALUES (" +
        std::to_string(o) + ", 'credit_card', 'authorized', 500, " + (negative ? "-5" : "0") +
        ", 'pi_x', '2026-11-20T00:00:00Z')");
    t.exec(
        "INSERT INTO gateway_operations (payment_id, operation, amount_cents, idempotency_key, state, "
        "run_id, "
        "created_at) VALUES (2, 'void', 500, 'k-void', 'succeeded', 1, '2026-11-20T00:00:00Z'), "
        "(2, 'capture', 500, 'k-old', 'pending', 1, '2020-01-01T00:00:00Z')");
    // a run left running although no olmd holds the lock
    t.exec(
        "INSERT INTO automation_runs (fire_at, started_at, jobs, outcome, \"trigger\", host) VALUES "
        "('2026-11-21T00:00:00Z', '2026-11-21T00:00:00Z', 'capture', 'running', 'manual', 'test')");
    // a kit shipped in part under ship_kits_complete
    const auto k = t.add_order({.number = "K-1"});
    const auto kl = line(k, 2, 1);
    const auto c1 = line(k, 1, 1, std::to_string(kl));
    line(k, 1, 1, std::to_string(kl));
    t.exec("INSERT INTO shipments (order_id, warehouse_id, status, run_id, created_at) VALUES (" +
           std::to_string(k) + ", 1, 'Shipped', 1, '2026-11-20T00:00:00Z')");
    t.exec("INSERT INTO shipment_items (shipment_id, order_item_id, quantity) VALUES (last_insert_rowid(), " +
           std::to_string(c1) + ", 1)");

    const auto r = audit();
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    std::vector<std::string> wanted{
        "allocated_matches: inventory warehouse_id=1, sku_id=1: allocated = 3",
        "line_over_allocated: order_items.id=" + std::to_string(l) + ": quantity 1 but 2 units allocated",
        "queue_inactive_vendor: purchase_order_queue.id=1, vendors.id=1",
        "queue_over_vendor_stock: vendors.id=2, skus.id=3: 2 units queued but vendor_stock.quantity = 1",
        "captured_within_total: orders.id=" + std::to_string(o) + ": captured " +
            (negative ? "1495" : "1500") + " cents of a grand total of 1000",
        "journal_agrees: payments.id=2, gateway_operations.id=1: a succeeded void but the payment is "
        "authorized",
        "journal_open: gateway_operations.id=2, payments.id=2",
        "run_without_instance: automation_runs.id=2",
        "kit_shipped_partly: order_items.id=" + std::to_string(kl) + ": 1 of 2 component units"};
    if (negative) wanted.push_back("captured_within_amount: payments.id=2: captured_cents = -5");
    for (const std::string& want : wanted)
        EXPECT_NE(r.out.find(want), std::string::npos) << want << "\n---\n" << r.out;
    EXPECT_NE(r.err.find("violation(s)"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace olmd::test
