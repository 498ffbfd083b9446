// PG-1 / OPS-8: connecting to PostgreSQL. A server that cannot be reached, refused credentials or a
// role without rights is one clear message naming the server (its URI without password) and exit 4;
// no message ever holds the password; the session is set up as olmd's transactions need it.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

#include "olmd/store/pg_database.hpp"
#include "olmd/store/pg_migrations.hpp"
#include "pg/pg_test_server.hpp"
#include "support/process.hpp"

namespace olmd::test {
namespace {

/// A TCP port on 127.0.0.1 where nothing listens: one the kernel just handed out, closed again.
std::string closed_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
        throw std::runtime_error("cannot find a free port");
    ::close(fd);
    return std::to_string(ntohs(addr.sin_port));
}

class PgConnect : public ::testing::Test {
protected:
    ProcessResult olmd(const std::string& config, const std::vector<std::string>& command) {
        std::vector<std::string> args{"--config", config};
        args.insert(args.end(), command.begin(), command.end());
        return run_olmd(args);
    }
    TempDir dir;
    PgTestDatabase db;
};

TEST_F(PgConnect, PG1_UnreachableServerExits4NamingIt) {
    const std::string uri = "postgresql://olmd_admin@127.0.0.1:" + closed_port() + "/" + db.name();
    const auto config = write_pg_config(dir, uri, write_password_file(dir, "pw", pg_server().password));
    for (const std::vector<std::string>& cmd :
         {std::vector<std::string>{"init-db", "--no-zips"}, std::vector<std::string>{"check-config"}}) {
        auto r = olmd(config, cmd);
        EXPECT_EQ(r.exit_code, 4) << cmd[0] << ": " << r.out << r.err;
        EXPECT_NE(r.err.find(uri), std::string::npos) << r.err;
        EXPECT_EQ(r.err.find(pg_server().password), std::string::npos) << r.err;
    }
    auto init = olmd(config, {"init-db", "--no-zips"});
    EXPECT_NE(init.err.find("cannot connect to PostgreSQL server " + uri), std::string::npos) << init.err;
    EXPECT_EQ(init.err.find('\n'), init.err.size() - 1) << "one line: " << init.err;
}

TEST_F(PgConnect, PG1_WrongPasswordExits4WithoutThePassword) {
    const std::string wrong = "wrong-Secret-4711";
    const auto config = write_pg_config(dir, db.uri(), write_password_file(dir, "pw", wrong));
    auto r = olmd(config, {"init-db", "--no-zips"});
    EXPECT_EQ(r.exit_code, 4) << r.out << r.err;
    EXPECT_NE(r.err.find("password authentication failed"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(db.uri()), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find(wrong), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find(wrong), std::string::npos) << r.out;
}

TEST_F(PgConnect, PG1_PasswordInTheUriIsNeverShown) {
    const std::string inline_secret = "inline-Secret-0815";
    const PgServer& s = pg_server();
    const std::string uri = "postgresql://" + s.user + ":" + inline_secret + "@" + s.host + ":" + s.port +
                            "/" + db.name() + "?password=" + inline_secret + "&sslmode=disable";
    const auto config = write_pg_config(dir, uri, "");
    for (const std::vector<std::string>& cmd :
         {std::vector<std::string>{"init-db", "--no-zips"}, std::vector<std::string>{"check-config"},
          std::vector<std::string>{"status"}}) {
        auto r = olmd(config, cmd);
        EXPECT_EQ(r.exit_code, 4) << cmd[0] << ": " << r.out << r.err;
        EXPECT_EQ(r.err.find(inline_secret), std::string::npos) << cmd[0] << ": " << r.err;
        EXPECT_EQ(r.out.find(inline_secret), std::string::npos) << cmd[0] << ": " << r.out;
        EXPECT_NE(r.err.find(s.user + "@" + s.host + ":" + s.port), std::string::npos) << r.err;
    }
}

TEST_F(PgConnect, PG1_PasswordFileWorks) {
    const auto config = write_pg_config(dir, db.uri(), write_password_file(dir, "pw", pg_server().password));
    auto r = olmd(config, {"init-db", "--no-zips"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(db.value("SELECT count(*) FROM schema_migrations"), std::to_string(store::known_pg_schema_version()));
    // Without it (no ~/.pgpass for the test server) the server refuses the connection.
    const auto without = write_pg_config(dir, db.uri(), "");
    auto refused = olmd(without, {"check-config"});
    EXPECT_EQ(refused.exit_code, 4) << refused.out << refused.err;
}

TEST_F(PgConnect, PG1_RoleWithoutRightsExits4) {
    const std::string role = unique_pg_name("olmd_norights");
    const std::string password = "role-Secret-1234";
    db.exec("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
    const PgServer& s = pg_server();
    const std::string uri = "postgresql://" + role + "@" + s.host + ":" + s.port + "/" + db.name();
    const auto config = write_pg_config(dir, uri, write_password_file(dir, "pw", password));
    // PostgreSQL 15: a role that owns nothing may not create tables in the public schema.
    auto r = olmd(config, {"init-db", "--no-zips"});
    EXPECT_EQ(r.exit_code, 4) << r.out << r.err;
    EXPECT_NE(r.err.find("permission denied"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(uri), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find(password), std::string::npos) << r.err;
    EXPECT_EQ(db.value("SELECT to_regclass('schema_migrations') IS NULL"), "t");
    // A role that may not connect to the database at all.
    db.exec("REVOKE CONNECT ON DATABASE " + db.name() + " FROM PUBLIC");
    auto refused = olmd(config, {"check-config"});
    EXPECT_EQ(refused.exit_code, 4) << refused.out << refused.err;
    EXPECT_NE(refused.err.find("permission denied for database"), std::string::npos) << refused.err;
    db.exec("DROP OWNED BY " + role + "; DROP ROLE " + role);
}

TEST_F(PgConnect, PG1_SessionHasUtcLockTimeoutAndApplicationName) {
    store::PgOpenOptions o;
    o.busy_timeout_ms = 250;
    o.password_file = write_password_file(dir, "pw", pg_server().password);
    auto pg = store::PgDatabase::open(db.uri(), o);
    ASSERT_TRUE(pg) << pg.error().message;
    EXPECT_EQ(*(*pg)->query_value("SHOW TimeZone"), "UTC");
    EXPECT_EQ(*(*pg)->query_value("SHOW lock_timeout"), "250ms");
    EXPECT_EQ(*(*pg)->query_value("SHOW application_name"), "olmd");
    EXPECT_EQ(*(*pg)->query_value("SELECT to_char(timestamptz '2026-03-08 12:00:00+02', 'HH24:MI')"),
              "10:00");
    EXPECT_EQ((*pg)->server(), db.uri());
    // busy_timeout_ms = 0 would be "wait for ever" on PostgreSQL: it becomes 1 ms.
    o.busy_timeout_ms = 0;
    auto zero = store::PgDatabase::open(db.uri(), o);
    ASSERT_TRUE(zero) << zero.error().message;
    EXPECT_EQ(*(*zero)->query_value("SHOW lock_timeout"), "1ms");
}

TEST_F(PgConnect, PG1_LockTimeoutEndsAWaitForALock) {
    store::PgOpenOptions o;
    o.busy_timeout_ms = 200;
    o.password_file = write_password_file(dir, "pw", pg_server().password);
    auto pg = store::PgDatabase::open(db.uri(), o);
    ASSERT_TRUE(pg) << pg.error().message;
    ASSERT_TRUE((*pg)->exec("CREATE TABLE t (id int)"));
    auto holder = db.connect();
    pqxx::work w(holder);
    w.exec("LOCK TABLE t IN ACCESS EXCLUSIVE MODE");
    auto st = (*pg)->exec("INSERT INTO t VALUES (1)");
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, 4);
    EXPECT_NE(st.error().message.find("lock timeout"), std::string::npos) << st.error().message;
}

TEST_F(PgConnect, PG1_UnreadablePasswordFileIsAnErrorNamingIt) {
    store::PgOpenOptions o;
    o.password_file = dir.file("missing-pw");
    auto pg = store::PgDatabase::open(db.uri(), o);
    ASSERT_FALSE(pg);
    EXPECT_EQ(pg.error().code, 4);
    EXPECT_NE(pg.error().message.find("missing-pw"), std::string::npos) << pg.error().message;
    EXPECT_NE(pg.error().message.find(db.uri()), std::string::npos) << pg.error().message;
}

}  // namespace
}  // namespace olmd::test
