// Migration 0003 on a database that already holds rows: the CHECK constraints of
// database.md added with every row, back-office column, index, trigger and view kept, the
// same schema as a fresh database, and init-db refusing a database whose rows break them
// (listing the rows, bounded per table, changing nothing).
#include <chrono>
#include <iostream>

#include "support/process.hpp"
#include "unit/store_migration_fixture.hpp"

namespace olmd::test {
namespace {

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
