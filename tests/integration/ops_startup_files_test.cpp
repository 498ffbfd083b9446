// The real olmd binary at start-up: SIGTERM while start-up waits on a locked
// database ends it at once (OPS-2 through the interruptible busy wait), a lock
// released in time lets it start.
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <csignal>
#include <thread>

#include "support/daemon_process.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace olmd::test {
namespace {

using namespace std::chrono_literals;

constexpr auto kStartTimeout = 30s;

class Startup : public ::testing::Test {
protected:
    void SetUp() override {
        db = dir.file("olmd.db");
        config = dir.file("olmd.toml");
        log = dir.file("olmd.log");
        write_config("");
        auto init = run_olmd({"--config", config, "init-db", "--no-zips"});
        ASSERT_EQ(init.exit_code, 0) << init.err;
    }
    /// [daemon] on the temp database (busy_timeout_ms = 60 s unless extra says otherwise), fraud on a slot.
    void write_config(const std::string& daemon_extra, const std::string& sections = "") {
        write_file(config, "[daemon]\ndatabase = \"" + db + "\"\ntimezone = \"UTC\"\n" + daemon_extra +
                               sections +
                               "[fraud]\nenabled = true\nstatuses = [\"Ready to Process\"]\nslots = [\"00:00\"]\n"
                               "[fraud.grand_total]\nenabled = true\nthreshold = \"500.00\"\n");
    }
    std::unique_ptr<DaemonProcess> start() {
        return std::make_unique<DaemonProcess>(
            olmd_binary(), std::vector<std::string>{"--config", config, "--log-level", "debug", "run"},
            std::map<std::string, std::string>{}, log);
    }
    std::string query(const std::string& sql) {
        SQLite::Database d(db, SQLite::OPEN_READONLY);
        SQLite::Statement q(d, sql);
        if (!q.executeStep() || q.getColumn(0).isNull()) return "";
        return q.getColumn(0).getString();
    }

    TempDir dir;
    std::string db, config, log;
};

TEST_F(Startup, OPS2_SigtermWhileStartupWaitsOnALockedDatabaseExitsAtOnce) {
    write_config("busy_timeout_ms = 60000\n");
    // A run left 'running' makes start-up write (mark it crashed): it waits on the lock below.
    SQLite::Database other(db, SQLite::OPEN_READWRITE);
    other.exec("INSERT INTO automation_runs (fire_at, started_at, jobs, outcome, \"trigger\", summary, host) VALUES "
               "('2026-11-22T00:00:00Z', '2026-11-22T00:00:00Z', 'fraud', 'running', 'schedule', '{}', 'h')");
    other.exec("BEGIN IMMEDIATE");
    auto d = start();
    ASSERT_TRUE(d->wait_for_log("start-up: database", kStartTimeout)) << d->log();
    std::this_thread::sleep_for(1s);  // well inside the 60 s busy wait
    ASSERT_TRUE(d->running()) << d->log();
    const auto t0 = std::chrono::steady_clock::now();
    d->signal(SIGTERM);
    EXPECT_EQ(d->wait_exit(10s), std::optional<int>(0)) << d->log();
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s) << d->log();
    EXPECT_NE(d->log().find("stopped during start-up"), std::string::npos) << d->log();
    EXPECT_EQ(d->log().find("olmd started"), std::string::npos) << d->log();
    other.exec("ROLLBACK");
    EXPECT_EQ(query("SELECT outcome FROM automation_runs"), "running") << "nothing was written";
}

TEST_F(Startup, OPS7_StartupWaitsForALockReleasedWithinTheBusyTimeout) {
    write_config("busy_timeout_ms = 60000\n");
    SQLite::Database other(db, SQLite::OPEN_READWRITE);
    other.exec("INSERT INTO automation_runs (fire_at, started_at, jobs, outcome, \"trigger\", summary, host) VALUES "
               "('2026-11-22T00:00:00Z', '2026-11-22T00:00:00Z', 'fraud', 'running', 'schedule', '{}', 'h')");
    other.exec("BEGIN IMMEDIATE");
    auto d = start();
    ASSERT_TRUE(d->wait_for_log("start-up: database", kStartTimeout)) << d->log();
    std::this_thread::sleep_for(1500ms);
    EXPECT_EQ(d->log().find("olmd started"), std::string::npos) << "start-up must wait for the lock: " << d->log();
    other.exec("COMMIT");
    ASSERT_TRUE(d->wait_for_log("olmd started", kStartTimeout)) << d->log();
    EXPECT_EQ(query("SELECT outcome FROM automation_runs"), "crashed");
    d->signal(SIGTERM);
    EXPECT_EQ(d->wait_exit(10s), std::optional<int>(0)) << d->log();
}

}  // namespace
}  // namespace olmd::test
