#pragma once
// The PostgreSQL server of the PG tests (scripts/pg-server, CTest fixture pg_server) and a fresh
// database per test, so the tests run in parallel and never see each other's rows.

#include <pqxx/pqxx>
#include <string>

#include "support/temp_dir.hpp"

namespace olmd::test {

/// Where the test server listens: $OLMD_TEST_PG_* when set, else build/pg-test/env.
struct PgServer {
    std::string host, port, user;
    std::string password_file;  ///< holds the password of user
    std::string password;
    /// postgresql://user@host:port/dbname (no password: that comes from password_file).
    std::string uri(const std::string& dbname) const;
    /// A libpq conninfo for dbname, with the password.
    std::string conninfo(const std::string& dbname) const;
};

/// The test server; throws std::runtime_error (failing the test) when it is not running.
const PgServer& pg_server();

/// A database created for one test (CREATE DATABASE with a unique name) and dropped at scope end.
class PgTestDatabase {
public:
    PgTestDatabase();
    ~PgTestDatabase();
    PgTestDatabase(const PgTestDatabase&) = delete;
    PgTestDatabase& operator=(const PgTestDatabase&) = delete;
    /// Its name.
    const std::string& name() const { return name_; }
    /// Its URI, without password.
    std::string uri() const { return pg_server().uri(name_); }
    /// A new connection to it as the server's admin user.
    pqxx::connection connect() const { return pqxx::connection(pg_server().conninfo(name_)); }
    /// Runs sql in a transaction of its own.
    void exec(const std::string& sql) const;
    /// The first field of sql's first row, as text ("" for NULL).
    std::string value(const std::string& sql) const;

private:
    std::string name_;
};

/// A name no other test process uses: prefix, pid and a counter.
std::string unique_pg_name(const std::string& prefix);

/// Writes dir/olmd.toml naming database (and password_file when not empty) plus extra TOML; returns its path.
std::string write_pg_config(const TempDir& dir, const std::string& database, const std::string& password_file,
                            const std::string& extra = "");

/// Writes the test server's password into dir/<name> (mode 600) and returns its path.
std::string write_password_file(const TempDir& dir, const std::string& name, const std::string& password);

}  // namespace olmd::test
