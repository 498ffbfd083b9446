// PG-1 through the olmd binary: init-db, check-config and import-zips work on PostgreSQL; every
// other command refuses a PostgreSQL database with exit 4, naming the command.
#include <gtest/gtest.h>

#include "olmd/store/pg_migrations.hpp"
#include "pg/pg_test_server.hpp"
#include "support/process.hpp"

namespace olmd::test {
namespace {

const char* kHeader = "zip,state,latitude,longitude\n";

class PgCli : public ::testing::Test {
protected:
    void SetUp() override {
        password_file = write_password_file(dir, "pgpass", pg_server().password);
        config = write_pg_config(dir, db.uri(), password_file);
    }
    ProcessResult olmd(const std::vector<std::string>& command) {
        std::vector<std::string> args{"--config", config};
        args.insert(args.end(), command.begin(), command.end());
        return run_olmd(args);
    }
    TempDir dir;
    PgTestDatabase db;
    std::string password_file, config;
};

TEST_F(PgCli, PG1_InitDbCheckConfigImportZipsEndToEnd) {
    auto init = olmd({"init-db", "--no-zips"});
    ASSERT_EQ(init.exit_code, 0) << init.out << init.err;
    const std::string version = std::to_string(store::known_pg_schema_version());
    EXPECT_NE(init.out.find("database " + db.uri() + ": schema version 0 -> " + version +
                            " (applied 0001_init.sql 0002_stock_change_counter.sql)"),
              std::string::npos)
        << init.out;
    auto check = olmd({"check-config"});
    EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
    EXPECT_NE(check.out.find("configuration OK"), std::string::npos) << check.out;

    write_file(dir.file("zips.csv"), std::string(kHeader) +
                                         "10001,NY,40.7506,-73.9972\n"
                                         "94105,CA,37.7898,-122.3942\n"
                                         "60601,IL,41.8858,-87.6181\n");
    auto zips = olmd({"import-zips", dir.file("zips.csv")});
    ASSERT_EQ(zips.exit_code, 0) << zips.out << zips.err;
    EXPECT_NE(zips.out.find("loaded 3 ZIP centroids"), std::string::npos) << zips.out;
    EXPECT_EQ(db.value("SELECT count(*) FROM zip_codes"), "3");
    EXPECT_EQ(db.value("SELECT latitude FROM zip_codes WHERE zip = '94105'"), "37.7898");

    // Same zip again: replaced, as on SQLite; within one file the last line wins.
    write_file(dir.file("more.csv"),
               std::string(kHeader) + "94105,CA,1.5,2.5\n02134,MA,42.35,-71.1\n02134,MA,3,4\n");
    auto again = olmd({"import-zips", dir.file("more.csv")});
    ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
    EXPECT_EQ(db.value("SELECT count(*) FROM zip_codes"), "4");
    EXPECT_EQ(db.value("SELECT latitude || ',' || longitude FROM zip_codes WHERE zip = '94105'"), "1.5,2.5");
    EXPECT_EQ(db.value("SELECT latitude || ',' || longitude FROM zip_codes WHERE zip = '02134'"), "3,4");
}

TEST_F(PgCli, PG1_InitDbLoadsTheShippedZipCentroids) {
    auto init = olmd({"init-db"});
    ASSERT_EQ(init.exit_code, 0) << init.out << init.err;
    EXPECT_NE(init.out.find("ZIP centroids from"), std::string::npos) << init.out;
    EXPECT_GT(std::stol(db.value("SELECT count(*) FROM zip_codes")), 30000);
    // A second run leaves a loaded table alone.
    auto again = olmd({"init-db"});
    ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
    EXPECT_EQ(again.out.find("ZIP centroids"), std::string::npos) << again.out;
}

TEST_F(PgCli, PG1_ImportZipsMalformedFileLoadsNothing) {
    ASSERT_EQ(olmd({"init-db", "--no-zips"}).exit_code, 0);
    write_file(dir.file("bad.csv"), std::string(kHeader) + "10001,NY,40.75,-73.99\n1234,NY,40,-73\n");
    auto r = olmd({"import-zips", dir.file("bad.csv")});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find("bad.csv:3: zip \"1234\" is not 5 digits"), std::string::npos) << r.err;
    EXPECT_EQ(db.value("SELECT count(*) FROM zip_codes"), "0");
    write_file(dir.file("header.csv"), kHeader);
    auto empty = olmd({"import-zips", dir.file("header.csv")});
    EXPECT_EQ(empty.exit_code, 1) << empty.out << empty.err;
    EXPECT_NE(empty.err.find("no ZIP row"), std::string::npos) << empty.err;
}

TEST_F(PgCli, PG1_CheckConfigChecksNamesAgainstPostgres) {
    ASSERT_EQ(olmd({"init-db", "--no-zips"}).exit_code, 0);
    db.exec("INSERT INTO order_statuses (name) VALUES ('Waiting For Pigeon')");
    config = write_pg_config(
        dir, db.uri(), password_file,
        "[orders]\nhold_status = \"waiting for pigeon\"\nfully_shipped_status = \"Shiped\"\n");
    auto r = olmd({"check-config"});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find("unknown status \"Shiped\""), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("did you mean \"Shipped\"?"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("Waiting For Pigeon"), std::string::npos) << "valid names listed: " << r.err;
    EXPECT_EQ(r.err.find("unknown status \"waiting for pigeon\""), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("1 error(s)"), std::string::npos) << r.err;
}

TEST_F(PgCli, PG1_CheckConfigAndImportZipsBeforeInitDbExit4) {
    auto check = olmd({"check-config"});
    EXPECT_EQ(check.exit_code, 4) << check.out << check.err;
    EXPECT_NE(check.err.find("schema version 0"), std::string::npos) << check.err;
    EXPECT_NE(check.err.find("olmd init-db"), std::string::npos) << check.err;
    write_file(dir.file("zips.csv"), std::string(kHeader) + "10001,NY,40.75,-73.99\n");
    auto zips = olmd({"import-zips", dir.file("zips.csv")});
    EXPECT_EQ(zips.exit_code, 4) << zips.out << zips.err;
}

TEST_F(PgCli, PG1_BadPasswordFileIsOneConfigError) {
    ASSERT_EQ(olmd({"init-db", "--no-zips"}).exit_code, 0);
    config = write_pg_config(dir, db.uri(), dir.file("no-such-pgpass"));
    auto check = olmd({"check-config"});
    EXPECT_EQ(check.exit_code, 1) << check.out << check.err;
    EXPECT_NE(check.err.find("no-such-pgpass"), std::string::npos) << check.err;
    EXPECT_NE(check.err.find("1 error(s)"), std::string::npos) << check.err;
    EXPECT_EQ(check.err.find("cannot connect"), std::string::npos) << check.err;
    write_file(dir.file("z.csv"), std::string(kHeader) + "10001,NY,40.75,-73.99\n");
    auto zips = olmd({"import-zips", dir.file("z.csv")});
    EXPECT_EQ(zips.exit_code, 1) << zips.out << zips.err;
    EXPECT_EQ(db.value("SELECT count(*) FROM zip_codes"), "0");
}

TEST_F(PgCli, PG1_StatusExplainAuditScheduleRunOnPostgres) {
    ASSERT_EQ(olmd({"init-db", "--no-zips"}).exit_code, 0);
    db.exec("INSERT INTO orders (order_number, channel_id, status_id, created_at, grand_total_cents, updated_at) "
            "VALUES ('A1', (SELECT id FROM channels WHERE name = 'Website'), (SELECT id FROM order_statuses WHERE "
            "name = 'Ready to Process'), '2026-11-20T10:00:00Z', 1000, '2026-11-20T10:00:00Z')");
    db.exec("INSERT INTO automation_runs (fire_at, started_at, finished_at, jobs, outcome, \"trigger\", summary, host) "
            "VALUES ('2026-11-21T12:00:00Z', '2026-11-21T12:00:00Z', '2026-11-21T12:00:07Z', 'fraud', 'succeeded', "
            "'schedule', '{\"fraud\":{\"selected\":3,\"changed\":2}}', 'h1')");
    auto status = olmd({"status"});
    EXPECT_EQ(status.exit_code, 0) << status.err;
    EXPECT_NE(status.out.find("run 1  2026-11-21T12:00:00+00:00  succeeded  schedule  7s       fraud"), std::string::npos) << status.out;
    EXPECT_NE(status.out.find("succeeded"), std::string::npos) << status.out;
    auto explain = olmd({"explain", "A1"});
    EXPECT_EQ(explain.exit_code, 0) << explain.err;
    EXPECT_NE(explain.out.find("order A1 (id 1): status Ready to Process, channel Website"), std::string::npos)
        << explain.out;
    auto missing = olmd({"explain", "NOPE"});
    EXPECT_EQ(missing.exit_code, 1);
    auto audit = olmd({"audit"});
    EXPECT_EQ(audit.exit_code, 0) << audit.out << audit.err;
    EXPECT_NE(audit.out.find("audit: no violation"), std::string::npos) << audit.out;
    EXPECT_EQ(olmd({"schedule"}).exit_code, 0);
    // A run left running with no instance holding the advisory lock is a violation; the money checks run too.
    db.exec("INSERT INTO automation_runs (fire_at, started_at, jobs, outcome, \"trigger\", host) VALUES "
            "('2026-11-21T12:30:00Z', '2026-11-21T12:30:00Z', 'fraud', 'running', 'schedule', 'h1')");
    db.exec("INSERT INTO payments (order_id, method, status, amount_cents, captured_cents, created_at) VALUES "
            "(1, 'credit_card', 'captured', 900, 900, now()), (1, 'credit_card', 'captured', 500, 500, now())");
    auto bad = olmd({"audit"});
    EXPECT_EQ(bad.exit_code, 1) << bad.out << bad.err;
    EXPECT_NE(bad.out.find("run_without_instance: automation_runs.id=2: outcome running since 2026-11-21T12:30:00Z"),
              std::string::npos)
        << bad.out;
    EXPECT_NE(bad.out.find("captured_within_total: orders.id=1: captured 1400 cents of a grand total of 1000"),
              std::string::npos)
        << bad.out;
    // While another session holds the instance lock the running row is legitimate.
    pqxx::connection other(pg_server().conninfo(db.name()));
    pqxx::nontransaction n(other);
    n.exec("SELECT pg_advisory_lock(8028912513727755124)");
    auto held = olmd({"audit"});
    EXPECT_EQ(held.out.find("run_without_instance"), std::string::npos) << held.out;
}

}  // namespace
}  // namespace olmd::test
