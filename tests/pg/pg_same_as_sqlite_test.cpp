// PG-1 "every job, rule and command behaves exactly as on SQLite": the same generated back office
// (scripts/gen-orders, seeded) is loaded into a SQLite file and, with scripts/pg-load-sqlite, into a
// fresh PostgreSQL database; the real binary runs the same job on both with the same configuration and
// --now, and every row the job writes (statuses, history with reasons, allocations, shipments and their
// items, inventory counts, purchase-order-queue lines, payments) must be the same on both.
#include <sys/stat.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

#include "pg/pg_test_server.hpp"
#include "support/process.hpp"
#include "support/stripe_test_server.hpp"
#include "support/temp_dir.hpp"

namespace olmd::test {
namespace {

const char* kNow = "2026-11-22T12:00:00Z";

/// The fraud section of scripts/bench (every test on, IP lookups from the MaxMind test database).
std::string fraud_config() {
    return "[fraud]\nenabled = true\nstatuses = [\"Ready to Process\"]\n"
           "[fraud.grand_total]\nenabled = true\nthreshold = \"500\"\n"
           "[fraud.shipping_method]\nenabled = true\nmethods = [\"Next Day Air\"]\n"
           "[fraud.grand_total_and_shipping_method]\nenabled = true\n"
           "[fraud.compare_states]\nenabled = true\n[fraud.international_billing]\nenabled = true\n"
           "[fraud.compare_zips]\nenabled = true\n"
           "[fraud.blacklist]\ncheck_zips = true\nzips = [\"10465\", \"33130\"]\ncheck_cities = true\n"
           "cities = [\"Las Vegas\", \"Miami\"]\ncheck_states = true\nstates = [\"NM\", \"Alaska\"]\n"
           "check_names = true\nnames = [\"John Smith\", \"Jane Doe\"]\n"
           "check_emails = true\nemails = [\"fraudster@example.com\", \"chargeback@mailinator.com\"]\n"
           "[fraud.avs]\nenabled = true\n[fraud.cvv]\nenabled = true\n"
           "[fraud.ip_address]\nenabled = true\nservice = \"mmdb\"\ndatabase = \"" +
           std::string(OLMD_SOURCE_DIR) + "/tests/data/maxmind/GeoIP2-City-Test.mmdb\"\n";
}

/// What each comparison reads: portable SQL, one text per row.
const std::vector<std::pair<std::string, std::string>> kRows = {
    {"orders", "SELECT o.order_number || '|' || s.name FROM orders o JOIN order_statuses s ON s.id = o.status_id "
               "ORDER BY o.id"},
    {"history", "SELECT h.order_id || '|' || h.from_status_id || '|' || h.to_status_id || '|' || h.job || '|' || "
                "h.run_id || '|' || h.reason FROM order_status_history h ORDER BY h.order_id, h.id"},
    {"allocations", "SELECT a.order_item_id || '|' || a.kind || '|' || coalesce(a.warehouse_id, 0) || '|' || "
                    "coalesce(a.vendor_id, 0) || '|' || a.quantity || '|' || coalesce(a.run_id, 0) FROM allocations a "
                    "ORDER BY a.order_item_id, a.kind, a.warehouse_id, a.vendor_id, a.quantity"},
    {"shipments", "SELECT s.order_id || '|' || s.warehouse_id || '|' || s.status || '|' || s.run_id FROM shipments s "
                  "ORDER BY s.order_id, s.warehouse_id, s.id"},
    {"shipment_items", "SELECT s.order_id || '|' || s.warehouse_id || '|' || i.order_item_id || '|' || i.quantity "
                       "FROM shipment_items i JOIN shipments s ON s.id = i.shipment_id "
                       "ORDER BY s.order_id, s.warehouse_id, i.order_item_id"},
    {"inventory", "SELECT warehouse_id || '|' || sku_id || '|' || on_hand || '|' || allocated FROM inventory "
                  "ORDER BY warehouse_id, sku_id"},
    {"purchase_order_queue", "SELECT q.order_item_id || '|' || q.sku_id || '|' || q.vendor_id || '|' || q.quantity || "
                             "'|' || q.fulfillment_method || '|' || coalesce(q.po_method, '') || '|' || "
                             "coalesce(q.po_template, '') || '|' || q.run_id FROM purchase_order_queue q "
                             "ORDER BY q.order_item_id, q.vendor_id, q.id"},
    {"journal", "SELECT g.payment_id || '|' || g.operation || '|' || g.amount_cents || '|' || g.state || '|' || "
                "g.attempt || '|' || g.idempotency_key || '|' || coalesce(g.purpose, '') || '|' || "
                "coalesce(g.response_code, '') FROM gateway_operations g ORDER BY g.id"},
    {"payments", "SELECT id || '|' || order_id || '|' || method || '|' || status || '|' || amount_cents || '|' || "
                 "captured_cents || '|' || coalesce(replaces_payment_id, 0) FROM payments ORDER BY id"},
};

class PgSameAsSqlite : public ::testing::Test {
protected:
    /// Generates n orders of profile (seed) into the SQLite file, makes the PG schema (init-db) and
    /// copies the SQLite rows into it (scripts/pg-load-sqlite); writes both configurations with the job
    /// section job_toml.
    void generate(const std::string& profile, int n, int seed, const std::string& job_toml,
                  const std::string& lite_extra = "", const std::string& pg_extra = "") {
        auto gen = run_process("/usr/bin/python3", {std::string(OLMD_SOURCE_DIR) + "/scripts/gen-orders", lite, "--orders",
                                           std::to_string(n), "--seed", std::to_string(seed), "--profile", profile,
                                           "--now", kNow, "--zips"});
        ASSERT_EQ(gen.exit_code, 0) << gen.out << gen.err;
        password_file = write_password_file(dir, "pw", pg_server().password);
        const std::string common = "log_level = \"warn\"\n" + job_toml;
        write_file(lite_toml, "[daemon]\ndatabase = \"" + lite + "\"\ntimezone = \"UTC\"\nlock_file = \"" +
                                  dir.file("lite.lock") + "\"\n" + common + lite_extra);
        pg_toml = write_pg_config(dir, db.uri(), password_file, common + pg_extra);
        auto init = run_olmd({"--config", pg_toml, "init-db", "--no-zips"});
        ASSERT_EQ(init.exit_code, 0) << init.err;
        auto load = run_process(std::string(OLMD_SOURCE_DIR) + "/scripts/pg-load-sqlite",
                                {lite, pg_server().uri(db.name()), "--password-file", password_file});
        ASSERT_EQ(load.exit_code, 0) << load.out << load.err;
    }

    /// Runs `run-once --jobs job` on both databases; both must succeed with the same report table.
    void run_both(const std::string& job) {
        auto a = run_olmd({"--config", lite_toml, "run-once", "--jobs", job, "--now", kNow});
        auto b = run_olmd({"--config", pg_toml, "run-once", "--jobs", job, "--now", kNow});
        ASSERT_EQ(a.exit_code, 0) << a.out << a.err;
        ASSERT_EQ(b.exit_code, 0) << b.out << b.err;
        EXPECT_EQ(counts(a.out), counts(b.out)) << a.out << "\n---\n" << b.out;
    }

    /// The report's job lines without the seconds column.
    static std::string counts(const std::string& report) {
        std::string out;
        std::size_t at = report.find('\n', report.find("seconds"));
        while (at != std::string::npos && at + 1 < report.size()) {
            const std::size_t end = report.find('\n', at + 1);
            std::string line = report.substr(at + 1, end - at - 1);
            out += line.substr(0, line.find_last_of(' ')) + "\n";
            at = end;
        }
        return out;
    }

    std::vector<std::string> sqlite_rows(const std::string& sql) {
        SQLite::Database d(lite, SQLite::OPEN_READONLY);
        SQLite::Statement q(d, sql);
        std::vector<std::string> rows;
        while (q.executeStep()) rows.push_back(q.getColumn(0).isNull() ? "NULL" : q.getColumn(0).getString());
        return rows;
    }

    std::vector<std::string> pg_rows(const std::string& sql) {
        pqxx::connection c(pg_server().conninfo(db.name()));
        pqxx::work w(c);
        std::vector<std::string> rows;
        for (const auto& r : w.exec(sql)) rows.push_back(r[0].is_null() ? "NULL" : r[0].as<std::string>());
        return rows;
    }

    /// Every kRows table is the same on both; returns how many history rows the job wrote.
    std::size_t expect_same_rows() {
        for (const auto& [name, sql] : kRows) {
            const auto a = sqlite_rows(sql), b = pg_rows(sql);
            EXPECT_EQ(a.size(), b.size()) << name;
            for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
                if (a[i] != b[i]) {
                    ADD_FAILURE() << name << " row " << i << ": SQLite " << a[i] << " / PostgreSQL " << b[i];
                    break;
                }
        }
        return sqlite_rows(kRows[1].second).size();
    }

    void payment_job(const std::string& profile, int seed, const std::string& job_toml, const std::string& job,
                     std::size_t min_journal);

    TempDir dir;
    PgTestDatabase db;
    std::string lite = dir.file("lite.db");
    std::string lite_toml = dir.file("lite.toml");
    std::string pg_toml;
    std::string password_file;
};

TEST_F(PgSameAsSqlite, PG1_FraudWritesTheSameRowsAsOnSqlite) {
    ASSERT_NO_FATAL_FAILURE(generate("fraud", 1500, 11, fraud_config()));
    ASSERT_NO_FATAL_FAILURE(run_both("fraud"));
    EXPECT_GT(expect_same_rows(), 1000u) << "the fraud job moved most orders";
    // A second run selects nothing new on either.
    ASSERT_NO_FATAL_FAILURE(run_both("fraud"));
    expect_same_rows();
}

TEST_F(PgSameAsSqlite, PG1_SourcingWritesTheSameRowsAsOnSqlite) {
    ASSERT_NO_FATAL_FAILURE(generate("sourcing", 1500, 12,
                                     "[sourcing]\nenabled = true\nstatuses = [\"Ready to Source\"]\n"
                                     "[fulfillment]\nrule = \"manual_priority\"\nsplit = true\n"));
    ASSERT_NO_FATAL_FAILURE(run_both("sourcing"));
    EXPECT_GT(expect_same_rows(), 500u);
    EXPECT_GT(sqlite_rows(kRows[2].second).size(), 1000u) << "allocations were written";
    ASSERT_NO_FATAL_FAILURE(run_both("sourcing"));
    expect_same_rows();
}

TEST_F(PgSameAsSqlite, PG1_SourcingByDistanceWithoutSplitWritesTheSameRows) {
    ASSERT_NO_FATAL_FAILURE(generate("sourcing", 1000, 14,
                                     "[sourcing]\nenabled = true\nstatuses = [\"Ready to Source\"]\n"
                                     "[fulfillment]\nrule = \"closest\"\nsplit = false\n"));
    ASSERT_NO_FATAL_FAILURE(run_both("sourcing"));
    expect_same_rows();
}

/// Generates profile's orders and runs job on both backends, each against its own Stripe-subset server
/// (neither losing answers, so both see the same gateway); the same rows, and at least min_journal
/// journal rows.
void PgSameAsSqlite::payment_job(const std::string& profile, int seed, const std::string& job_toml,
                                 const std::string& job, std::size_t min_journal) {
    StripeServerOptions o;
    o.autocreate = true;
    StripeTestServer lite_server(o), pg_side(o);
    const std::string key = dir.file("stripe.key");
    write_file(key, lite_server.api_key() + "\n");
    ::chmod(key.c_str(), 0600);
    auto gateway = [&](const StripeTestServer& s) {
        return "[gateway]\nkind = \"stripe\"\nurl = \"" + s.url() + "\"\napi_key_file = \"" + key +
               "\"\nconcurrency = 4\n";
    };
    ASSERT_NO_FATAL_FAILURE(generate(profile, 400, seed, job_toml, gateway(lite_server), gateway(pg_side)));
    ASSERT_NO_FATAL_FAILURE(run_both(job));
    expect_same_rows();
    EXPECT_GT(sqlite_rows(kRows[7].second).size(), min_journal) << "the gateway calls were journaled";
    EXPECT_EQ(lite_server.applied(), pg_side.applied());
}

TEST_F(PgSameAsSqlite, PG1_CaptureWritesTheSameRowsAsOnSqlite) {
    payment_job("capture", 13,
                "[capture]\nenabled = true\nstatuses = [\"Ready to Process\"]\navailable_when = \"order_created\"\n",
                "capture", 300);
}

TEST_F(PgSameAsSqlite, PG1_ReauthWritesTheSameRowsAsOnSqlite) {
    payment_job("reauth", 15,
                "[reauth]\nenabled = true\nstatuses = [\"Ready to Process\"]\nafter_days = 6\n"
                "order = \"void_then_authorize\"\n",
                "reauth", 100);
}

}  // namespace
}  // namespace olmd::test
