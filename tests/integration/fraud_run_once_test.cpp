// The fraud job through the real binary: init-db, orders written with SQLite,
// `run-once --jobs fraud`, then statuses, history rows, the run summary, a dry
// run that writes nothing, explain and check-config. The concurrent-change case
// runs the job in-process on the same database, moving an order behind its back. As pg:
// tests the binary runs on the database's PostgreSQL twin (support/pg_mirror.hpp).

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "olmd/jobs/fraud/fraud_job.hpp"
#include "olmd/store/catalog.hpp"
#include "olmd/store/runs.hpp"
#include "support/pg_mirror.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_services.hpp"

namespace olmd::test {
namespace {

const char* kNow = "2026-11-22T12:00:00Z";

std::string mmdb_path() {
    return std::string(OLMD_SOURCE_DIR) + "/tests/data/maxmind/GeoIP2-City-Test.mmdb";
}

class FraudRunOnce : public ::testing::Test {
protected:
    void SetUp() override {
        db = dir.file("olmd.db");
        config = dir.file("olmd.toml");
        write_config(mmdb_path());
        auto init = run_olmd({"--config", config, "init-db"});
        ASSERT_EQ(init.exit_code, 0) << init.err;
        SQLite::Database d(db, SQLite::OPEN_READWRITE);
        d.exec("INSERT INTO shipping_methods (id, name) VALUES (1, 'Ground'), (2, 'Next Day Air')");
    }

    void write_config(const std::string& mmdb) {
        write_file(config,
                   "[daemon]\ndatabase = \"" + db +
                       "\"\ntimezone = \"UTC\"\nbatch_size = 2\n"
                       "[fraud]\nenabled = true\nslots = [\"12:00\"]\nstatuses = [\"Ready to Process\"]\n"
                       "[fraud.grand_total]\nenabled = true\nthreshold = \"500.00\"\n"
                       "[fraud.compare_states]\nenabled = true\n"
                       "[fraud.ip_address]\nenabled = true\nservice = \"mmdb\"\ndatabase = \"" +
                       mmdb +
                       "\"\n"
                       "[fraud.blacklist]\ncheck_emails = true\n"
                       "emails = \"fraudster@example.com, chargeback@mailinator.com\"\n"
                       "[fraud.cvv]\nenabled = true\nfailed_status = \"CC Exceptions\"\n");
    }

    ProcessResult olmd(std::vector<std::string> args) {
        return run_olmd_on_test_backend(twin, dir, db, config, std::move(args));
    }

    /// Inserts an order billed and shipped to Seattle with a Washington IP; `set` overrides columns.
    void order(const std::string& number, const std::string& set = "",
               const std::string& status = "Ready to Process") {
        SQLite::Database d(db, SQLite::OPEN_READWRITE);
        d.exec(
            "INSERT INTO orders (order_number, channel_id, status_id, shipping_method_id, created_at, "
            "grand_total_cents, ip_address, bill_first_name, bill_last_name, bill_state, bill_zip, "
            "bill_country, "
            "bill_email, ship_state, ship_zip, ship_country, updated_at) VALUES ('" +
            number +
            "', (SELECT id FROM channels WHERE name = 'Website'), (SELECT id FROM order_statuses WHERE name "
            "= '" +
            status +
            "'), 1, '2026-11-21T10:00:00Z', 10000, '216.160.83.56', 'Ann', 'Lee', 'WA', '98101', 'US', "
            "'ann@example.com', 'Washington', '98101-0001', 'US', '2026-11-21T10:00:00Z')");
        if (!set.empty()) d.exec("UPDATE orders SET " + set + " WHERE order_number = '" + number + "'");
    }

    std::string query(const std::string& sql) {
        SQLite::Database d(db, SQLite::OPEN_READONLY);
        SQLite::Statement q(d, sql);
        if (!q.executeStep() || q.getColumn(0).isNull()) return "";
        return q.getColumn(0).getString();
    }
    std::string status_of(const std::string& number) {
        return query(
            "SELECT s.name FROM orders o JOIN order_statuses s ON s.id = o.status_id WHERE o.order_number = "
            "'" +
            number + "'");
    }
    std::string reason_of(const std::string& number) {
        return query(
            "SELECT h.reason FROM order_status_history h JOIN orders o ON o.id = h.order_id "
            "WHERE o.order_number = '" +
            number + "' ORDER BY h.id DESC LIMIT 1");
    }
    std::string dump_orders() {
        SQLite::Database d(db, SQLite::OPEN_READONLY);
        SQLite::Statement q(d, "SELECT order_number, status_id, updated_at FROM orders ORDER BY id");
        std::string out;
        while (q.executeStep())
            out += q.getColumn(0).getString() + q.getColumn(1).getString() + q.getColumn(2).getString() + ";";
        return out;
    }

    TempDir dir;
    std::string db, config;
    std::unique_ptr<PgMirror> twin;  ///< the PostgreSQL twin of db (pg: tests)
};

TEST_F(FraudRunOnce, FR11_RunOnceSetsStatusesHistoryAndSummary) {
    order("PASS");
    order("BIG", "grand_total_cents = 50001");
    order("STATE", "ship_state = 'Oregon'");
    order("GEO", "ip_address = '81.2.69.142'");
    order("MAIL", "bill_email = ' Fraudster@Example.com'");
    order("CVV");
    order("PRIV", "ip_address = '192.168.1.9'");
    // Text in an integer column, planted past the CHECK constraints a back office would meet; a
    // PostgreSQL bigint cannot hold it, so the pg: run has no such order.
    const bool plant_bad = !test_backend_is_postgres();
    const int bad = plant_bad ? 1 : 0;
    if (plant_bad) {
        order("BAD");
        SQLite::Database d(db, SQLite::OPEN_READWRITE);
        d.exec("PRAGMA ignore_check_constraints = ON");
        d.exec("UPDATE orders SET grand_total_cents = 'lots' WHERE order_number = 'BAD'");
    }
    order("USNAME", "bill_country = 'United States'");  // a country name is its ISO code, not bad data
    order("HOLD", "grand_total_cents = 99999", "On Hold");
    order("LATER", "", "Ready to Source");
    {
        SQLite::Database d(db, SQLite::OPEN_READWRITE);
        d.exec(
            "INSERT INTO payments (order_id, method, status, amount_cents, created_at, cvv_result) SELECT "
            "id, "
            "'credit_card', 'authorized', 10000, '2026-11-21T10:00:00Z', 'mismatch' FROM orders WHERE "
            "order_number = 'CVV'");
    }

    auto r = olmd({"run-once", "--jobs", "fraud", "--now", kNow});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;

    EXPECT_EQ(status_of("PASS"), "Ready to Source");
    EXPECT_EQ(reason_of("PASS"), "fraud_passed");
    EXPECT_EQ(status_of("BIG"), "Non Compliant");
    EXPECT_EQ(reason_of("BIG"), "fraud_failed:grand_total");
    EXPECT_EQ(reason_of("STATE"), "fraud_failed:compare_states");
    EXPECT_EQ(reason_of("GEO"), "fraud_failed:ip_address");
    EXPECT_EQ(reason_of("MAIL"), "fraud_failed:blacklist_email");
    EXPECT_EQ(status_of("CVV"), "CC Exceptions");
    EXPECT_EQ(reason_of("CVV"), "fraud_failed:cvv");
    EXPECT_EQ(status_of("PRIV"), "Ready to Source");
    EXPECT_EQ(reason_of("PRIV"), "fraud_passed:ip_unknown");
    if (plant_bad) {
        EXPECT_EQ(status_of("BAD"), "Non Compliant");
        EXPECT_EQ(reason_of("BAD"), "bad_data:orders.grand_total_cents");
    }
    EXPECT_EQ(status_of("USNAME"), "Ready to Source");
    EXPECT_EQ(reason_of("USNAME"), "fraud_passed");
    EXPECT_EQ(status_of("HOLD"), "On Hold");
    EXPECT_EQ(reason_of("HOLD"), "");
    EXPECT_EQ(status_of("LATER"), "Ready to Source");
    EXPECT_EQ(reason_of("LATER"), "");

    const std::string run_id = query("SELECT max(id) FROM automation_runs");
    EXPECT_EQ(query("SELECT count(*) FROM order_status_history WHERE job = 'fraud' AND run_id = " + run_id +
                    " AND changed_at = '2026-11-22T12:00:00Z'"),
              std::to_string(8 + bad));
    EXPECT_EQ(query("SELECT outcome FROM automation_runs WHERE id = " + run_id), "succeeded");
    EXPECT_EQ(query("SELECT \"trigger\" FROM automation_runs WHERE id = " + run_id), "manual");
    const auto summary =
        nlohmann::json::parse(query("SELECT summary FROM automation_runs WHERE id = " + run_id));
    ASSERT_TRUE(summary.contains("fraud")) << summary.dump();
    const auto& f = summary["fraud"];
    EXPECT_EQ(f["selected"], 8 + bad);
    EXPECT_EQ(f["changed"], 8 + bad);
    EXPECT_EQ(f["skipped_concurrent"], 0);
    EXPECT_EQ(f["deferred"], 0);
    EXPECT_EQ(f["errors"], bad);
    EXPECT_FALSE(f.contains("failure"));

    // A second run finds nothing left to do.
    auto again = olmd({"run-once", "--jobs", "fraud", "--now", kNow});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    const auto s2 =
        nlohmann::json::parse(query("SELECT summary FROM automation_runs ORDER BY id DESC LIMIT 1"));
    EXPECT_EQ(s2["fraud"]["selected"], 0);
}

TEST_F(FraudRunOnce, FR1_DryRunWritesNothing) {
    order("BIG", "grand_total_cents = 50001");
    order("PASS");
    const std::string before = dump_orders();
    auto r = olmd({"run-once", "--jobs", "fraud", "--now", kNow, "--dry-run"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(
        r.out.find(
            "would change order BIG: Ready to Process -> Non Compliant (fraud: fraud_failed:grand_total)"),
        std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("would change order PASS"), std::string::npos) << r.out;
    EXPECT_EQ(dump_orders(), before);
    EXPECT_EQ(query("SELECT count(*) FROM order_status_history"), "0");
    EXPECT_EQ(query("SELECT count(*) FROM automation_runs"), "0");
}

TEST_F(FraudRunOnce, FR7_ServiceFailureFailsTheRunAndDefers) {
    // The .mmdb is readable but corrupt (run-once does not open it to validate the config):
    // the locator cannot be built, every lookup errors, on_error = defer.
    const std::string corrupt = dir.file("corrupt.mmdb");
    write_file(corrupt, "not a maxmind database");
    write_config(corrupt);
    order("A");
    order("PRIV", "ip_address = '10.1.1.1'");
    auto r = olmd({"run-once", "--jobs", "fraud", "--now", kNow});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_EQ(status_of("A"), "Ready to Process");
    EXPECT_EQ(status_of("PRIV"), "Ready to Source");
    const std::string run_id = query("SELECT max(id) FROM automation_runs");
    EXPECT_EQ(query("SELECT outcome FROM automation_runs WHERE id = " + run_id), "failed");
    const auto f =
        nlohmann::json::parse(query("SELECT summary FROM automation_runs WHERE id = " + run_id))["fraud"];
    EXPECT_EQ(f["deferred"], 1);
    EXPECT_EQ(f["changed"], 1);
    EXPECT_NE(f["failure"].get<std::string>().find("ip_address lookups failed"), std::string::npos)
        << f.dump();
}

TEST_F(FraudRunOnce, FR11_ExplainShowsEveryTest) {
    order("X", "grand_total_cents = 70000");
    auto r = olmd({"explain", "X", "--now", kNow});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("FR-1: selected"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("FR-2 grand_total: FAIL"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("FR-7 ip_address: pass"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("FR-9 blacklist_email: pass"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("reason fraud_failed:grand_total"), std::string::npos) << r.out;
    EXPECT_EQ(status_of("X"), "Ready to Process");
}

TEST_F(FraudRunOnce, FR7_CheckConfigRejectsCorruptMmdb) {
    const std::string corrupt = dir.file("corrupt.mmdb");
    write_file(corrupt, "not a maxmind database at all");
    write_config(corrupt);
    auto r = olmd({"check-config"});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find("fraud.ip_address.database"), std::string::npos) << r.err;
    write_config(mmdb_path());
    auto ok = olmd({"check-config"});
    EXPECT_EQ(ok.exit_code, 0) << ok.err;
}

/// A locator that, during the job's decisions (after the page was read, before the
/// batch is written), moves one order to another status on a second connection.
class MovesOrderBehindTheJob final : public domain::GeoLocator {
public:
    MovesOrderBehindTheJob(std::string db, std::string number)
        : db_(std::move(db)), number_(std::move(number)) {}
    domain::GeoAnswer lookup(const std::string&) override {
        if (!moved_) {
            SQLite::Database d(db_, SQLite::OPEN_READWRITE);
            d.exec(
                "UPDATE orders SET status_id = (SELECT id FROM order_statuses WHERE name = 'Awaiting "
                "Payment') "
                "WHERE order_number = '" +
                number_ + "'");
            moved_ = true;
        }
        return domain::GeoAnswer{domain::GeoStatus::found, {"US", "WA"}, ""};
    }

private:
    std::string db_, number_;
    bool moved_ = false;
};

TEST_F(FraudRunOnce, FR11_ConcurrentChangeIsSkipped) {
    order("A");
    order("B");
    order("C");
    auto database = store::Database::open(db, store::OpenOptions{});
    ASSERT_TRUE(database);
    auto catalog = store::load_catalog(**database);
    ASSERT_TRUE(catalog);
    config::Config cfg;
    cfg.daemon.database = db;
    cfg.fraud.enabled = true;
    cfg.fraud.ip_address.enabled = true;
    const Instant now = *parse_utc(kNow);
    auto run = store::RunRepository(**database).open(now, now, "fraud", store::Trigger::manual, "test");
    ASSERT_TRUE(run);

    jobs::fraud::FraudJob job;
    ::olmd::test::TestServices services(**database, cfg);
    services.use_locator(std::make_unique<MovesOrderBehindTheJob>(db, "A"));
    jobs::JobContext ctx{cfg, services.get(), *catalog, *run, now, false, nullptr, nullptr, nullptr};
    jobs::JobStats stats;
    job.run(ctx, stats);
    EXPECT_TRUE(stats.failure.empty()) << stats.failure;
    EXPECT_EQ(stats.selected, 3);
    EXPECT_EQ(stats.changed, 2);
    EXPECT_EQ(stats.skipped_concurrent, 1);
    EXPECT_EQ(status_of("A"), "Awaiting Payment");  // the back office's change stands
    EXPECT_EQ(reason_of("A"), "");                  // and no history row claims otherwise
    EXPECT_EQ(status_of("B"), "Ready to Source");
    EXPECT_EQ(status_of("C"), "Ready to Source");
}

}  // namespace
}  // namespace olmd::test
