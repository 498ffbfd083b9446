#pragma once
// A small world for the sourcing rules: a migrated database with a shipping
// method, warehouses, SKUs, vendors, inventory and orders built row by row,
// the sourcing job run over it with a Config the test adjusts, and readers of
// what it wrote.

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "olmd/config/config.hpp"
#include "olmd/jobs/job.hpp"
#include "olmd/jobs/sourcing/sourcing_job.hpp"
#include "olmd/store/catalog.hpp"
#include "support/pg_mirror.hpp"
#include "support/sourcing_order.hpp"
#include "support/test_db.hpp"
#include "support/test_services.hpp"

namespace olmd::test {

class SourcingWorld : public ::testing::Test {
protected:
    SourcingWorld() {
        cfg.sourcing.enabled = true;
        db.exec("INSERT INTO shipping_methods (name, is_cod) VALUES ('Ground', 0), ('COD Ground', 1)");
    }

    /// Adds a warehouse; returns its id.
    std::int64_t warehouse(const std::string& name, int priority, std::optional<double> lat = std::nullopt,
                           std::optional<double> lon = std::nullopt, bool active = true) {
        auto q = [](std::optional<double> v) { return v ? std::to_string(*v) : std::string("NULL"); };
        db.exec("INSERT INTO warehouses (name, priority, latitude, longitude, active) VALUES (" +
                sql_quote(name) + ", " + std::to_string(priority) + ", " + q(lat) + ", " + q(lon) + ", " +
                (active ? "1" : "0") + ")");
        return db.db().raw().getLastInsertRowid();
    }
    /// Adds a vendor; returns its id.
    std::int64_t vendor(const std::string& name, bool active = true, const std::string& method = "email",
                        const std::string& tmpl = "standard_po") {
        db.exec("INSERT INTO vendors (name, default_po_method, default_po_template, active) VALUES (" +
                sql_quote(name) + ", " + sql_quote(method) + ", " + sql_quote(tmpl) + ", " +
                (active ? "1" : "0") + ")");
        return db.db().raw().getLastInsertRowid();
    }
    /// Adds a SKU; returns its id.
    std::int64_t sku(const std::string& code, const std::string& kind = "product",
                     const std::string& method = "stock",
                     std::optional<std::int64_t> default_vendor = std::nullopt) {
        db.exec("INSERT INTO skus (code, kind, fulfillment_method, default_vendor_id) VALUES (" +
                sql_quote(code) + ", " + sql_quote(kind) + ", " + sql_quote(method) + ", " +
                (default_vendor ? std::to_string(*default_vendor) : std::string("NULL")) + ")");
        return db.db().raw().getLastInsertRowid();
    }
    /// Sets a SKU's inventory at a warehouse.
    void stock(std::int64_t wh, std::int64_t sku_id, std::int64_t on_hand, std::int64_t allocated = 0) {
        db.exec("INSERT OR REPLACE INTO inventory (warehouse_id, sku_id, on_hand, allocated) VALUES (" +
                std::to_string(wh) + ", " + std::to_string(sku_id) + ", " + std::to_string(on_hand) + ", " +
                std::to_string(allocated) + ")");
    }
    /// Sets a vendor's stock of a SKU.
    void vendor_stock(std::int64_t v, std::int64_t sku_id, std::int64_t qty) {
        db.exec("INSERT OR REPLACE INTO vendor_stock (vendor_id, sku_id, quantity) VALUES (" +
                std::to_string(v) + ", " + std::to_string(sku_id) + ", " + std::to_string(qty) + ")");
    }
    /// Adds an order; returns its id.
    std::int64_t order(const SrcOrder& o) {
        const std::string sm =
            o.shipping_method
                ? "(SELECT id FROM shipping_methods WHERE name = " + sql_quote(*o.shipping_method) + ")"
                : "NULL";
        db.exec(
            "INSERT INTO orders (order_number, channel_id, status_id, shipping_method_id, created_at, "
            "grand_total_cents, ship_country, ship_zip, ship_state, updated_at) VALUES (" +
            sql_quote(o.number) + ", (SELECT id FROM channels WHERE name = " + sql_quote(o.channel) + "), " +
            std::to_string(db.status_id(o.status)) + ", " + sm + ", " + sql_quote(o.created_at) + ", " +
            std::to_string(o.grand_total_cents) + ", " +
            (o.ship_country.empty() ? std::string("NULL") : sql_quote(o.ship_country)) + ", " +
            sql_quote(o.ship_zip) + ", " + sql_quote(o.ship_state) + ", " + sql_quote(o.created_at) + ")");
        return db.db().raw().getLastInsertRowid();
    }
    /// An order with defaults and the given number.
    std::int64_t order(const std::string& number) {
        SrcOrder o;
        o.number = number;
        return order(o);
    }
    /// Adds a line; returns its id.
    std::int64_t line(std::int64_t order_id, std::int64_t sku_id, std::int64_t qty, std::int64_t price = 1000,
                      std::optional<std::int64_t> parent = std::nullopt) {
        db.exec(
            "INSERT INTO order_items (order_id, sku_id, quantity, unit_price_cents, parent_item_id) VALUES "
            "(" +
            std::to_string(order_id) + ", " + std::to_string(sku_id) + ", " + std::to_string(qty) + ", " +
            std::to_string(price) + ", " + (parent ? std::to_string(*parent) : std::string("NULL")) + ")");
        return db.db().raw().getLastInsertRowid();
    }
    /// Adds a reservation (and counts it in inventory.allocated, as the back office does).
    void reserve(std::int64_t line_id, std::int64_t wh, std::int64_t qty) {
        db.exec("INSERT INTO reservations (order_item_id, warehouse_id, quantity) VALUES (" +
                std::to_string(line_id) + ", " + std::to_string(wh) + ", " + std::to_string(qty) + ")");
        db.exec("UPDATE inventory SET allocated = allocated + " + std::to_string(qty) +
                " WHERE warehouse_id = " + std::to_string(wh) +
                " AND sku_id = (SELECT sku_id FROM order_items WHERE id = " + std::to_string(line_id) + ")");
    }
    /// Adds a payment row.
    void payment(std::int64_t order_id, const std::string& method, const std::string& status,
                 std::int64_t amount, std::int64_t captured = 0, const std::string& token = "") {
        db.exec(
            "INSERT INTO payments (order_id, method, status, amount_cents, captured_cents, card_token, "
            "created_at) VALUES (" +
            std::to_string(order_id) + ", " + sql_quote(method) + ", " + sql_quote(status) + ", " +
            std::to_string(amount) + ", " + std::to_string(captured) + ", " +
            (token.empty() ? std::string("NULL") : sql_quote(token)) + ", '2026-11-20T10:00:00Z')");
    }

    /// Runs the sourcing job once (a new automation_runs row) and returns its stats.
    jobs::JobStats run(const std::string& now = "2026-11-22T12:00:00Z", bool dry_run = false) {
        db.exec(
            "INSERT INTO automation_runs (fire_at, started_at, jobs, outcome, \"trigger\", host) VALUES (" +
            sql_quote(now) + ", " + sql_quote(now) + ", 'sourcing', 'running', 'manual', 'test')");
        run_id = db.db().raw().getLastInsertRowid();
        auto catalog = store::load_catalog(db.db());
        EXPECT_TRUE(catalog.ok());
        auto t = parse_utc(now);
        jobs::JobStats stats;
        // pg: tests (pg_mirror.hpp): the job runs on the PostgreSQL twin, its rows come back here.
        with_job_services(pg_, db, cfg, dry_run, [&](TestServices& services) {
            if (auto g = fake_gateway()) services.use_gateway(std::move(g));
            jobs::JobContext ctx{cfg,      services.get(), *catalog, dry_run ? 0 : run_id, *t, dry_run,
                                 &dry_out, nullptr,        nullptr};
            job().run(ctx, stats);
        });
        EXPECT_EQ(stats.failure, "") << stats.failure;
        return stats;
    }
    /// The job under test.
    jobs::Job& job() { return job_; }
    /// The gateway SRC-12 gets (tests of SRC-12 script one); null: the configured one.
    virtual std::unique_ptr<domain::Gateway> fake_gateway() { return nullptr; }

    /// What `olmd explain` prints for the sourcing job about an order.
    std::string explain(const std::string& number) {
        auto catalog = store::load_catalog(db.db());
        auto t = parse_utc("2026-11-22T12:00:00Z");
        ::olmd::test::TestServices services(db.db(), cfg, true);
        jobs::JobContext ctx{cfg, services.get(), *catalog, 0, *t, true, nullptr, nullptr, nullptr};
        const std::int64_t id = db.scalar("SELECT id FROM orders WHERE order_number = " + sql_quote(number));
        jobs::OrderRef ref{id, number,
                           db.scalar("SELECT status_id FROM orders WHERE id = " + std::to_string(id)),
                           db.scalar("SELECT channel_id FROM orders WHERE id = " + std::to_string(id))};
        std::ostringstream out;
        job().explain(ctx, ref, out);
        return out.str();
    }

    /// The order's status name.
    std::string status(std::int64_t order_id) {
        return db.text(
            "SELECT s.name FROM orders o JOIN order_statuses s ON s.id = o.status_id WHERE o.id = " +
            std::to_string(order_id));
    }
    /// The reason of the order's last history row.
    std::string reason(std::int64_t order_id) {
        return db.text("SELECT reason FROM order_status_history WHERE order_id = " +
                       std::to_string(order_id) + " ORDER BY id DESC LIMIT 1");
    }
    /// A line's allocations as "kind qty @warehouse-or-vendor-name", sorted, comma-separated.
    std::string allocs(std::int64_t line_id) {
        return db.text(
            "SELECT group_concat(x, ', ') FROM (SELECT a.kind || ' ' || a.quantity || coalesce(' @' || "
            "w.name, '') || "
            "coalesce(' @' || v.name, '') AS x FROM allocations a LEFT JOIN warehouses w ON w.id = "
            "a.warehouse_id "
            "LEFT JOIN vendors v ON v.id = a.vendor_id WHERE a.order_item_id = " +
            std::to_string(line_id) + " ORDER BY x)");
    }
    /// Available units of a SKU at a warehouse.
    std::int64_t available(std::int64_t wh, std::int64_t sku_id) {
        return db.scalar("SELECT on_hand - allocated FROM inventory WHERE warehouse_id = " +
                         std::to_string(wh) + " AND sku_id = " + std::to_string(sku_id));
    }
    /// Count of rows a query returns.
    std::int64_t count(const std::string& from_where) {
        return db.scalar("SELECT count(*) FROM " + from_where);
    }

    TestDb db;
    config::Config cfg;
    std::int64_t run_id = 0;
    std::ostringstream dry_out;

private:
    jobs::sourcing::SourcingJob job_;
    std::unique_ptr<PgMirror> pg_;  ///< the PostgreSQL twin of db (pg: tests)
};

/// An automation_runs row for rows an earlier run wrote.
inline std::int64_t earlier_run(TestDb& db) {
    db.exec(
        "INSERT INTO automation_runs (fire_at, started_at, jobs, outcome, \"trigger\", host) VALUES "
        "('2026-11-20T10:00:00Z', '2026-11-20T10:00:00Z', 'sourcing', 'succeeded', 'manual', 'test')");
    return db.db().raw().getLastInsertRowid();
}

/// The fixture of the SQLite sourcing unit tests (sourcing_units_*_test.cpp), one class for
/// every file: GoogleTest wants one fixture type per test suite.
class SourcingUnits : public SourcingWorld {};

}  // namespace olmd::test
