// The real olmd binary: every command's exit status (cli.md) and its messages
// for bad input; nothing is written by a command that fails validation.
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "olmd/core/instance_lock.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace olmd::test {
namespace {

class Cli : public ::testing::Test {
protected:
    void SetUp() override {
        db = dir.file("olmd.db");
        config = dir.file("olmd.toml");
        write_config("");
    }
    /// Writes the config with [daemon] database pointing at the temp db plus extra TOML.
    void write_config(const std::string& extra) {
        write_file(config, "[daemon]\ndatabase = \"" + db + "\"\ntimezone = \"America/New_York\"\n" + extra);
    }
    ProcessResult olmd(std::vector<std::string> args) {
        args.insert(args.begin(), {"--config", config});
        return run_olmd(args);
    }
    std::int64_t scalar(const std::string& sql) {
        SQLite::Database d(db, SQLite::OPEN_READONLY);
        return d.execAndGet(sql).getInt64();
    }
    std::string schema_dump() {
        SQLite::Database d(db, SQLite::OPEN_READONLY);
        SQLite::Statement q(d, "SELECT type || name || coalesce(sql, '') FROM sqlite_master ORDER BY 1");
        std::string out;
        while (q.executeStep()) out += q.getColumn(0).getString() + "\n";
        return out;
    }
    TempDir dir;
    std::string db, config;
};

TEST_F(Cli, VersionAndHelpExitZero) {
    auto v = run_olmd({"--version"});
    EXPECT_EQ(v.exit_code, 0);
    EXPECT_NE(v.out.find("olmd "), std::string::npos);
    auto h = run_olmd({"--help"});
    EXPECT_EQ(h.exit_code, 0);
    for (const char* c : {"init-db", "check-config", "run-once", "schedule", "status", "explain", "import-zips"})
        EXPECT_NE(h.out.find(c), std::string::npos) << c;
    auto ch = olmd({"run-once", "--help"});
    EXPECT_EQ(ch.exit_code, 0);
    EXPECT_NE(ch.out.find("--dry-run"), std::string::npos);
}

TEST_F(Cli, UnknownCommandOrOptionIsUsageError) {
    EXPECT_EQ(run_olmd({"frobnicate"}).exit_code, 2);
    EXPECT_EQ(run_olmd({"--frob", "status"}).exit_code, 2);
    EXPECT_EQ(olmd({"run-once", "--frob"}).exit_code, 2);
    EXPECT_EQ(run_olmd({}).exit_code, 2);
}

TEST_F(Cli, MissingConfigExitsOneNamingTheFile) {
    auto r = run_olmd({"--config", dir.file("nope.toml"), "status"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("nope.toml"), std::string::npos) << r.err;
}

TEST_F(Cli, ConfigFromEnvironment) {
    ASSERT_EQ(olmd({"init-db"}).exit_code, 0);
    auto r = run_olmd({"status"}, {{"OLMD_CONFIG", config}});
    EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(Cli, MissingDatabaseExitsFourAndSaysInitDb) {
    auto r = olmd({"status"});
    EXPECT_EQ(r.exit_code, 4);
    EXPECT_NE(r.err.find("init-db"), std::string::npos) << r.err;
}

TEST_F(Cli, InitDbTwiceChangesNothing) {
    auto first = olmd({"init-db"});
    ASSERT_EQ(first.exit_code, 0) << first.err;
    const auto schema = schema_dump();
    const auto statuses = scalar("SELECT count(*) FROM order_statuses");
    const auto zips = scalar("SELECT count(*) FROM zip_codes");
    EXPECT_GT(zips, 40000);
    auto second = olmd({"init-db"});
    EXPECT_EQ(second.exit_code, 0) << second.err;
    EXPECT_NE(second.out.find("up to date"), std::string::npos) << second.out;
    EXPECT_EQ(schema_dump(), schema);
    EXPECT_EQ(scalar("SELECT count(*) FROM order_statuses"), statuses);
    EXPECT_EQ(scalar("SELECT count(*) FROM zip_codes"), zips);
}

TEST_F(Cli, NewerSchemaExitsFour) {
    ASSERT_EQ(olmd({"init-db"}).exit_code, 0);
    {
        SQLite::Database d(db, SQLite::OPEN_READWRITE);
        d.exec("PRAGMA user_version = 999");
    }
    for (const char* cmd : {"status", "run-once", "init-db"}) {
        auto r = olmd({cmd});
        EXPECT_EQ(r.exit_code, 4) << cmd << ": " << r.err;
        EXPECT_NE(r.err.find("newer"), std::string::npos) << r.err;
    }
    EXPECT_EQ(scalar("PRAGMA user_version"), 999);
}

TEST_F(Cli, OPS4_SecondInstanceExitsThree) {
    write_config("[fraud]\nenabled = true\n");
    ASSERT_EQ(olmd({"init-db"}).exit_code, 0);
    auto lock = InstanceLock::acquire(db + ".lock");
    ASSERT_TRUE(lock.ok());
    auto r = olmd({"run-once"});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("another olmd"), std::string::npos) << r.err;
    EXPECT_EQ(olmd({"init-db"}).exit_code, 3);
    EXPECT_EQ(scalar("SELECT count(*) FROM automation_runs"), 0);
}

TEST_F(Cli, BadTimeAndBadJobsAreUsageErrors) {
    write_config("[fraud]\nenabled = true\n");
    ASSERT_EQ(olmd({"init-db"}).exit_code, 0);
    auto t = olmd({"run-once", "--now", "yesterday"});
    EXPECT_EQ(t.exit_code, 2);
    EXPECT_NE(t.err.find("TIME"), std::string::npos) << t.err;
    auto j = olmd({"run-once", "--jobs", "fraud,shipping"});
    EXPECT_EQ(j.exit_code, 2);
    EXPECT_NE(j.err.find("shipping"), std::string::npos) << j.err;
    auto d = olmd({"run-once", "--jobs", "capture"});
    EXPECT_EQ(d.exit_code, 2);
    EXPECT_NE(d.err.find("disabled"), std::string::npos) << d.err;
    EXPECT_EQ(olmd({"schedule", "--from", "2026-03-08T02:30"}).exit_code, 2);  // skipped by DST
    EXPECT_EQ(olmd({"schedule", "--count", "ten"}).exit_code, 2);
    EXPECT_EQ(olmd({"status", "--runs", "0"}).exit_code, 2);
    EXPECT_EQ(olmd({"explain"}).exit_code, 2);
    EXPECT_EQ(scalar("SELECT count(*) FROM automation_runs"), 0);
}

TEST_F(Cli, NoEnabledJobRunsNothing) {
    ASSERT_EQ(olmd({"init-db"}).exit_code, 0);
    auto r = olmd({"run-once"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("nothing to run"), std::string::npos);
    EXPECT_EQ(scalar("SELECT count(*) FROM automation_runs"), 0);
}

TEST_F(Cli, CheckConfigListsThreeMistakesWithLineAndColumn) {
    ASSERT_EQ(olmd({"init-db"}).exit_code, 0);
    write_file(config, "[daemon]\n"
                       "database = \"" + db + "\"\n"
                       "batch_sise = 10\n"                 // line 3: unknown key
                       "[fraud]\n"
                       "enabled = true\n"
                       "slots = [\"13:15\"]\n"             // line 6: not a half-hour slot
                       "[fraud.grand_total]\n"
                       "enabled = true\n"
                       "threshold = \"-5\"\n");            // line 9: negative amount
    auto r = olmd({"check-config"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find(config + ":3:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("batch_size"), std::string::npos) << "suggestion missing: " << r.err;
    EXPECT_NE(r.err.find(config + ":6:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(config + ":9:"), std::string::npos) << r.err;
}

TEST_F(Cli, CheckConfigChecksNamesAgainstTheDatabase) {
    ASSERT_EQ(olmd({"init-db"}).exit_code, 0);
    write_config("[fraud]\nenabled = true\nstatuses = [\"Redy to Process\"]\n");
    auto r = olmd({"check-config"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("Redy to Process"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("Ready to Process"), std::string::npos) << "valid names not listed: " << r.err;
    // run-once refuses the same config and writes nothing.
    EXPECT_EQ(olmd({"run-once"}).exit_code, 1);
    EXPECT_EQ(scalar("SELECT count(*) FROM automation_runs"), 0);
}

TEST_F(Cli, CheckConfigAcceptsAValidConfig) {
    ASSERT_EQ(olmd({"init-db"}).exit_code, 0);
    write_config("[fraud]\nenabled = true\nslots = \"00:00, 12:30\"\n");
    auto r = olmd({"check-config"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("configuration OK"), std::string::npos);
}

TEST_F(Cli, ImportZipsLoadsAllOrNothing) {
    ASSERT_EQ(olmd({"init-db", "--no-zips"}).exit_code, 0);
    EXPECT_EQ(scalar("SELECT count(*) FROM zip_codes"), 0);
    write_file(dir.file("bad.csv"), "zip,state,latitude,longitude\n12866,NY,43.08,-73.78\n1234,NY,1,1\n");
    auto bad = olmd({"import-zips", dir.file("bad.csv")});
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_NE(bad.err.find("bad.csv:3"), std::string::npos) << bad.err;
    EXPECT_EQ(scalar("SELECT count(*) FROM zip_codes"), 0);
    write_file(dir.file("good.csv"), "zip,state,latitude,longitude\n12866,NY,43.08,-73.78\n98354,WA,47.0,-122.4\n");
    auto good = olmd({"import-zips", dir.file("good.csv")});
    EXPECT_EQ(good.exit_code, 0) << good.err;
    EXPECT_EQ(scalar("SELECT count(*) FROM zip_codes"), 2);
}

TEST_F(Cli, ExplainUnknownOrderExitsOne) {
    ASSERT_EQ(olmd({"init-db"}).exit_code, 0);
    auto r = olmd({"explain", "NO-SUCH"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("NO-SUCH"), std::string::npos);
}

TEST_F(Cli, SCH3_ScheduleCommandPrintsLocalTimesWithOffsets) {
    write_config("[fraud]\nenabled = true\nslots = [\"02:30\"]\n[capture]\nenabled = true\nslots = [\"03:00\"]\n");
    auto r = olmd({"schedule", "--from", "2026-03-07T12:00", "--count", "2"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "2026-03-08T03:00:00-04:00 capture,fraud\n2026-03-09T02:30:00-04:00 fraud\n");
}

}  // namespace
}  // namespace olmd::test

namespace olmd::test {
namespace {

TEST_F(Cli, OPS5_JournalStreamGivesSyslogPrioritiesWithoutTimestamps) {
    write_config("[fraud]\nenabled = true\n[capture]\nenabled = true\n");
    ASSERT_EQ(olmd({"init-db"}).exit_code, 0);
    // An enabled job missing from a build, or the run itself, logs; under systemd every line is "<N>text".
    auto r = run_olmd({"--config", config, "--log-level", "debug", "run-once", "--dry-run"},
                      {{"JOURNAL_STREAM", "8:1234"}});
    ASSERT_FALSE(r.err.empty());
    std::size_t start = 0;
    while (start < r.err.size()) {
        const auto end = r.err.find('\n', start);
        const std::string line = r.err.substr(start, end - start);
        if (!line.empty() && line.rfind("olmd:", 0) != 0) {
            ASSERT_GE(line.size(), 3u);
            EXPECT_EQ(line[0], '<') << line;
            EXPECT_TRUE(line[1] >= '0' && line[1] <= '7') << line;
            EXPECT_EQ(line[2], '>') << line;
            EXPECT_EQ(line.find("2026-"), std::string::npos) << "timestamp in journald line: " << line;
        }
        if (end == std::string::npos) break;
        start = end + 1;
    }
}

}  // namespace
}  // namespace olmd::test
