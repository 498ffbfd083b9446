// What migration 0003's CHECK constraints reject afterwards (text, fractions, out of range,
// flags, enumerations) and accept, and the check directives of the migration file: every rule
// has a bad value tested, malformed directives are errors, table checks go last.
#include "store/rebuild_table.hpp"
#include "unit/store_migration_fixture.hpp"

namespace olmd::test {
namespace {

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

}  // namespace
}  // namespace olmd::test
