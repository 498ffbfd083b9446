#pragma once
// What the migration-0003 tests share (store_migration3_test.cpp, store_check_constraints_test.cpp):
// the schema version before the CHECK constraints, a version-2 database filled the way a
// back office fills it (with columns, indexes, triggers and views of its own), and readers
// of its rows, columns, dependents and schema to compare before and after.

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "olmd/store/embedded_sql.hpp"
#include "olmd/store/migrations.hpp"
#include "store/check_rules.hpp"
#include "support/test_db.hpp"

namespace olmd::test {

inline constexpr int kBeforeChecks = 2;  // the schema version before 0003_check_constraints.sql

inline bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

/// Fills every table of a version-2 database with n rows (2n order lines), the way a back office would.
inline void populate(TestDb& t, int n) {
    const std::string N = std::to_string(n);
    const std::string seq =
        "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < " + N + ") ";
    t.exec("INSERT INTO shipping_methods (name, is_cod) SELECT 'SM' || i, i % 2 FROM (" + seq +
           "SELECT i FROM s) WHERE i <= 10");
    t.exec(
        "INSERT INTO warehouses (name, priority, postal_code, latitude, longitude, active) SELECT 'W' || i, "
        "i, "
        "printf('%05d', i), 40.0 + i / 100.0, -75.0 - i / 100.0, i % 5 != 0 FROM (" +
        seq + "SELECT i FROM s) WHERE i <= 20");
    t.exec("INSERT INTO vendors (name, default_po_method, active) SELECT 'V' || i, 'email', 1 FROM (" + seq +
           "SELECT i FROM s) WHERE i <= 20");
    t.exec(seq +
           "INSERT INTO skus (code, kind, fulfillment_method, default_vendor_id) SELECT 'SKU' || i, "
           "CASE i % 10 WHEN 0 THEN 'kit' WHEN 1 THEN 'gift_certificate' ELSE 'product' END, "
           "CASE i % 3 WHEN 0 THEN 'stock' WHEN 1 THEN 'jit' ELSE 'dropship' END, i % 20 + 1 FROM s");
    t.exec(seq + "INSERT INTO inventory SELECT i % 20 + 1, i, i % 50, i % 50 / 2 FROM s");
    t.exec(seq + "INSERT INTO vendor_stock SELECT i % 20 + 1, i, i % 7 FROM s");
    t.exec(seq + "INSERT INTO zip_codes SELECT printf('%05d', i), 'NY', 40.0 + i / 1e4, -75.0 FROM s");
    t.exec(
        "INSERT INTO automation_runs (fire_at, started_at, finished_at, jobs, outcome, \"trigger\", host) "
        "VALUES ('2026-11-20T03:00:00Z', '2026-11-20T03:00:00Z', '2026-11-20T03:01:00Z', 'capture,sourcing', "
        "'succeeded', 'schedule', 'test')");
    t.exec(seq +
           "INSERT INTO orders (order_number, channel_id, status_id, shipping_method_id, created_at, "
           "grand_total_cents, is_delayed_delivery, is_club, ip_address, bill_first_name, bill_country, "
           "ship_zip, ship_country, updated_at) SELECT 'O-' || i, (SELECT min(id) FROM channels) + i % 5, "
           "(SELECT min(id) FROM order_statuses) + i % 7, CASE WHEN i % 4 THEN i % 10 + 1 END, "
           "'2026-11-20T10:00:00Z', 1000 + i, i % 2, i % 3 = 0, '10.0.0.' || (i % 250), 'Ann ' || i, "
           "'US', printf('%05d', i), 'US', '2026-11-20T10:00:00Z' FROM s");
    // Two lines per order: a kit line and its component.
    t.exec("WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 2 * " + N +
           ") INSERT INTO order_items (order_id, sku_id, quantity, unit_price_cents, parent_item_id) "
           "SELECT (i + 1) / 2, (i - 1) % " +
           N + " + 1, 1 + i % 3, 100 * i, CASE WHEN i % 2 = 0 THEN i - 1 END FROM s");
    t.exec(seq +
           "INSERT INTO reservations (order_item_id, warehouse_id, quantity) SELECT 2 * i - 1, i % 20 + 1, 1 "
           "FROM s");
    t.exec(seq +
           "INSERT INTO payments (order_id, method, status, amount_cents, captured_cents, card_token, "
           "gateway_ref, created_at, authorized_at, avs_result, cvv_result, reauth_attempts, "
           "replaces_payment_id) SELECT i, CASE WHEN i % 9 = 0 THEN 'paypal' ELSE 'credit_card' END, "
           "CASE i % 4 WHEN 0 THEN 'captured' WHEN 1 THEN 'declined' ELSE 'authorized' END, 1000 + i, "
           "CASE WHEN i % 4 = 0 THEN 1000 + i ELSE 0 END, 'tok_' || i, 'sbx_auth_' || i, "
           "'2026-11-20T10:00:00Z', '2026-11-20T10:00:01Z', CASE WHEN i % 3 THEN 'match' END, "
           "CASE i % 3 WHEN 1 THEN 'mismatch' WHEN 2 THEN 'unavailable' END, i % 3, "
           "CASE WHEN i % 5 = 0 THEN i - 1 END FROM s");
    t.exec(seq +
           "INSERT INTO order_status_history (order_id, from_status_id, to_status_id, job, run_id, reason, "
           "changed_at) SELECT i, (SELECT min(id) FROM order_statuses), (SELECT min(id) FROM order_statuses) "
           "+ 1, 'capture', 1, 'test', '2026-11-20T03:00:30Z' FROM s");
    t.exec(seq +
           "INSERT INTO gateway_operations (payment_id, operation, amount_cents, idempotency_key, state, "
           "gateway_ref, run_id, created_at, purpose, attempt) SELECT i, 'capture', 1000 + i, 'key-' || i, "
           "'succeeded', 'sbx_auth_' || i, 1, '2026-11-20T03:00:30Z', 'capture', 1 + i % 2 FROM s");
    t.exec(seq +
           "INSERT INTO shipments (order_id, warehouse_id, run_id, created_at) SELECT i, i % 20 + 1, 1, "
           "'2026-11-20T03:00:40Z' FROM s");
    t.exec(seq + "INSERT INTO shipment_items SELECT i, 2 * i - 1, 1 FROM s");
    t.exec(seq +
           "INSERT INTO allocations (order_item_id, kind, quantity, warehouse_id, vendor_id, shipment_id, "
           "run_id, created_at) SELECT 2 * i, CASE i % 4 WHEN 0 THEN 'assigned' WHEN 1 THEN 'backordered' "
           "WHEN 2 THEN 'po_queue' ELSE 'dropship' END, 1 + i % 2, i % 20 + 1, i % 20 + 1, "
           "CASE WHEN i % 4 = 0 THEN i END, 1, '2026-11-20T03:00:40Z' FROM s");
    t.exec(
        seq +
        "INSERT INTO purchase_order_queue (order_item_id, sku_id, vendor_id, quantity, fulfillment_method, "
        "po_method, run_id, created_at) SELECT 2 * i, i, i % 20 + 1, 1 + i % 4, CASE WHEN i % 2 THEN 'jit' "
        "ELSE 'dropship' END, 'email', 1, '2026-11-20T03:00:40Z' FROM s");
    t.exec(seq +
           "INSERT INTO sandbox_ledger (idempotency_key, operation, amount_cents, outcome, response_code, "
           "created_at) SELECT 'key-' || i, 'capture', 1000 + i, 'succeeded', 'ok', '2026-11-20T03:00:30Z' "
           "FROM s");
}

/// What a back office may have added on its own: columns (one generated), indexes, triggers, a view.
inline void add_back_office_extras(TestDb& t) {
    t.exec(
        "ALTER TABLE orders ADD COLUMN loyalty_tier TEXT NOT NULL DEFAULT 'none' "
        "CHECK (loyalty_tier IN ('none', 'gold'))");
    t.exec("UPDATE orders SET loyalty_tier = 'gold' WHERE id % 3 = 0");
    t.exec(
        "ALTER TABLE orders ADD COLUMN total_dollars REAL GENERATED ALWAYS AS (grand_total_cents / 100.0) "
        "VIRTUAL");
    t.exec("ALTER TABLE payments ADD COLUMN bo_note TEXT COLLATE NOCASE");
    t.exec("UPDATE payments SET bo_note = 'Note ' || id WHERE id % 7 = 0");
    t.exec("ALTER TABLE inventory ADD COLUMN bin TEXT");
    t.exec("UPDATE inventory SET bin = 'A-' || sku_id WHERE sku_id % 2 = 0");
    t.exec("CREATE INDEX bo_orders_loyalty ON orders (loyalty_tier, id)");
    t.exec("CREATE INDEX bo_payments_note ON payments (bo_note) WHERE bo_note IS NOT NULL");
    t.exec(
        "CREATE TABLE bo_payment_audit (id INTEGER PRIMARY KEY, payment_id INTEGER NOT NULL REFERENCES "
        "payments "
        "(id), status TEXT NOT NULL)");
    t.exec(
        "CREATE TRIGGER bo_payments_status AFTER UPDATE OF status ON payments BEGIN "
        "INSERT INTO bo_payment_audit (payment_id, status) VALUES (new.id, new.status); END");
    t.exec(
        "CREATE TRIGGER bo_orders_status AFTER UPDATE OF status_id ON orders BEGIN "
        "UPDATE payments SET bo_note = 'order moved' WHERE order_id = new.id; END");
    t.exec(
        "CREATE VIEW bo_open_card_payments AS SELECT p.id, o.order_number, o.loyalty_tier, "
        "p.amount_cents - p.captured_cents AS open_cents FROM payments p JOIN orders o ON o.id = p.order_id "
        "WHERE p.method = 'credit_card' AND p.status = 'authorized'");
    t.exec("UPDATE payments SET status = 'voided' WHERE id = 3");  // one audit row
    t.exec("ANALYZE");
}

/// Every row of every table (rowid and each value with its storage type), sorted, as one text.
inline std::string contents(TestDb& t, const std::string& skip = "") {
    std::vector<std::string> rows;
    SQLite::Statement tables(t.db().raw(),
                             "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
    std::vector<std::string> names;
    while (tables.executeStep()) names.push_back(tables.getColumn(0).getString());
    for (const auto& name : names) {
        if (name == skip) continue;
        const bool internal = name.rfind("sqlite_", 0) == 0;  // their rowids are not data
        SQLite::Statement q(t.db().raw(),
                            std::string("SELECT ") + (internal ? "" : "rowid, ") + "* FROM \"" + name + "\"");
        while (q.executeStep()) {
            std::string row = name;
            for (int i = 0; i < q.getColumnCount(); ++i)
                row += "|" + std::to_string(q.getColumn(i).getType()) + ":" + q.getColumn(i).getString();
            rows.push_back(row);
        }
    }
    std::sort(rows.begin(), rows.end());
    std::string out;
    for (const auto& r : rows) out += r + "\n";
    return out;
}

/// Each table's columns as PRAGMA table_xinfo declares them (name, type, NOT NULL, default, key, hidden).
inline std::string columns(TestDb& t) {
    std::string out;
    SQLite::Statement q(
        t.db().raw(),
        "SELECT m.name, c.name, c.type, c.\"notnull\", coalesce(c.dflt_value, '-'), c.pk, c.hidden "
        "FROM sqlite_schema m, pragma_table_xinfo(m.name) c WHERE m.type = 'table' "
        "ORDER BY m.name, c.cid");
    while (q.executeStep()) {
        for (int i = 0; i < 7; ++i) out += q.getColumn(i).getString() + " ";
        out += "\n";
    }
    return out;
}

/// The stored SQL of every index, trigger and view.
inline std::string dependents(TestDb& t) {
    std::string out;
    SQLite::Statement q(
        t.db().raw(),
        "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema WHERE type != 'table' "
        "ORDER BY type, name");
    while (q.executeStep())
        out += q.getColumn(0).getString() + " " + q.getColumn(1).getString() + " " +
               q.getColumn(2).getString() + " " + q.getColumn(3).getString() + "\n";
    return out;
}

/// The whole schema text (tables included).
inline std::string schema(TestDb& t) {
    std::string out;
    SQLite::Statement q(t.db().raw(),
                        "SELECT type, name, coalesce(sql, '') FROM sqlite_schema ORDER BY type, name");
    while (q.executeStep())
        out += q.getColumn(0).getString() + " " + q.getColumn(1).getString() + " " +
               q.getColumn(2).getString() + "\n";
    return out;
}

inline const std::vector<store::CheckRule>& migration_rules() {
    static const std::vector<store::CheckRule> rules = [] {
        for (const auto& m : store::embedded_migrations())
            if (std::string(m.name) == "0003_check_constraints.sql") {
                auto r = store::parse_check_rules(m.text);
                if (r) return *r;
            }
        return std::vector<store::CheckRule>{};
    }();
    return rules;
}

}  // namespace olmd::test
