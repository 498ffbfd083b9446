// PG-2: high availability on PostgreSQL. Two `olmd run` on one database: one holds the session-level
// advisory lock and runs the schedule, the other is a standby (READY=1, STATUS=standby, a log line naming
// the holder, no job). SIGKILL of the active one in the middle of a run: the standby holds the only lock
// within the poll interval, marks the dead run crashed, runs the missed slot once, and every order is
// moved exactly once. An active instance whose session is terminated stops at once with exit code 4.
// run-once on a database whose lock another session holds exits 3 naming the holder.
#include <gtest/gtest.h>

#include <chrono>
#include <pqxx/pqxx>
#include <string>
#include <thread>

#include "olmd/core/time.hpp"
#include "olmd/domain/clock.hpp"
#include "pg/pg_test_server.hpp"
#include "support/daemon_process.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace olmd::test {
namespace {

using namespace std::chrono_literals;

constexpr int kPollSeconds = 2;

class PgHa : public ::testing::Test {
protected:
    void SetUp() override {
        password_file = write_password_file(dir, "pw", pg_server().password);
        config = write_pg_config(dir, db.uri(), password_file,
                                 "standby_poll_seconds = " + std::to_string(kPollSeconds) +
                                     "\nbusy_timeout_ms = 60000\nbatch_size = 10\n"
                                     "[fraud]\nenabled = true\nslots = [\"*\"]\nstatuses = [\"Ready to Process\"]\n"
                                     "[fraud.grand_total]\nenabled = true\nthreshold = \"500.00\"\n");
        auto init = run_olmd({"--config", config, "init-db", "--no-zips"});
        ASSERT_EQ(init.exit_code, 0) << init.err;
        db.exec("INSERT INTO orders (order_number, channel_id, status_id, created_at, grand_total_cents, updated_at) "
                "SELECT 'H-' || i, (SELECT id FROM channels WHERE name = 'Website'), (SELECT id FROM order_statuses "
                "WHERE name = 'Ready to Process'), '2026-11-20T10:00:00Z', CASE WHEN i % 10 = 0 THEN 90000 ELSE "
                "10000 END, '2026-11-20T10:00:00Z' FROM generate_series(1, 50) AS i");
    }

    std::unique_ptr<DaemonProcess> start(const std::string& name, const std::string& notify) {
        return std::make_unique<DaemonProcess>(olmd_binary(), std::vector<std::string>{"--config", config, "run"},
                                               std::map<std::string, std::string>{{"NOTIFY_SOCKET", notify}},
                                               dir.file(name + ".log"));
    }

    /// A completed scheduled run minutes_ago: the daemon that becomes active catches up the slot since.
    void completed_run(int minutes_ago) {
        const std::string t = format_utc(domain::SystemClock().now() - std::chrono::minutes{minutes_ago});
        db.exec("INSERT INTO automation_runs (fire_at, started_at, finished_at, jobs, outcome, \"trigger\", host) "
                "VALUES ('" + t + "', '" + t + "', '" + t + "', 'fraud', 'succeeded', 'schedule', 'test')");
    }

    /// The pids of the sessions holding olmd's instance lock (granted advisory locks of its key).
    std::string lock_holders() {
        return db.value("SELECT coalesce(string_agg(pid::text, ',' ORDER BY pid), '') FROM pg_locks WHERE "
                        "locktype = 'advisory' AND granted AND classid = 1869376868 AND objid = 1768846196 AND database = "
                        "(SELECT oid FROM pg_database WHERE datname = current_database()) "
                        "AND objsubid = 1");
    }

    TempDir dir;
    PgTestDatabase db;
    std::string password_file, config;
};

TEST_F(PgHa, PG2_StandbyTakesOverAfterSigkillMarksTheRunCrashedAndRunsTheSlotOnce) {
    completed_run(40);
    // The back office holds one order's row: the active instance's catch-up run blocks on it mid-run.
    pqxx::connection office(pg_server().conninfo(db.name()));
    auto hold = std::make_unique<pqxx::work>(office);
    hold->exec("SELECT 1 FROM orders WHERE order_number = 'H-5' FOR UPDATE");

    NotifySocket sock_a(dir.file("notify-a")), sock_b(dir.file("notify-b"));
    auto a = start("a", sock_a.path());
    ASSERT_TRUE(sock_a.wait_for("READY=1", 20s)) << a->log();
    ASSERT_TRUE(eventually([&] { return db.value("SELECT count(*) FROM pg_stat_activity WHERE application_name = "
                                                 "'olmd' AND wait_event_type = 'Lock' AND datname = "
                                                 "current_database()") == "1"; },
                           20s))
        << a->log();
    const std::string a_run = db.value("SELECT id FROM automation_runs WHERE outcome = 'running'");
    ASSERT_FALSE(a_run.empty());
    const std::string slot = db.value("SELECT fire_at FROM automation_runs WHERE id = " + a_run);
    const std::string a_holder = lock_holders();
    ASSERT_FALSE(a_holder.empty());
    EXPECT_EQ(a_holder.find(','), std::string::npos) << a_holder;

    auto b = start("b", sock_b.path());
    ASSERT_TRUE(sock_b.wait_for("READY=1", 20s)) << b->log();
    ASSERT_TRUE(sock_b.wait_for("STATUS=standby", 5s)) << b->log();
    ASSERT_TRUE(b->wait_for_log("is held by pid " + a_holder, 5s)) << b->log();
    std::this_thread::sleep_for(std::chrono::seconds(kPollSeconds + 1));
    EXPECT_EQ(lock_holders(), a_holder) << "the standby took no lock";
    EXPECT_EQ(db.value("SELECT count(*) FROM automation_runs"), "2") << "the standby ran nothing";

    a->signal(SIGKILL);
    ASSERT_TRUE(a->wait_exit(10s).has_value());
    const auto killed = std::chrono::steady_clock::now();
    hold->abort();  // the back office lets go; the dead session's transaction is gone with it
    hold.reset();
    ASSERT_TRUE(b->wait_for_log("took over the instance lock", std::chrono::seconds(kPollSeconds + 10)))
        << b->log();
    EXPECT_LE(std::chrono::steady_clock::now() - killed, std::chrono::seconds(kPollSeconds + 5));
    const std::string b_holder = lock_holders();
    EXPECT_FALSE(b_holder.empty());
    EXPECT_NE(b_holder, a_holder);
    EXPECT_EQ(b_holder.find(','), std::string::npos) << "one holder only: " << b_holder;

    // The dead run is crashed; the standby ran the same slot once, to the end.
    ASSERT_TRUE(eventually([&] { return db.value("SELECT count(*) FROM automation_runs WHERE outcome = 'succeeded' "
                                                 "AND \"trigger\" = 'catch_up'") == "1"; },
                           30s))
        << b->log();
    EXPECT_EQ(db.value("SELECT outcome FROM automation_runs WHERE id = " + a_run), "crashed");
    EXPECT_EQ(db.value("SELECT fire_at FROM automation_runs WHERE outcome = 'succeeded' AND \"trigger\" = 'catch_up'"),
              slot);
    EXPECT_EQ(db.value("SELECT count(*) FROM (SELECT fire_at FROM automation_runs WHERE outcome IN ('succeeded', "
                       "'failed') GROUP BY fire_at HAVING count(*) > 1) twice"),
              "0");
    EXPECT_EQ(db.value("SELECT count(DISTINCT order_id) || '/' || count(*) FROM order_status_history"), "50/50");
    EXPECT_EQ(db.value("SELECT count(*) FROM orders o JOIN order_statuses s ON s.id = o.status_id WHERE s.name = "
                       "'Ready to Process'"),
              "0");
    b->signal(SIGTERM);
    EXPECT_EQ(b->wait_exit(20s), std::optional<int>(0)) << b->log();
}

TEST_F(PgHa, PG2_ActiveInstanceThatLosesItsSessionStopsAtOnce) {
    completed_run(1);
    NotifySocket sock(dir.file("notify"));
    auto a = start("a", sock.path());
    ASSERT_TRUE(sock.wait_for("READY=1", 20s)) << a->log();
    ASSERT_TRUE(eventually([&] { return !lock_holders().empty(); }, 10s));
    db.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'olmd' AND "
            "datname = current_database()");
    const auto exit = a->wait_exit(std::chrono::seconds(kPollSeconds + 10));
    ASSERT_TRUE(exit.has_value()) << a->log();
    EXPECT_EQ(*exit, 4) << a->log();
    EXPECT_NE(a->log().find("lost the connection to " + db.uri()), std::string::npos) << a->log();
    EXPECT_EQ(a->log().find(pg_server().password), std::string::npos);
}

TEST_F(PgHa, PG2_RunOnceWhileAnotherSessionHoldsTheLockExits3) {
    pqxx::connection other(pg_server().conninfo(db.name()));
    pqxx::nontransaction n(other);
    n.exec("SELECT pg_advisory_lock(8028912513727755124)");
    auto r = run_olmd({"--config", config, "run-once", "--jobs", "fraud"});
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    EXPECT_NE(r.err.find("another olmd holds the instance lock on " + db.uri()), std::string::npos) << r.err;
    EXPECT_EQ(db.value("SELECT count(*) FROM automation_runs"), "0");
    n.exec("SELECT pg_advisory_unlock(8028912513727755124)");
    auto ok = run_olmd({"--config", config, "run-once", "--jobs", "fraud"});
    EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
    EXPECT_EQ(db.value("SELECT count(*) FROM order_status_history"), "50");
}

}  // namespace
}  // namespace olmd::test
