// Migration 0003: the CHECK constraints of database.md added to a database
// that already holds rows (every row, back-office column, index, trigger and
// view kept), the bad values they reject afterwards, and init-db refusing a
// database whose rows break them (listing the rows, changing nothing).
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "olmd/store/embedded_sql.hpp"
#include "olmd/store/migrations.hpp"
#include "store/check_rules.hpp"
#include "store/rebuild_table.hpp"
#include "support/process.hpp"
#include "support/test_db.hpp"

namespace olmd::test {
namespace {

constexpr int kBeforeChecks = 2;  // the schema version before 0003_check_constraints.sql

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

/// Fills every table of a version-2 database with n rows (2n order lines), the way a back office would.
void populate(TestDb& t, int n) {
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
void add_back_office_extras(TestDb& t) {
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
std::string contents(TestDb& t, const std::string& skip = "") {
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
std::string columns(TestDb& t) {
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
std::string dependents(TestDb& t) {
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
std::string schema(TestDb& t) {
    std::string out;
    SQLite::Statement q(t.db().raw(),
                        "SELECT type, name, coalesce(sql, '') FROM sqlite_schema ORDER BY type, name");
    while (q.executeStep())
        out += q.getColumn(0).getString() + " " + q.getColumn(1).getString() + " " +
               q.getColumn(2).getString() + "\n";
    return out;
}

const std::vector<store::CheckRule>& migration_rules() {
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

// --- the migration on a populated database -------------------------------------

class StoreSchemaMigration3 : public ::testing::Test {
protected:
    static constexpr int kRows = 3000;
    StoreSchemaMigration3() : t(kBeforeChecks) {}
    TestDb t;
};

TEST_F(StoreSchemaMigration3, DB_CheckConstraintsKeepEveryRowExtraColumnIndexTriggerAndView) {
    populate(t, kRows);
    add_back_office_extras(t);
    ASSERT_EQ(t.scalar("PRAGMA user_version"), kBeforeChecks);
    const std::string rows = contents(t), cols = columns(t), deps = dependents(t);
    const auto view_rows = t.scalar("SELECT count(*) FROM bo_open_card_payments");
    const auto stats = t.scalar("SELECT count(*) FROM sqlite_stat1");

    const auto started = std::chrono::steady_clock::now();
    auto m = store::migrate_to(t.db(), 3);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
            .count();
    ASSERT_TRUE(m.ok()) << m.error().message;
    std::cout << "[ figures  ] migration 2 -> 3 of " << kRows << " orders (" << kRows
              << " rows in every table, 2x order lines): " << ms << " ms\n";
    ASSERT_EQ(m->applied, std::vector<std::string>{"0003_check_constraints.sql"});
    EXPECT_EQ(t.scalar("PRAGMA user_version"), 3);

    EXPECT_EQ(contents(t), rows);    // every row, every value, every rowid
    EXPECT_EQ(columns(t), cols);     // the back office's columns with their declarations
    EXPECT_EQ(dependents(t), deps);  // indexes, triggers and views, text for text
    EXPECT_EQ(t.scalar("SELECT count(*) FROM sqlite_stat1"), stats);
    EXPECT_EQ(t.text("PRAGMA integrity_check"), "ok");
    EXPECT_TRUE(has(t.text("SELECT sql FROM sqlite_schema WHERE name = 'orders'"),
                    "loyalty_tier TEXT NOT NULL DEFAULT 'none' CHECK (loyalty_tier IN ('none', 'gold'))"));

    // The back office's triggers, view, CHECK and index still work.
    EXPECT_EQ(t.scalar("SELECT count(*) FROM bo_open_card_payments"), view_rows);
    t.exec("UPDATE payments SET status = 'voided' WHERE id = 2");
    EXPECT_EQ(t.scalar("SELECT count(*) FROM bo_payment_audit WHERE payment_id = 2 AND status = 'voided'"),
              1);
    t.exec("UPDATE orders SET status_id = status_id + 1 WHERE id = 5");
    EXPECT_EQ(t.text("SELECT bo_note FROM payments WHERE order_id = 5"), "order moved");
    EXPECT_THROW(t.exec("UPDATE orders SET loyalty_tier = 'platinum' WHERE id = 1"), SQLite::Exception);
    std::string plan;
    SQLite::Statement q(t.db().raw(), "EXPLAIN QUERY PLAN SELECT id FROM orders WHERE loyalty_tier = 'gold'");
    while (q.executeStep()) plan += q.getColumn(3).getString();
    EXPECT_TRUE(has(plan, "bo_orders_loyalty")) << plan;
    // A back office can still add columns to a rebuilt table.
    t.exec("ALTER TABLE payments ADD COLUMN bo_later INTEGER");
    t.exec("UPDATE payments SET bo_later = 1 WHERE id = 1");
}

TEST_F(StoreSchemaMigration3, DB_CheckConstraintsKeepForeignKeysEnforced) {
    populate(t, 200);
    add_back_office_extras(t);
    ASSERT_TRUE(store::migrate(t.db()).ok());
    EXPECT_EQ(t.scalar("PRAGMA foreign_keys"), 1);
    EXPECT_EQ(t.scalar("SELECT count(*) FROM pragma_foreign_key_check"), 0);
    EXPECT_THROW(t.exec("INSERT INTO payments (order_id, method, status, amount_cents, created_at) "
                        "VALUES (999999, 'cash', 'settled', 1, '2026-11-20T10:00:00Z')"),
                 SQLite::Exception);
    // Payments and order lines refer to order 1.
    EXPECT_THROW(t.exec("DELETE FROM orders WHERE id = 1"), SQLite::Exception);
    EXPECT_THROW(t.exec("INSERT INTO bo_payment_audit (payment_id, status) VALUES (999999, 'x')"),
                 SQLite::Exception);
    EXPECT_THROW(t.exec("UPDATE order_items SET parent_item_id = 999999 WHERE id = 2"), SQLite::Exception);
}

TEST_F(StoreSchemaMigration3, DB_CheckConstraintsOnAFreshDatabaseAreTheSameAsOnAnUpgradedOne) {
    ASSERT_TRUE(store::migrate(t.db()).ok());
    TestDb fresh;
    EXPECT_EQ(schema(t), schema(fresh));
}

// --- what the constraints reject afterwards -----------------------------------

struct BadValue {
    const char* table;
    const char* column;
    const char* value;  ///< SQL for the new value
};

class StoreSchemaChecks : public ::testing::Test {
protected:
    StoreSchemaChecks() : t(kBeforeChecks) {
        populate(t, 20);
        auto m = store::migrate(t.db());
        if (!m) ADD_FAILURE() << m.error().message;
    }
    /// Expects setting column to value on one row of table to fail on a CHECK, and the row to stay.
    void expect_rejected(const BadValue& b) {
        const std::string where = " WHERE rowid = (SELECT min(rowid) FROM " + std::string(b.table) + ")";
        const std::string before =
            t.text("SELECT quote(" + std::string(b.column) + ") FROM " + b.table + where);
        try {
            t.exec("UPDATE " + std::string(b.table) + " SET " + b.column + " = " + b.value + where);
            ADD_FAILURE() << b.table << "." << b.column << " = " << b.value << " was accepted";
        } catch (const SQLite::Exception& e) {
            EXPECT_TRUE(has(e.what(), "CHECK constraint failed"))
                << b.table << "." << b.column << ": " << e.what();
        }
        EXPECT_EQ(t.text("SELECT quote(" + std::string(b.column) + ") FROM " + b.table + where), before);
    }
    void expect_all_rejected(const std::vector<BadValue>& values) {
        for (const auto& b : values) expect_rejected(b);
    }
    TestDb t;
};

const std::vector<BadValue> kText = {
    {"shipping_methods", "is_cod", "'1x'"},
    {"warehouses", "priority", "'high'"},
    {"warehouses", "active", "'yes'"},
    {"vendors", "active", "'abc'"},
    {"inventory", "on_hand", "'abc'"},
    {"inventory", "allocated", "'abc'"},
    {"vendor_stock", "quantity", "'abc'"},
    {"orders", "grand_total_cents", "'abc'"},
    {"orders", "is_delayed_delivery", "'abc'"},
    {"orders", "is_club", "'true'"},
    {"order_items", "quantity", "'abc'"},
    {"order_items", "unit_price_cents", "'abc'"},
    {"reservations", "quantity", "'abc'"},
    {"payments", "amount_cents", "'abc'"},
    {"payments", "captured_cents", "'abc'"},
    {"payments", "reauth_attempts", "'abc'"},
    {"gateway_operations", "amount_cents", "'abc'"},
    {"gateway_operations", "attempt", "'abc'"},
    {"allocations", "quantity", "'abc'"},
    {"shipment_items", "quantity", "'abc'"},
    {"purchase_order_queue", "quantity", "'abc'"},
    {"inventory", "on_hand", "x'01'"},
};
const std::vector<BadValue> kFractions = {
    {"shipping_methods", "is_cod", "0.5"},
    {"warehouses", "priority", "1.5"},
    {"inventory", "on_hand", "1.5"},
    {"inventory", "allocated", "2.5"},
    {"vendor_stock", "quantity", "1.5"},
    {"orders", "grand_total_cents", "99.5"},
    {"orders", "is_club", "0.5"},
    {"order_items", "quantity", "1.5"},
    {"order_items", "unit_price_cents", "0.5"},
    {"reservations", "quantity", "1.5"},
    {"payments", "amount_cents", "10.5"},
    {"payments", "captured_cents", "0.5"},
    {"payments", "reauth_attempts", "1.5"},
    {"gateway_operations", "amount_cents", "1.5"},
    {"gateway_operations", "attempt", "1.5"},
    {"allocations", "quantity", "1.5"},
    {"shipment_items", "quantity", "1.5"},
    {"purchase_order_queue", "quantity", "'1.5'"},
};
const std::vector<BadValue> kOutOfRange = {
    {"inventory", "on_hand", "-1"},
    {"inventory", "allocated", "-1"},
    {"vendor_stock", "quantity", "-3"},
    {"orders", "grand_total_cents", "-1"},
    {"order_items", "quantity", "0"},
    {"order_items", "quantity", "-2"},
    {"order_items", "unit_price_cents", "-1"},
    {"reservations", "quantity", "0"},
    {"payments", "amount_cents", "-1"},
    {"payments", "reauth_attempts", "-1"},
    {"gateway_operations", "amount_cents", "-1"},
    {"gateway_operations", "attempt", "0"},
    {"allocations", "quantity", "0"},
    {"shipment_items", "quantity", "-1"},
    {"purchase_order_queue", "quantity", "0"},
};
const std::vector<BadValue> kFlags = {
    {"shipping_methods", "is_cod", "2"},    {"warehouses", "active", "2"}, {"vendors", "active", "-1"},
    {"orders", "is_delayed_delivery", "2"}, {"orders", "is_club", "-1"},
};
const std::vector<BadValue> kEnumerations = {
    {"payments", "avs_result", "'Match'"},
    {"payments", "avs_result", "''"},
    {"payments", "avs_result", "'yes'"},
    {"payments", "cvv_result", "'fail'"},
    {"payments", "method", "'bitcoin'"},
    {"payments", "status", "'open'"},
    {"skus", "kind", "'service'"},
    {"skus", "fulfillment_method", "'drone'"},
    {"allocations", "kind", "'held'"},
    {"purchase_order_queue", "fulfillment_method", "'stock'"},
    {"order_status_history", "job", "'cleanup'"},
    {"automation_runs", "outcome", "'done'"},
    {"automation_runs", "\"trigger\"", "'cron'"},
    {"gateway_operations", "operation", "'refund'"},
    {"gateway_operations", "state", "'lost'"},
};

TEST_F(StoreSchemaChecks, DB_CheckConstraintsRejectNegativeCapturedCents) {
    expect_rejected({"payments", "captured_cents", "-50000"});
    const auto order = t.scalar("SELECT min(id) FROM orders");
    EXPECT_THROW(
        t.exec("INSERT INTO payments (order_id, method, status, amount_cents, captured_cents, created_at) "
               "VALUES (" +
               std::to_string(order) +
               ", 'credit_card', 'captured', 100000, -50000, "
               "'2026-11-20T10:00:00Z')"),
        SQLite::Exception);
}

TEST_F(StoreSchemaChecks, DB_CheckConstraintsRejectCapturedAboveAmount) {
    expect_rejected({"payments", "captured_cents", "amount_cents + 1"});
    const std::string where = " WHERE id = (SELECT min(id) FROM payments)";
    t.exec("UPDATE payments SET captured_cents = amount_cents" + where);  // the limits themselves are allowed
    EXPECT_THROW(t.exec("UPDATE payments SET amount_cents = amount_cents - 1" + where), SQLite::Exception);
    t.exec("UPDATE payments SET captured_cents = 0" + where);
}

TEST_F(StoreSchemaChecks, DB_CheckConstraintsRejectTextInIntegerColumns) {
    expect_all_rejected(kText);
}

TEST_F(StoreSchemaChecks, DB_CheckConstraintsRejectFractions) {
    expect_all_rejected(kFractions);
}

TEST_F(StoreSchemaChecks, DB_CheckConstraintsRejectNegativeAmountsAndQuantities) {
    expect_all_rejected(kOutOfRange);
}

TEST_F(StoreSchemaChecks, DB_CheckConstraintsRejectFlagsOtherThanZeroAndOne) {
    expect_all_rejected(kFlags);
}

TEST_F(StoreSchemaChecks, DB_CheckConstraintsRejectUnknownEnumerations) {
    expect_all_rejected(kEnumerations);
}

TEST_F(StoreSchemaChecks, DB_CheckConstraintsAcceptWhatTheContractAllows) {
    const std::string p = " WHERE id = (SELECT min(id) FROM payments)";
    t.exec("UPDATE payments SET avs_result = NULL, cvv_result = 'unavailable'" + p);
    t.exec("UPDATE payments SET avs_result = 'mismatch', cvv_result = 'match'" + p);
    t.exec("UPDATE payments SET amount_cents = 0, captured_cents = 0" + p);
    // Integer affinity turns '7' and 7.0 into the integer 7: not bad data.
    t.exec("UPDATE order_items SET quantity = '7' WHERE id = 1");
    EXPECT_EQ(t.text("SELECT typeof(quantity) || quantity FROM order_items WHERE id = 1"), "integer7");
    t.exec("UPDATE order_items SET quantity = 7.0 WHERE id = 1");
    EXPECT_EQ(t.text("SELECT typeof(quantity) || quantity FROM order_items WHERE id = 1"), "integer7");
    t.exec("UPDATE warehouses SET priority = -5 WHERE id = 1");  // priority has no range in the contract
}

TEST_F(StoreSchemaChecks, DB_CheckConstraintsAllowBadRowsLetsTestsPlantThem) {
    t.allow_bad_rows();
    t.exec("UPDATE payments SET captured_cents = -50000 WHERE id = 1");
    t.exec("UPDATE order_items SET quantity = 'abc' WHERE id = 1");
    EXPECT_EQ(t.scalar("SELECT captured_cents FROM payments WHERE id = 1"), -50000);
    EXPECT_EQ(t.text("SELECT quantity FROM order_items WHERE id = 1"), "abc");
}

TEST(StoreSchemaCheckRules, DB_EveryRuleOfMigration3HasABadValueTested) {
    ASSERT_EQ(migration_rules().size(), 23u);
    std::set<std::string> tested;
    for (const auto* list : {&kText, &kFractions, &kOutOfRange, &kFlags, &kEnumerations})
        for (const auto& b : *list) tested.insert(std::string(b.table) + "." + b.column);
    tested.insert("payments.captured_cents");
    for (const auto& r : migration_rules())
        EXPECT_TRUE(tested.count(r.table + "." + r.column)) << r.table << "." << r.column;
}

TEST(StoreSchemaCheckRules, DB_CheckDirectivesParseAndMalformedOnesAreErrors) {
    auto ok = store::parse_check_rules("-- text\n  -- @check t.c: c >= 0 AND c < 'x:y'\nSELECT 1;\n");
    ASSERT_TRUE(ok.ok());
    ASSERT_EQ(ok->size(), 1u);
    EXPECT_EQ((*ok)[0].table, "t");
    EXPECT_EQ((*ok)[0].column, "c");
    EXPECT_EQ((*ok)[0].expression, "c >= 0 AND c < 'x:y'");
    for (const char* bad : {"-- @check t.c c > 0", "-- @check t: c > 0",
                            "-- @check t.c:", "-- @checks t.c: 1", "-- @chek t.c: 1", "-- @check t.c d: 1"}) {
        auto r = store::parse_check_rules(std::string("-- fine\n") + bad + "\n");
        ASSERT_FALSE(r.ok()) << bad;
        EXPECT_TRUE(has(r.error().message, "line 2")) << r.error().message;
    }
}

TEST(StoreSchemaCheckRules, DB_TableChecksGoAfterEverythingTheTableDeclares) {
    const std::string create =
        "CREATE TABLE \"odd (name\" (\n  a INTEGER CHECK (a > 0), -- a comment ) with a parenthesis\n"
        "  [b)] TEXT DEFAULT ')' /* ) */,\n  PRIMARY KEY (a)\n  -- trailing\n) WITHOUT ROWID";
    auto s = store::with_table_checks(create, "fresh", {"typeof(a) = 'integer'", "[b)] != ''"}, "why");
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_EQ(*s,
              "CREATE TABLE \"fresh\" (\n  a INTEGER CHECK (a > 0), -- a comment ) with a parenthesis\n"
              "  [b)] TEXT DEFAULT ')' /* ) */,\n  PRIMARY KEY (a),\n    -- why\n    CHECK (typeof(a) = "
              "'integer'),\n    CHECK ([b)] != '')\n  -- trailing\n) WITHOUT ROWID");
    SQLite::Database mem(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    mem.exec(create);
    mem.exec(*s);  // valid SQL
    EXPECT_FALSE(store::with_table_checks("CREATE TABLE t AS SELECT 1", "x", {"1"}, "why").ok());
}

// --- rows that break the new constraints block the migration ------------------------

/// Plants rows a version-2 database may hold (its schema lets them in).
void plant_violations(TestDb& t) {
    t.exec("UPDATE payments SET captured_cents = -50000 WHERE id = 17");
    t.exec("UPDATE payments SET captured_cents = amount_cents + 1 WHERE id = 18");
    t.exec("UPDATE payments SET avs_result = 'Y' WHERE id = 19");
    t.exec("UPDATE order_items SET quantity = 'abc' WHERE id = 4");
    t.exec("UPDATE order_items SET quantity = 1.5 WHERE id = 6");
    t.exec("UPDATE inventory SET on_hand = 'lots' WHERE sku_id = 3");
    t.exec("UPDATE orders SET grand_total_cents = 'n/a' WHERE id = 9");
}

TEST_F(StoreSchemaMigration3, DB_RowsBreakingNewChecksBlockTheMigrationAndChangeNothing) {
    populate(t, 100);
    add_back_office_extras(t);
    plant_violations(t);
    const std::string rows = contents(t), before = schema(t);

    auto m = store::migrate(t.db());
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.error().code, 1);
    const std::string& msg = m.error().message;
    for (const char* line :
         {"payments id=17: captured_cents = -50000 (amount_cents = 1017) violates typeof(captured_cents) = "
          "'integer' AND captured_cents BETWEEN 0 AND amount_cents",
          "payments id=18: captured_cents = 1019 (amount_cents = 1018) violates",
          "payments id=19: avs_result = 'Y' violates avs_result IS NULL OR avs_result IN",
          "order_items id=4: quantity = 'abc' violates typeof(quantity) = 'integer' AND quantity > 0",
          "order_items id=6: quantity = 1.5 violates",
          "inventory warehouse_id=4 sku_id=3: on_hand = 'lots' violates",
          "orders id=9: grand_total_cents = 'n/a' violates", "still at schema version 2", "olmd init-db"})
        EXPECT_TRUE(has(msg, line)) << line << "\n" << msg;
    EXPECT_EQ(t.scalar("PRAGMA user_version"), kBeforeChecks);
    EXPECT_EQ(contents(t), rows);
    EXPECT_EQ(schema(t), before);
    EXPECT_EQ(t.scalar("PRAGMA foreign_keys"), 1);

    // Fixed, the same database migrates.
    t.exec("UPDATE payments SET captured_cents = 0 WHERE id IN (17, 18)");
    t.exec("UPDATE payments SET avs_result = 'match' WHERE id = 19");
    t.exec("UPDATE order_items SET quantity = 1 WHERE id IN (4, 6)");
    t.exec("UPDATE inventory SET on_hand = 0 WHERE sku_id = 3");
    t.exec("UPDATE orders SET grand_total_cents = 0 WHERE id = 9");
    auto again = store::migrate(t.db());
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_EQ(t.scalar("PRAGMA user_version"), store::known_schema_version());
}

TEST_F(StoreSchemaMigration3, DB_ViolationListIsBoundedPerTable) {
    populate(t, 400);
    t.exec("UPDATE payments SET captured_cents = -1 WHERE id <= 250");
    t.exec("UPDATE payments SET reauth_attempts = 'x' WHERE id <= 30");
    t.exec("UPDATE order_items SET quantity = 'abc' WHERE id <= 3");
    auto m = store::migrate(t.db());
    ASSERT_FALSE(m.ok());
    const std::string& msg = m.error().message;
    std::size_t lines = 0;
    for (std::size_t p = msg.find("\n  payments id="); p != std::string::npos;
         p = msg.find("\n  payments id=", p + 1))
        ++lines;
    EXPECT_EQ(lines, static_cast<std::size_t>(store::kListedViolationsPerTable));
    EXPECT_TRUE(has(msg, "payments: 180 more not listed")) << msg.substr(msg.size() - 400);
    EXPECT_TRUE(has(msg, "order_items id=3: quantity = 'abc'"));
    EXPECT_TRUE(has(msg, "283 values in existing rows break"));
    EXPECT_EQ(t.scalar("PRAGMA user_version"), kBeforeChecks);
}

TEST_F(StoreSchemaMigration3, DB_RowBreakingAnOlderCheckFailsTheRebuildAndChangesNothing) {
    populate(t, 50);
    t.allow_bad_rows();  // a row 0001's CHECKs forbid, which no rule of 0003 covers
    t.exec("UPDATE payments SET method = 'bitcoin' WHERE id = 5");
    t.exec("PRAGMA ignore_check_constraints = OFF");
    const std::string rows = contents(t), before = schema(t);
    auto m = store::migrate(t.db());
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.error().code, 4);
    EXPECT_TRUE(has(m.error().message, "rolled back")) << m.error().message;
    EXPECT_TRUE(has(m.error().message, "CHECK constraint failed")) << m.error().message;
    EXPECT_EQ(t.scalar("PRAGMA user_version"), kBeforeChecks);
    EXPECT_EQ(contents(t), rows);
    EXPECT_EQ(schema(t), before);
    EXPECT_EQ(t.scalar("SELECT count(*) FROM sqlite_schema WHERE name LIKE 'olmd_rebuild_%'"), 0);
}

TEST_F(StoreSchemaMigration3, DB_InitDbListsViolatingRowsExitsOneAndLeavesTheFileAsItWas) {
    populate(t, 100);
    add_back_office_extras(t);
    plant_violations(t);
    t.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    const std::string rows = contents(t), before = schema(t), bytes = read_file(t.path());
    const std::string config = t.dir().file("olmd.toml");
    write_file(config, "[daemon]\ndatabase = \"" + t.path() + "\"\ntimezone = \"America/New_York\"\n");

    auto r = run_olmd({"--config", config, "init-db", "--no-zips"});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    for (const char* line :
         {"payments id=17: captured_cents = -50000 (amount_cents = 1017) violates typeof(captured_cents) = "
          "'integer' AND captured_cents BETWEEN 0 AND amount_cents\n",
          "payments id=18: captured_cents = 1019 (amount_cents = 1018) violates",
          "payments id=19: avs_result = 'Y'", "order_items id=4: quantity = 'abc'",
          "order_items id=6: quantity = 1.5", "inventory warehouse_id=4 sku_id=3: on_hand = 'lots'",
          "orders id=9: grand_total_cents = 'n/a'", "7 values in existing rows break",
          "still at schema version 2", "Correct or delete these rows, then run `olmd init-db` again"})
        EXPECT_TRUE(has(r.err, line)) << line << "\n" << r.err;
    EXPECT_EQ(t.scalar("PRAGMA user_version"), kBeforeChecks);
    EXPECT_EQ(contents(t), rows);
    EXPECT_EQ(schema(t), before);
    EXPECT_EQ(read_file(t.path()), bytes);
}

TEST_F(StoreSchemaMigration3, DB_InitDbMigratesAVersion2DatabaseToVersion3) {
    populate(t, 100);
    add_back_office_extras(t);
    const std::string rows = contents(t, "sandbox_ledger");
    const std::string config = t.dir().file("olmd.toml");
    write_file(config, "[daemon]\ndatabase = \"" + t.path() + "\"\ntimezone = \"America/New_York\"\n");
    auto r = run_olmd({"--config", config, "init-db", "--no-zips"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(has(r.out, "schema version 2 -> " + std::to_string(store::known_schema_version()) +
                               " (applied 0003_check_constraints.sql")) << r.out;
    EXPECT_EQ(t.scalar("PRAGMA user_version"), store::known_schema_version());
    // Every row kept; later migrations may add columns to olmd's own sandbox ledger.
    EXPECT_EQ(contents(t, "sandbox_ledger"), rows);
}

}  // namespace
}  // namespace olmd::test
