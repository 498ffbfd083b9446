// `olmd run` as systemd runs it: the real binary in the background, a fake
// $NOTIFY_SOCKET, signals, a second instance, the catch-up run at start, the
// metrics textfile and retention after a run, and run-once's metrics. On both backends: in pg: tests
// the database is a PostgreSQL one of the test's own (support/pg_mirror.hpp), named by the config's URI
// (OPS4_SecondInstanceExitsThree stays on SQLite: on PostgreSQL a second `olmd run` is a standby, PgHa).
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <thread>

#include "olmd/core/ids.hpp"
#include "olmd/core/time.hpp"
#include "olmd/domain/clock.hpp"
#include "support/daemon_process.hpp"
#include "support/pg_mirror.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace olmd::test {
namespace {

using namespace std::chrono_literals;

/// Generous: the suite also runs under AddressSanitizer on a loaded machine.
constexpr auto kStartTimeout = 30s;

/// The fraud job's section, around its schedule line.
const char* kFraud = "[fraud]\nenabled = true\nstatuses = [\"Ready to Process\"]\n";
const char* kFraudTests = "[fraud.grand_total]\nenabled = true\nthreshold = \"500.00\"\n";

class Daemon : public ::testing::Test {
protected:
    void SetUp() override {
        db = dir.file("olmd.db");
        config = dir.file("olmd.toml");
        log = dir.file("olmd.log");
        if (test_backend_is_postgres()) twin = std::make_unique<PgMirror>(dir);
        write_config("slots = [\"00:00\"]\n");
        auto init = run_olmd({"--config", config, "init-db"});
        ASSERT_EQ(init.exit_code, 0) << init.err;
    }

    /// [daemon] in UTC on the temp database, the fraud job with `schedule` (a slots or cron line), extra TOML.
    void write_config(const std::string& schedule, const std::string& extra = "") {
        write_file(config, "[daemon]\n" + database() + "timezone = \"UTC\"\n" + extra + kFraud + schedule + kFraudTests);
    }
    /// The [daemon] lines naming the test's database: the SQLite file, or the PostgreSQL twin's URI and
    /// password file.
    std::string database() const {
        if (twin)
            return "database = \"" + twin->uri() + "\"\npassword_file = \"" + twin->password_file() + "\"\n";
        return "database = \"" + db + "\"\n";
    }

    std::unique_ptr<DaemonProcess> start(std::map<std::string, std::string> env = {}) {
        return std::make_unique<DaemonProcess>(olmd_binary(), std::vector<std::string>{"--config", config, "run"},
                                               env, log);
    }

    void exec(const std::string& sql) {
        if (twin) return twin->exec(sql);
        SQLite::Database d(db, SQLite::OPEN_READWRITE);
        d.setBusyTimeout(5000);
        d.exec(sql);
    }
    std::string query(const std::string& sql) {
        if (twin) return twin->value(sql);
        SQLite::Database d(db, SQLite::OPEN_READONLY);
        d.setBusyTimeout(5000);
        SQLite::Statement q(d, sql);
        if (!q.executeStep() || q.getColumn(0).isNull()) return "";
        return q.getColumn(0).getString();
    }

    /// n orders in Ready to Process, one in 100 over the FR-2 threshold.
    void add_orders(int n) {
        exec("WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < " + std::to_string(n) +
             ") INSERT INTO orders (order_number, channel_id, status_id, created_at, grand_total_cents, updated_at) "
             "SELECT 'D-' || i, (SELECT id FROM channels WHERE name = 'Website'), "
             "(SELECT id FROM order_statuses WHERE name = 'Ready to Process'), '2026-11-20T10:00:00Z', "
             "CASE WHEN i % 100 = 0 THEN 90000 ELSE 10000 END, '2026-11-20T10:00:00Z' FROM seq");
    }

    /// A completed scheduled run `minutes_ago`, so that the daemon catches up at start (SCH-5).
    RunId completed_run(int minutes_ago) {
        const std::string t = format_utc(domain::SystemClock().now() - std::chrono::minutes{minutes_ago});
        exec("INSERT INTO automation_runs (fire_at, started_at, finished_at, jobs, outcome, \"trigger\", host) "
             "VALUES ('" + t + "', '" + t + "', '" + t + "', 'fraud', 'succeeded', 'schedule', 'test')");
        return std::stoll(query("SELECT max(id) FROM automation_runs"));
    }

    TempDir dir;
    std::unique_ptr<PgMirror> twin;
    std::string db, config, log;
};

TEST_F(Daemon, OPS1_NotifiesReadyStatusStopping) {
    NotifySocket sock(dir.file("notify"));
    auto d = start({{"NOTIFY_SOCKET", sock.path()}, {"WATCHDOG_USEC", "1000000"}});
    ASSERT_TRUE(sock.wait_for("READY=1", kStartTimeout)) << d->log();
    ASSERT_TRUE(sock.wait_for("STATUS=idle until ", 10s)) << d->log();
    EXPECT_TRUE(sock.wait_for(" 00:00 (fraud)", 1s));
    // WatchdogSec=1s: a ping every half second, from the loop thread.
    const auto pings_before = std::count(sock.received().begin(), sock.received().end(), "WATCHDOG=1");
    std::this_thread::sleep_for(1600ms);
    while (sock.receive(100ms)) {
    }
    const auto pings = std::count(sock.received().begin(), sock.received().end(), "WATCHDOG=1") - pings_before;
    EXPECT_GE(pings, 2) << d->log();
    d->signal(SIGTERM);
    EXPECT_TRUE(sock.wait_for("STOPPING=1", 10s)) << d->log();
    EXPECT_EQ(d->wait_exit(10s), std::optional<int>(0)) << d->log();
}

TEST_F(Daemon, OPS2_SigtermWhileIdleExitsZeroAtOnce) {
    auto d = start();
    ASSERT_TRUE(d->wait_for_log("olmd started", kStartTimeout)) << d->log();
    const auto t0 = std::chrono::steady_clock::now();
    d->signal(SIGTERM);
    EXPECT_EQ(d->wait_exit(10s), std::optional<int>(0)) << d->log();
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
    EXPECT_NE(d->log().find("olmd stopped"), std::string::npos) << d->log();
}

TEST_F(Daemon, OPS2_SigtermExitsZeroAndMarksRunInterrupted) {
    write_config("cron = \"* * * * *\"\n", "batch_size = 200\n");
    add_orders(300000);
    completed_run(5);
    NotifySocket sock(dir.file("notify"));
    auto d = start({{"NOTIFY_SOCKET", sock.path()}});
    // The catch-up run starts at once; SIGTERM once the fraud job is well under way.
    ASSERT_TRUE(sock.wait_for("STATUS=running fraud", kStartTimeout)) << d->log();
    ASSERT_TRUE(eventually([&] { return query("SELECT count(*) FROM order_status_history") != "0"; }, 30s))
        << d->log();
    const auto t0 = std::chrono::steady_clock::now();
    d->signal(SIGTERM);
    EXPECT_EQ(d->wait_exit(20s), std::optional<int>(0)) << d->log();
    const auto took = std::chrono::steady_clock::now() - t0;
    EXPECT_LT(took, 10s);
    EXPECT_EQ(query("SELECT outcome FROM automation_runs ORDER BY id DESC LIMIT 1"), "interrupted") << d->log();
    EXPECT_EQ(query("SELECT \"trigger\" FROM automation_runs ORDER BY id DESC LIMIT 1"), "catch_up");
    EXPECT_NE(query("SELECT finished_at FROM automation_runs ORDER BY id DESC LIMIT 1"), "");
    // Stopped part way: some orders done (each with its history row), the rest untouched.
    const auto changed = std::stoll(query("SELECT count(*) FROM order_status_history"));
    EXPECT_GT(changed, 0);
    EXPECT_LT(changed, 300000);
    EXPECT_EQ(query("SELECT count(*) FROM orders WHERE status_id <> (SELECT id FROM order_statuses WHERE name = "
                    "'Ready to Process')"),
              std::to_string(changed));
    EXPECT_TRUE(sock.wait_for("STOPPING=1", 1s));
}

TEST_F(Daemon, OPS3_SighupWithBrokenConfigKeepsRunning) {
    NotifySocket sock(dir.file("notify"));
    auto d = start({{"NOTIFY_SOCKET", sock.path()}});
    ASSERT_TRUE(sock.wait_for("STATUS=idle until ", kStartTimeout)) << d->log();

    // A typo and a bad value: both are logged, the old config stays in force.
    write_file(config, "[daemon]\n" + database() + "timezone = \"UTC\"\n[fraud]\nenabeld = true\n"
                       "slots = [\"12:15\"]\n");
    d->signal(SIGHUP);
    ASSERT_TRUE(d->wait_for_log("keeping the previous configuration", 10s)) << d->log();
    const std::string out = d->log();
    EXPECT_NE(out.find("enabeld"), std::string::npos) << out;
    EXPECT_NE(out.find("12:15"), std::string::npos) << out;
    std::this_thread::sleep_for(300ms);
    EXPECT_TRUE(d->running());

    // A valid config: the new schedule is in force at once.
    write_config("slots = [\"12:00\"]\n", "log_level = \"debug\"\n");
    d->signal(SIGHUP);
    ASSERT_TRUE(d->wait_for_log("reloaded", 10s)) << d->log();
    EXPECT_TRUE(sock.wait_for(" 12:00 (fraud)", 10s)) << d->log();

    d->signal(SIGTERM);
    EXPECT_EQ(d->wait_exit(10s), std::optional<int>(0)) << d->log();
}

TEST_F(Daemon, OPS4_SecondInstanceExitsThree) {
    auto d = start();
    ASSERT_TRUE(d->wait_for_log("olmd started", kStartTimeout)) << d->log();
    auto second = run_olmd({"--config", config, "run"});
    EXPECT_EQ(second.exit_code, 3) << second.err;
    EXPECT_NE(second.err.find("another olmd"), std::string::npos) << second.err;
    EXPECT_TRUE(d->running());
    d->signal(SIGINT);
    EXPECT_EQ(d->wait_exit(10s), std::optional<int>(0)) << d->log();
}

TEST_F(Daemon, SCH5_CatchUpRunAtStartWritesMetricsAndPurgesOldOperations) {
    const std::string prom = dir.file("olmd.prom");
    write_config("cron = \"* * * * *\"\n", "run_retention_days = 30\n[metrics]\ntextfile = \"" + prom + "\"\n");
    add_orders(100);
    const RunId old_run = completed_run(10);
    // A run left 'running' by a crash, and a finished gateway operation from long ago.
    exec("INSERT INTO automation_runs (fire_at, started_at, jobs, outcome, \"trigger\", host) VALUES "
         "('2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'fraud', 'running', 'schedule', 'test')");
    const std::string crashed = query("SELECT max(id) FROM automation_runs");
    exec("INSERT INTO payments (order_id, method, status, amount_cents, created_at) VALUES "
         "(1, 'credit_card', 'captured', 100, '2020-01-01T00:00:00Z')");
    exec("INSERT INTO gateway_operations (payment_id, operation, amount_cents, idempotency_key, state, run_id, "
         "created_at, completed_at) VALUES (1, 'capture', 100, 'k-old', 'succeeded', " + std::to_string(old_run) +
         ", '2020-01-01T00:00:00Z', '2020-01-01T00:00:01Z')");

    auto d = start();
    ASSERT_TRUE(eventually([&] { return std::filesystem::exists(prom); }, kStartTimeout)) << d->log();
    EXPECT_EQ(query("SELECT outcome FROM automation_runs WHERE id = " + crashed), "crashed");
    EXPECT_EQ(query("SELECT \"trigger\" FROM automation_runs WHERE id > " + crashed + " ORDER BY id LIMIT 1"),
              "catch_up");
    const std::string text = read_file(prom);
    EXPECT_NE(text.find("olmd_job_selected{job=\"fraud\"} 100\n"), std::string::npos) << text;
    EXPECT_NE(text.find("olmd_job_changed{job=\"fraud\"} 100\n"), std::string::npos) << text;
    EXPECT_NE(text.find("olmd_last_run_outcome{outcome=\"succeeded\"} 1\n"), std::string::npos) << text;
    EXPECT_NE(text.find("olmd_warnings_sent_total 0\n"), std::string::npos) << text;
    EXPECT_FALSE(std::filesystem::exists(prom + ".tmp"));
    EXPECT_TRUE(eventually([&] { return query("SELECT count(*) FROM gateway_operations") == "0"; }, 10s))
        << d->log();
    d->signal(SIGTERM);
    EXPECT_EQ(d->wait_exit(10s), std::optional<int>(0)) << d->log();
}

TEST_F(Daemon, RunOnceWritesTheMetricsTextfile) {
    const std::string prom = dir.file("olmd.prom");
    write_config("slots = [\"00:00\"]\n", "[metrics]\ntextfile = \"" + prom + "\"\n");
    add_orders(5);
    auto r = run_olmd({"--config", config, "run-once", "--now", "2026-11-22T12:00:00Z"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string text = read_file(prom);
    EXPECT_NE(text.find("olmd_job_selected{job=\"fraud\"} 5\n"), std::string::npos) << text;
    EXPECT_NE(text.find("# TYPE olmd_last_run_end_timestamp_seconds gauge\n"), std::string::npos) << text;
}

TEST_F(Daemon, MetricsInAMissingDirectoryIsLoggedAndTheRunSucceeds) {
    const std::string prom = dir.file("missing/olmd.prom");
    write_config("slots = [\"00:00\"]\n", "[metrics]\ntextfile = \"" + prom + "\"\n");
    add_orders(2);
    auto r = run_olmd({"--config", config, "run-once", "--now", "2026-11-22T12:00:00Z"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("cannot write the metrics textfile"), std::string::npos) << r.err;
    EXPECT_EQ(query("SELECT outcome FROM automation_runs ORDER BY id DESC LIMIT 1"), "succeeded");
}

TEST_F(Daemon, RunHelpAndInvalidConfigExitCodes) {
    auto h = run_olmd({"--config", config, "run", "--help"});
    EXPECT_EQ(h.exit_code, 0);
    EXPECT_NE(h.out.find("SIGHUP"), std::string::npos);
    write_file(config, "[daemon]\ndatabase = \"" + db + "\"\nbogus = 1\n");
    auto bad = run_olmd({"--config", config, "run"});
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_NE(bad.err.find("bogus"), std::string::npos) << bad.err;
    write_file(config, "[daemon]\ndatabase = \"" + dir.file("none.db") + "\"\n");
    EXPECT_EQ(run_olmd({"--config", config, "run"}).exit_code, 4);
}

}  // namespace
}  // namespace olmd::test
