// The real olmd binary at start-up: SIGTERM while start-up waits on a locked
// database ends it at once (OPS-2 through the interruptible busy wait), a lock
// released in time lets it start; and the files olmd writes are never ones it
// reads (OPS-9 at run time): a lock_file or metrics textfile naming the
// database or the config, or a symbolic link planted at the lock path, makes
// run-once refuse before touching anything.
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <csignal>
#include <filesystem>
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

/// The bytes of path.
std::string bytes_of(const std::string& path) { return read_file(path); }

TEST_F(Startup, OPS9_LockFileThatIsTheDatabaseIsRefusedAndTheDatabaseIntact) {
    const std::string before = bytes_of(db);
    ASSERT_FALSE(before.empty());
    write_config("lock_file = \"" + db + "\"\n");
    auto r = run_olmd({"--config", config, "run-once"});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("lock_file"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(db), std::string::npos) << r.err;
    EXPECT_EQ(bytes_of(db), before) << "the database was written";
    EXPECT_EQ(query("SELECT count(*) FROM automation_runs"), "0");
    // The same through a second name for it (a symbolic link to the database).
    std::filesystem::create_symlink(db, dir.file("alias.db"));
    write_config("lock_file = \"" + dir.file("alias.db") + "\"\n");
    r = run_olmd({"--config", config, "run-once"});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("lock_file"), std::string::npos) << r.err;
    EXPECT_EQ(bytes_of(db), before);
}

TEST_F(Startup, OPS9_LockFileOrMetricsThatIsTheConfigOrTheWalIsRefused) {
    const std::string config_text_lock = "lock_file = \"" + config + "\"\n";
    write_config(config_text_lock);
    const std::string before = bytes_of(config);
    auto r = run_olmd({"--config", config, "run-once"});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("lock_file"), std::string::npos) << r.err;
    EXPECT_EQ(bytes_of(config), before);

    write_config("", "[metrics]\ntextfile = \"" + db + "-wal\"\n");
    r = run_olmd({"--config", config, "run-once"});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("textfile"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(db + "-wal"), std::string::npos) << r.err;
    EXPECT_EQ(query("SELECT count(*) FROM automation_runs"), "0");
    // import-zips and init-db take the lock too: the same check.
    write_config("lock_file = \"" + db + "\"\n");
    EXPECT_EQ(run_olmd({"--config", config, "init-db"}).exit_code, 1);
    write_file(dir.file("z.csv"), "zip,state,latitude,longitude\n12866,NY,43.08,-73.78\n");
    EXPECT_EQ(run_olmd({"--config", config, "import-zips", dir.file("z.csv")}).exit_code, 1);
}

TEST_F(Startup, OPS9_SymlinkPlantedAtTheLockPathIsRefusedAndItsTargetUntouched) {
    const std::string victim = dir.file("victim.txt");
    write_file(victim, "not olmd's file\n");
    const std::string lock = dir.file("olmd.lock");
    std::filesystem::create_symlink(victim, lock);
    write_config("lock_file = \"" + lock + "\"\n");
    auto r = run_olmd({"--config", config, "run-once"});
    EXPECT_NE(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find(lock), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("symbolic link"), std::string::npos) << r.err;
    EXPECT_EQ(read_file(victim), "not olmd's file\n");
    EXPECT_TRUE(std::filesystem::is_symlink(lock));
    EXPECT_EQ(query("SELECT count(*) FROM automation_runs"), "0");
}

TEST_F(Startup, OPS13_AuditWritesNeitherTheLockFileNorWhatItNames) {
    const std::string lock = db + ".lock";
    write_file(lock, "4242\n");  // left by an olmd that ran before
    auto r = run_olmd({"--config", config, "audit"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(read_file(lock), "4242\n") << "audit must not take the lock (it truncates the file)";
    // A lock_file naming the database: audit reads the database, and leaves it as it was.
    const std::string before = bytes_of(db);
    write_config("lock_file = \"" + db + "\"\n");
    r = run_olmd({"--config", config, "audit"});
    EXPECT_EQ(bytes_of(db), before);
}

}  // namespace
}  // namespace olmd::test
