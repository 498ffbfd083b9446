// PG-1: the PostgreSQL schema olmd init-db creates is database.md's contract with the mapped
// types (compared column by column with the SQLite schema of sql/), its CHECKs, foreign keys,
// case-insensitive names and indexes; init-db is idempotent, safe to run concurrently, and refuses
// a database newer than the binary.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <thread>
#include <vector>

#include "olmd/store/database.hpp"
#include "olmd/store/migrations.hpp"
#include "olmd/store/pg_migrations.hpp"
#include "pg/pg_test_server.hpp"
#include "support/process.hpp"

namespace olmd::test {
namespace {

/// A column as the SQLite schema declares it.
struct SqliteColumn {
    std::string type;
    bool not_null = false;
    bool primary_key = false;
    bool flag = false;  ///< CHECK (col IN (0, 1)): a boolean on PostgreSQL
};

/// Every table of a database made by the SQLite migrations, with its columns.
std::map<std::string, std::map<std::string, SqliteColumn>> sqlite_schema(const TempDir& dir) {
    store::OpenOptions o;
    o.create = true;
    auto db = store::Database::open(dir.file("schema.db"), o);
    if (!db) throw std::runtime_error(db.error().message);
    if (auto rep = store::migrate(**db); !rep) throw std::runtime_error(rep.error().message);
    SQLite::Database& raw = (*db)->raw();
    std::map<std::string, std::map<std::string, SqliteColumn>> out;
    SQLite::Statement tables(
        raw, "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    while (tables.executeStep()) {
        const std::string table = tables.getColumn(0).getString();
        const std::string sql = tables.getColumn(1).getString();
        SQLite::Statement cols(raw, "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?)");
        cols.bind(1, table);
        while (cols.executeStep()) {
            SqliteColumn c;
            const std::string name = cols.getColumn(0).getString();
            c.type = cols.getColumn(1).getString();
            c.not_null = cols.getColumn(2).getInt() != 0;
            c.primary_key = cols.getColumn(3).getInt() != 0;
            c.flag = std::regex_search(sql, std::regex("\\b" + name + " IN \\(0, 1\\)"));
            out[table][name] = c;
        }
    }
    return out;
}

/// The PostgreSQL type database.md maps a SQLite column to.
std::string mapped_type(const std::string& name, const SqliteColumn& c) {
    if (c.type == "INTEGER") return c.flag ? "boolean" : "bigint";
    if (c.type == "REAL") return "double precision";
    if (c.type == "TEXT") return name.ends_with("_at") ? "timestamp with time zone" : "text";
    return "unmapped SQLite type " + c.type;
}

class PgSchema : public ::testing::Test {
protected:
    void SetUp() override {
        password_file = write_password_file(dir, "pgpass", pg_server().password);
        config = write_pg_config(dir, db.uri(), password_file);
    }
    ProcessResult init_db() { return run_olmd({"--config", config, "init-db", "--no-zips"}); }
    /// Runs sql expecting PostgreSQL to refuse it with SQLSTATE state; the message says which.
    std::string refused_with(const std::string& sql) {
        auto c = db.connect();
        try {
            pqxx::work w(c);
            w.exec(sql);
            w.commit();
        } catch (const pqxx::sql_error& e) {
            return e.sqlstate();
        }
        return "accepted";
    }
    TempDir dir;
    PgTestDatabase db;
    std::string password_file, config;
};

TEST_F(PgSchema, PG1_EveryContractColumnHasTheMappedType) {
    ASSERT_EQ(init_db().exit_code, 0);
    const auto sqlite = sqlite_schema(dir);
    ASSERT_GT(sqlite.size(), 15u);
    auto c = db.connect();
    pqxx::work w(c);
    std::set<std::string> pg_tables;
    for (const auto& row :
         w.exec("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"))
        pg_tables.insert(row[0].as<std::string>());
    for (const auto& [table, columns] : sqlite) {
        EXPECT_TRUE(pg_tables.count(table)) << "table " << table << " is missing on PostgreSQL";
        std::map<std::string, std::vector<std::string>> pg;
        for (const auto& row : w.exec_params("SELECT column_name, data_type, is_nullable, is_identity FROM "
                                             "information_schema.columns WHERE table_schema = 'public' AND "
                                             "table_name = $1",
                                             table))
            pg[row[0].as<std::string>()] = {row[1].as<std::string>(), row[2].as<std::string>(),
                                            row[3].as<std::string>()};
        EXPECT_EQ(pg.size(), columns.size()) << table;
        for (const auto& [name, col] : columns) {
            const auto it = pg.find(name);
            if (it == pg.end()) {
                ADD_FAILURE() << table << "." << name << " is missing on PostgreSQL";
                continue;
            }
            EXPECT_EQ(it->second[0], mapped_type(name, col)) << table << "." << name;
            const std::string nullable = (col.primary_key || col.not_null) ? "NO" : "YES";
            EXPECT_EQ(it->second[1], nullable) << table << "." << name << " is_nullable";
            if (name == "id" && col.primary_key) {
                EXPECT_EQ(it->second[2], "YES") << table << ".id identity";
            }
        }
    }
    // schema_migrations is PostgreSQL's own bookkeeping; nothing else is added.
    for (const auto& t : pg_tables) EXPECT_TRUE(sqlite.count(t) || t == "schema_migrations") << t;
}

TEST_F(PgSchema, PG1_EveryIndexOfTheSqliteSchemaExists) {
    ASSERT_EQ(init_db().exit_code, 0);
    store::OpenOptions o;
    o.create = true;
    auto lite = store::Database::open(dir.file("idx.db"), o);
    ASSERT_TRUE(lite);
    ASSERT_TRUE(store::migrate(**lite));
    SQLite::Statement q(
        (*lite)->raw(),
        "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'");
    int checked = 0;
    while (q.executeStep()) {
        const std::string name = q.getColumn(0).getString();
        const std::string table = q.getColumn(1).getString();
        EXPECT_EQ(db.value("SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' AND indexname = '" +
                           name + "' AND tablename = '" + table + "'"),
                  "1")
            << "index " << name << " on " << table;
        ++checked;
    }
    EXPECT_GT(checked, 30);
}

TEST_F(PgSchema, PG1_SeedMatchesTheSqliteSeed) {
    ASSERT_EQ(init_db().exit_code, 0);
    store::OpenOptions o;
    o.create = true;
    auto lite = store::Database::open(dir.file("seed.db"), o);
    ASSERT_TRUE(lite);
    ASSERT_TRUE(store::migrate(**lite));
    for (const std::string table : {"order_statuses", "channels"}) {
        std::set<std::string> expected, got;
        SQLite::Statement q((*lite)->raw(), "SELECT name FROM " + table);
        while (q.executeStep()) expected.insert(q.getColumn(0).getString());
        auto c = db.connect();
        pqxx::work w(c);
        for (const auto& row : w.exec("SELECT name FROM " + table)) got.insert(row[0].as<std::string>());
        EXPECT_EQ(got, expected) << table;
        EXPECT_FALSE(got.empty()) << table;
    }
}

TEST_F(PgSchema, PG1_NamesAreUniqueCaseInsensitively) {
    ASSERT_EQ(init_db().exit_code, 0);
    EXPECT_EQ(refused_with("INSERT INTO order_statuses (name) VALUES ('ON HOLD')"), "23505");
    EXPECT_EQ(refused_with("INSERT INTO channels (name) VALUES ('website')"), "23505");
    db.exec("INSERT INTO shipping_methods (name) VALUES ('Ground')");
    EXPECT_EQ(refused_with("INSERT INTO shipping_methods (name) VALUES ('GROUND')"), "23505");
    db.exec("INSERT INTO warehouses (name) VALUES ('Main')");
    EXPECT_EQ(refused_with("INSERT INTO warehouses (name) VALUES ('main')"), "23505");
    EXPECT_EQ(refused_with("INSERT INTO order_statuses (name) VALUES ('Brand New Status')"), "accepted");
}

TEST_F(PgSchema, PG1_ChecksAndForeignKeysRejectBadRows) {
    ASSERT_EQ(init_db().exit_code, 0);
    db.exec(R"sql(
        INSERT INTO warehouses (id, name) VALUES (1, 'Main');
        INSERT INTO vendors (id, name) VALUES (1, 'Acme');
        INSERT INTO skus (id, code) VALUES (1, 'SKU1');
        INSERT INTO orders (id, order_number, channel_id, status_id, created_at, grand_total_cents, updated_at)
            VALUES (1, 'A1', (SELECT id FROM channels WHERE name = 'POS'),
                    (SELECT id FROM order_statuses WHERE name = 'Ready to Process'),
                    '2026-01-01T00:00:00Z', 1000, '2026-01-01T00:00:00Z');
        INSERT INTO order_items (id, order_id, sku_id, quantity, unit_price_cents) VALUES (1, 1, 1, 1, 1000);
        INSERT INTO payments (id, order_id, method, status, amount_cents, created_at)
            VALUES (1, 1, 'credit_card', 'authorized', 1000, '2026-01-01T00:00:00Z');
        INSERT INTO automation_runs (id, fire_at, started_at, jobs, outcome, "trigger", host)
            VALUES (1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'capture', 'running', 'manual', 'h');
        INSERT INTO shipments (id, order_id, warehouse_id, run_id, created_at)
            VALUES (1, 1, 1, 1, '2026-01-01T00:00:00Z');
    )sql");
    const char* check_violations[] = {
        "INSERT INTO inventory (warehouse_id, sku_id, on_hand, allocated) VALUES (1, 1, -1, 0)",
        "INSERT INTO inventory (warehouse_id, sku_id, on_hand, allocated) VALUES (1, 1, 0, -1)",
        "INSERT INTO vendor_stock (vendor_id, sku_id, quantity) VALUES (1, 1, -1)",
        "INSERT INTO zip_codes VALUES ('1234', 'CA', 1, 1)",
        "INSERT INTO zip_codes VALUES ('12345', 'CAL', 1, 1)",
        "INSERT INTO skus (code, kind) VALUES ('S2', 'bundle')",
        "INSERT INTO skus (code, fulfillment_method) VALUES ('S3', 'magic')",
        "UPDATE orders SET grand_total_cents = -1",
        "INSERT INTO order_items (order_id, sku_id, quantity, unit_price_cents) VALUES (1, 1, 0, 1)",
        "INSERT INTO order_items (order_id, sku_id, quantity, unit_price_cents) VALUES (1, 1, 1, -1)",
        "INSERT INTO reservations (order_item_id, warehouse_id, quantity) VALUES (1, 1, 0)",
        "UPDATE payments SET method = 'bitcoin'",
        "UPDATE payments SET status = 'lost'",
        "UPDATE payments SET amount_cents = -1",
        "UPDATE payments SET captured_cents = 1001",
        "UPDATE payments SET captured_cents = -1",
        "UPDATE payments SET avs_result = 'maybe'",
        "UPDATE payments SET cvv_result = 'maybe'",
        "UPDATE payments SET reauth_attempts = -1",
        "UPDATE automation_runs SET outcome = 'done'",
        "UPDATE automation_runs SET \"trigger\" = 'cron'",
        "INSERT INTO order_status_history (order_id, from_status_id, to_status_id, job, run_id, reason, "
        "changed_at) "
        "SELECT 1, id, id, 'other', 1, 'r', now() FROM order_statuses LIMIT 1",
        "INSERT INTO gateway_operations (payment_id, operation, amount_cents, idempotency_key, state, "
        "run_id, "
        "created_at) VALUES (1, 'refund', 1, 'k1', 'pending', 1, now())",
        "INSERT INTO gateway_operations (payment_id, operation, amount_cents, idempotency_key, state, "
        "run_id, "
        "created_at) VALUES (1, 'capture', 1, 'k2', 'lost', 1, now())",
        "INSERT INTO gateway_operations (payment_id, operation, amount_cents, idempotency_key, state, "
        "run_id, "
        "created_at) VALUES (1, 'capture', -1, 'k3', 'pending', 1, now())",
        "INSERT INTO gateway_operations (payment_id, operation, amount_cents, idempotency_key, state, "
        "run_id, "
        "created_at, attempt) VALUES (1, 'capture', 1, 'k4', 'pending', 1, now(), 0)",
        "INSERT INTO allocations (order_item_id, kind, quantity, run_id, created_at) VALUES (1, 'lost', 1, "
        "1, now())",
        "INSERT INTO allocations (order_item_id, kind, quantity, run_id, created_at) VALUES (1, 'assigned', "
        "0, 1, now())",
        "INSERT INTO shipment_items (shipment_id, order_item_id, quantity) VALUES (1, 1, 0)",
        "INSERT INTO purchase_order_queue (order_item_id, sku_id, vendor_id, quantity, fulfillment_method, "
        "run_id, "
        "created_at) VALUES (1, 1, 1, 0, 'jit', 1, now())",
        "INSERT INTO purchase_order_queue (order_item_id, sku_id, vendor_id, quantity, fulfillment_method, "
        "run_id, "
        "created_at) VALUES (1, 1, 1, 1, 'stock', 1, now())",
    };
    for (const char* sql : check_violations) EXPECT_EQ(refused_with(sql), "23514") << sql;
    const char* dangling[] = {
        "UPDATE orders SET channel_id = 999999",
        "UPDATE orders SET status_id = 999999",
        "INSERT INTO order_items (order_id, sku_id, quantity, unit_price_cents) VALUES (1, 999999, 1, 1)",
        "INSERT INTO inventory (warehouse_id, sku_id) VALUES (999999, 1)",
        "UPDATE payments SET replaces_payment_id = 999999",
        "UPDATE skus SET default_vendor_id = 999999",
    };
    for (const char* sql : dangling) EXPECT_EQ(refused_with(sql), "23503") << sql;
    // The rows the contract allows are accepted: the checks are not simply refusing everything.
    EXPECT_EQ(
        refused_with("UPDATE payments SET captured_cents = 1000, avs_result = 'match', cvv_result = NULL"),
        "accepted");
    EXPECT_EQ(
        refused_with("INSERT INTO inventory (warehouse_id, sku_id, on_hand, allocated) VALUES (1, 1, 5, 0)"),
        "accepted");
    EXPECT_EQ(refused_with("UPDATE orders SET is_club = true, created_at = '2026-03-08T07:30:00Z'"),
              "accepted");
}

TEST_F(PgSchema, PG1_InitDbTwiceIsANoOp) {
    auto first = init_db();
    ASSERT_EQ(first.exit_code, 0) << first.err;
    EXPECT_NE(first.out.find("schema version 0 -> " + std::to_string(store::known_pg_schema_version())), std::string::npos) << first.out;
    EXPECT_NE(first.out.find("seeded"), std::string::npos) << first.out;
    const std::string statuses = db.value("SELECT count(*) FROM order_statuses");
    const std::string ns = db.value("SELECT value FROM gateway_settings WHERE name = 'key_namespace'");
    EXPECT_EQ(ns.size(), 8u) << ns;
    auto second = init_db();
    ASSERT_EQ(second.exit_code, 0) << second.err;
    EXPECT_NE(second.out.find("up to date (schema version " + std::to_string(store::known_pg_schema_version()) + ")"), std::string::npos) << second.out;
    EXPECT_EQ(second.out.find("seeded"), std::string::npos) << second.out;
    EXPECT_EQ(db.value("SELECT count(*) FROM order_statuses"), statuses);
    EXPECT_EQ(db.value("SELECT count(*) FROM schema_migrations"), std::to_string(store::known_pg_schema_version()));
    EXPECT_EQ(db.value("SELECT value FROM gateway_settings WHERE name = 'key_namespace'"), ns);
    EXPECT_EQ(db.value("SELECT name FROM schema_migrations WHERE version = 1"), "0001_init.sql");
}

TEST_F(PgSchema, PG1_ConcurrentInitDbAppliesEachMigrationOnce) {
    constexpr int kRuns = 4;
    std::vector<ProcessResult> results(kRuns);
    std::vector<std::thread> threads;
    for (int i = 0; i < kRuns; ++i) threads.emplace_back([&, i] { results[i] = init_db(); });
    for (auto& t : threads) t.join();
    // Each migration is applied by exactly one of the runs (one may apply 0001, another 0002 after it).
    std::string all;
    for (const auto& r : results) {
        EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
        all += r.out;
    }
    for (const char* m : {"0001_init.sql", "0002_stock_change_counter.sql"}) {
        std::size_t n = 0;
        for (auto at = all.find(m); at != std::string::npos; at = all.find(m, at + 1)) ++n;
        EXPECT_EQ(n, 1u) << m << " in:\n" << all;
    }
    EXPECT_EQ(db.value("SELECT count(*) FROM schema_migrations"), std::to_string(store::known_pg_schema_version()));
    EXPECT_EQ(db.value("SELECT count(*) FROM gateway_settings"), "1");
    EXPECT_EQ(db.value("SELECT count(*) FROM channels"), "5");
}

TEST_F(PgSchema, PG1_NewerSchemaIsRefused) {
    ASSERT_EQ(init_db().exit_code, 0);
    const int future = store::known_pg_schema_version() + 1;
    db.exec("INSERT INTO schema_migrations (version, name) VALUES (" + std::to_string(future) +
            ", 'future.sql')");
    const std::string statuses = db.value("SELECT count(*) FROM order_statuses");
    auto r = init_db();
    EXPECT_EQ(r.exit_code, 4) << r.out << r.err;
    EXPECT_NE(r.err.find("newer than this olmd understands"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(db.uri()), std::string::npos) << r.err;
    EXPECT_EQ(db.value("SELECT count(*) FROM order_statuses"), statuses);
    auto check = run_olmd({"--config", config, "check-config"});
    EXPECT_EQ(check.exit_code, 4) << check.out << check.err;
    EXPECT_NE(check.err.find("newer than this olmd understands"), std::string::npos) << check.err;
    write_file(dir.file("z.csv"), "zip,state,latitude,longitude\n10001,NY,40.75,-73.99\n");
    auto zips = run_olmd({"--config", config, "import-zips", dir.file("z.csv")});
    EXPECT_EQ(zips.exit_code, 4) << zips.out << zips.err;
    EXPECT_EQ(db.value("SELECT count(*) FROM zip_codes"), "0");
}

}  // namespace
}  // namespace olmd::test
