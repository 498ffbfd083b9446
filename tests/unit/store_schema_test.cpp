// The database contract of database.md, column for column, and init-db's
// migration behaviour (idempotent, versioned, refuses newer schemas).
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <map>
#include <set>
#include <vector>

#include "olmd/store/migrations.hpp"
#include "support/test_db.hpp"

namespace olmd::test {
namespace {

using Columns = std::vector<std::string>;

// database.md, verbatim: every table and column the back office and tests rely on.
const std::map<std::string, Columns>& contract() {
    static const std::map<std::string, Columns> c = {
        {"order_statuses", {"id", "name"}},
        {"channels", {"id", "name"}},
        {"shipping_methods", {"id", "name", "is_cod"}},
        {"warehouses", {"id", "name", "priority", "postal_code", "latitude", "longitude", "active"}},
        {"vendors", {"id", "name", "default_po_method", "default_po_template", "active"}},
        {"skus", {"id", "code", "kind", "fulfillment_method", "default_vendor_id"}},
        {"inventory", {"warehouse_id", "sku_id", "on_hand", "allocated"}},
        {"vendor_stock", {"vendor_id", "sku_id", "quantity"}},
        {"zip_codes", {"zip", "state", "latitude", "longitude"}},
        {"orders",
         {"id", "order_number", "channel_id", "status_id", "shipping_method_id", "created_at", "grand_total_cents",
          "is_delayed_delivery", "is_club", "ip_address", "bill_first_name", "bill_last_name", "bill_address1",
          "bill_address2", "bill_city", "bill_state", "bill_zip", "bill_country", "bill_email", "ship_first_name",
          "ship_last_name", "ship_address1", "ship_address2", "ship_city", "ship_state", "ship_zip", "ship_country",
          "ship_email", "updated_at"}},
        {"order_items", {"id", "order_id", "sku_id", "quantity", "unit_price_cents", "parent_item_id"}},
        {"reservations", {"id", "order_item_id", "warehouse_id", "quantity"}},
        {"payments",
         {"id", "order_id", "method", "status", "amount_cents", "captured_cents", "card_token", "customer_ref",
          "gateway_ref", "created_at", "authorized_at", "captured_at", "avs_result", "cvv_result", "reauth_attempts",
          "last_attempt_at", "replaces_payment_id"}},
        {"order_status_history",
         {"id", "order_id", "from_status_id", "to_status_id", "job", "run_id", "reason", "changed_at"}},
        {"automation_runs",
         {"id", "fire_at", "started_at", "finished_at", "jobs", "outcome", "trigger", "summary", "warning_sent_at",
          "host"}},
        {"gateway_operations",
         {"id", "payment_id", "operation", "amount_cents", "idempotency_key", "state", "gateway_ref", "response_code",
          "run_id", "created_at", "completed_at"}},
        {"allocations",
         {"id", "order_item_id", "kind", "quantity", "warehouse_id", "vendor_id", "shipment_id", "run_id",
          "created_at"}},
        {"shipments", {"id", "order_id", "warehouse_id", "status", "run_id", "created_at"}},
        {"shipment_items", {"shipment_id", "order_item_id", "quantity"}},
        {"purchase_order_queue",
         {"id", "order_item_id", "sku_id", "vendor_id", "quantity", "fulfillment_method", "po_method", "po_template",
          "run_id", "created_at"}},
    };
    return c;
}

// Columns database.md allows to be NULL; every other contract column must be NOT NULL.
const std::set<std::string> kNullable = {
    "warehouses.postal_code", "warehouses.latitude", "warehouses.longitude", "vendors.default_po_method",
    "vendors.default_po_template", "skus.default_vendor_id", "orders.shipping_method_id", "orders.ip_address",
    "order_items.parent_item_id", "payments.card_token", "payments.customer_ref", "payments.gateway_ref",
    "payments.authorized_at", "payments.captured_at", "payments.avs_result", "payments.cvv_result",
    "payments.last_attempt_at", "payments.replaces_payment_id", "automation_runs.finished_at",
    "automation_runs.warning_sent_at", "gateway_operations.gateway_ref", "gateway_operations.response_code",
    "gateway_operations.completed_at", "allocations.warehouse_id", "allocations.vendor_id",
    "allocations.shipment_id", "purchase_order_queue.po_method", "purchase_order_queue.po_template"};

bool nullable_column(const std::string& table, const std::string& col) {
    if (table == "orders" && (col.rfind("bill_", 0) == 0 || col.rfind("ship_", 0) == 0) && col != "shipping_method_id")
        return true;  // billing and shipping address fields are all TEXT NULL
    return kNullable.count(table + "." + col) > 0;
}

std::string dump_schema(TestDb& t) {
    std::string out;
    SQLite::Statement q(t.db().raw(), "SELECT type, name, sql FROM sqlite_master ORDER BY type, name");
    while (q.executeStep())
        out += q.getColumn(0).getString() + " " + q.getColumn(1).getString() + " " +
               (q.getColumn(2).isNull() ? "" : q.getColumn(2).getString()) + "\n";
    return out;
}

TEST(StoreSchema, EveryContractColumnExistsWithItsNullability) {
    TestDb t;
    for (const auto& [table, cols] : contract()) {
        std::map<std::string, bool> notnull;
        SQLite::Statement q(t.db().raw(), "PRAGMA table_info(" + table + ")");
        while (q.executeStep()) notnull[q.getColumn(1).getString()] = q.getColumn(3).getInt() != 0;
        ASSERT_FALSE(notnull.empty()) << "missing table " << table;
        for (const auto& c : cols) {
            ASSERT_TRUE(notnull.count(c)) << table << "." << c << " missing";
            const bool nullable = nullable_column(table, c);
            // Integer primary keys are NOT NULL by nature even when not declared so.
            if (c == "id") continue;
            EXPECT_EQ(notnull[c], !nullable) << table << "." << c;
        }
    }
}

// database.md's integer money, quantity, count and flag columns: each CHECKs its storage type
// (INTEGER affinity keeps 'abc' as TEXT and 1.5 as REAL) along with its range (migration 0003).
TEST(StoreSchema, IntegerAmountQuantityAndFlagColumnsCheckTheirStorageType) {
    TestDb t;
    for (const std::string col :
         {"shipping_methods.is_cod", "warehouses.priority", "warehouses.active", "vendors.active", "inventory.on_hand",
          "inventory.allocated", "vendor_stock.quantity", "orders.grand_total_cents", "orders.is_delayed_delivery",
          "orders.is_club", "order_items.quantity", "order_items.unit_price_cents", "reservations.quantity",
          "payments.amount_cents", "payments.captured_cents", "payments.reauth_attempts",
          "gateway_operations.amount_cents", "allocations.quantity", "shipment_items.quantity",
          "purchase_order_queue.quantity"}) {
        const auto dot = col.find('.');
        const std::string sql =
            t.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = " + sql_quote(col.substr(0, dot)));
        EXPECT_NE(sql.find("CHECK (typeof(" + col.substr(dot + 1) + ") = 'integer'"), std::string::npos) << col;
    }
    const std::string payments = t.text("SELECT sql FROM sqlite_master WHERE name = 'payments'");
    EXPECT_NE(payments.find("captured_cents BETWEEN 0 AND amount_cents"), std::string::npos);
    for (const char* col : {"avs_result", "cvv_result"})
        EXPECT_NE(payments.find(std::string(col) + " IS NULL OR " + col + " IN ('match', 'mismatch', 'unavailable')"),
                  std::string::npos)
            << col;
}

TEST(StoreSchema, ForeignKeysAreEnforced) {
    TestDb t;
    EXPECT_EQ(t.scalar("PRAGMA foreign_keys"), 1);
    EXPECT_THROW(t.exec("INSERT INTO order_items (order_id, sku_id, quantity, unit_price_cents) VALUES (999, 999, 1, 1)"),
                 SQLite::Exception);
}

TEST(StoreSchema, OPS7_DatabaseIsInWalMode) {
    TestDb t;
    EXPECT_EQ(t.text("PRAGMA journal_mode"), "wal");
}

TEST(StoreSchema, SeedHasEveryLifecycleAndDefaultStatusAndChannel) {
    TestDb t;
    for (const char* s :
         {"Auction Awaiting Checkout", "Awaiting Payment", "Credit Card Declined", "In PayPal Checkout",
          "PayPal Checkout Issue", "Ready to Process", "Ready to Source", "In Shipping", "Partially Shipped",
          "Awaiting Inventory", "Awaiting Drop-ship Confirmation", "Shipped", "Voided", "CC Exceptions",
          "Non Compliant", "Requires Manual Sourcing", "Inv. Automation Exceptions", "Format Exception", "On Hold",
          "Club CC Exception", "No Shipping Method", "Gift Certificates Only", "Club Membership Only"})
        EXPECT_EQ(t.scalar("SELECT count(*) FROM order_statuses WHERE name = " + sql_quote(s)), 1) << s;
    for (const char* c : {"POS", "SOI", "Website", "eBay", "Order Manager"})
        EXPECT_EQ(t.scalar("SELECT count(*) FROM channels WHERE name = " + sql_quote(c)), 1) << c;
    // Names are case-insensitive.
    EXPECT_EQ(t.scalar("SELECT count(*) FROM order_statuses WHERE name = 'ready TO source'"), 1);
}

TEST(StoreSchema, MigrationsAppliedTwiceChangeNothing) {
    TestDb t;
    t.exec("INSERT INTO order_statuses (name) VALUES ('Operator Status')");
    const std::string schema = dump_schema(t);
    const auto statuses = t.scalar("SELECT count(*) FROM order_statuses");
    auto again = store::migrate(t.db());
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_TRUE(again->applied.empty());
    EXPECT_EQ(again->seeded_rows, 0);
    EXPECT_EQ(dump_schema(t), schema);
    EXPECT_EQ(t.scalar("SELECT count(*) FROM order_statuses"), statuses);
    EXPECT_EQ(t.scalar("PRAGMA user_version"), store::known_schema_version());
}

TEST(StoreSchema, NewerSchemaIsRefusedAndLeftUntouched) {
    TestDb t;
    const int newer = store::known_schema_version() + 1;
    t.exec("PRAGMA user_version = " + std::to_string(newer));
    auto m = store::migrate(t.db());
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.error().code, 4);
    EXPECT_NE(m.error().message.find("newer"), std::string::npos);
    EXPECT_EQ(t.scalar("PRAGMA user_version"), newer);
    EXPECT_FALSE(store::require_current_schema(t.db()).ok());
}

TEST(StoreSchema, IndexesCoverJobSelections) {
    TestDb t;
    for (const char* idx : {"orders_status", "payments_method_status", "payments_order", "order_items_order",
                            "order_status_history_order", "allocations_item", "shipments_order"})
        EXPECT_EQ(t.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = " + sql_quote(idx)), 1)
            << idx;
}

}  // namespace
}  // namespace olmd::test
