#pragma once
// Issue 14, point 3: the SQLite job tests, run again on PostgreSQL. CTest runs the suites named in
// tests/CMakeLists.txt (OLMD_PG_MIRRORED_TESTS) a second time as `pg:<suite>.<test>` with
// OLMD_TEST_BACKEND=postgresql; their fixtures then run each job on a PostgreSQL twin of the test's
// SQLite database: every contract table is copied into it before the job (scripts/pg-load-sqlite:
// ids, flags and UTC texts mapped) and back after it, so the test's own SQL, written for SQLite,
// checks what the PostgreSQL store wrote.

#include <functional>
#include <memory>
#include <string>

#include "olmd/store/backend.hpp"
#include "olmd/store/database.hpp"
#include "pg/pg_test_server.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_db.hpp"
#include "support/test_services.hpp"

namespace olmd::test {

/// True when OLMD_TEST_BACKEND is "postgresql": the mirrored suites run their jobs on PostgreSQL.
bool test_backend_is_postgres();

/// A PostgreSQL database with olmd's schema, the twin of one SQLite test database.
class PgMirror {
public:
    /// Creates the database (dropped at scope end) and its schema; the password file goes into dir.
    explicit PgMirror(const TempDir& dir);
    ~PgMirror();
    PgMirror(const PgMirror&) = delete;
    PgMirror& operator=(const PgMirror&) = delete;

    /// Replaces every contract table's rows with those of the SQLite file sqlite_path and returns a
    /// new Backend on the twin (valid until the next push or the end of the mirror); busy_timeout_ms > 0
    /// sets its lock_timeout (else PgOpenOptions' default).
    store::Backend& push(const std::string& sqlite_path, int busy_timeout_ms = 0);
    /// Replaces every table's rows of lite with the twin's (the columns both have), in one transaction.
    void pull(store::Database& lite);
    /// Runs sql on the twin in a transaction of its own (a back-office write during a job).
    void exec(const std::string& sql) const { db_.exec(sql); }
    /// The first field of sql's first row on the twin, as text ("" for NULL).
    std::string value(const std::string& sql) const { return db_.value(sql); }
    /// A new connection to the twin of its own (a back-office writer on another thread).
    pqxx::connection connect() const { return db_.connect(); }
    /// The libpq connection string of the twin (password included), for a connection held elsewhere.
    std::string conninfo() const { return pg_server().conninfo(db_.name()); }
    /// The Backend of the last push (jobs run on it directly while a back office writes), or null.
    store::Backend* backend() { return backend_.get(); }
    /// The twin's URI (no password) and the file holding the password, for an olmd config.
    std::string uri() const { return db_.uri(); }
    const std::string& password_file() const { return password_file_; }

private:
    PgTestDatabase db_;
    std::string password_file_;
    std::unique_ptr<store::Backend> backend_;
};

/// Runs body (a job run) on db's services: on db itself, or in pg: tests on db's PostgreSQL twin (made in
/// twin on first use), pushed from db before body and pulled back into db after it; cfg outlives the call.
void with_job_services(std::unique_ptr<PgMirror>& twin, TestDb& db, const config::Config& cfg, bool dry_run,
                       const std::function<void(TestServices&)>& body);

/// Runs body on a Backend of db: db's own connection, or in pg: tests a Backend on db's PostgreSQL twin
/// (made in twin on first use), pushed from db before body and pulled back into db after it. The store
/// suites test the ports (Backend::run_store()) through it, so one test checks both backends. With
/// busy_timeout_ms > 0 the Backend waits that long for a lock (a connection of its own on SQLite).
void with_backend(std::unique_ptr<PgMirror>& twin, TestDb& db, const std::function<void(store::Backend&)>& body,
                  int busy_timeout_ms = 0);

/// A back-office writer on a connection of its own to the database with_backend's body runs on (db's
/// file, or in pg: tests db's twin, which must exist): what it can and cannot write while olmd holds
/// rows. A lock wait longer than lock_wait_ms refuses the statement (SQLITE_BUSY / SQLSTATE 55P03).
class BackOfficeSession {
public:
    BackOfficeSession(std::unique_ptr<PgMirror>& twin, TestDb& db, int lock_wait_ms);
    ~BackOfficeSession();
    BackOfficeSession(const BackOfficeSession&) = delete;
    BackOfficeSession& operator=(const BackOfficeSession&) = delete;
    /// Opens a transaction the next statements run in, until commit().
    void begin();
    /// Commits the transaction begin() opened.
    void commit();
    /// Runs sql (in the open transaction, else in one of its own): true when it ran, false when a
    /// lock wait refused it; any other error throws.
    bool try_exec(const std::string& sql);
    /// PostgreSQL: true when a session of olmd's (application_name 'olmd') waits for a row lock now.
    /// SQLite cannot tell: false.
    bool olmd_waits_for_a_lock();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Runs the olmd binary with --config config_path and args, the config naming (`database = "…"`) the
/// SQLite test database sqlite_path: on it, or in pg: tests on its PostgreSQL twin (made in twin on
/// first use) through a copy of the config naming the twin, sqlite_path pushed before and pulled after.
ProcessResult run_olmd_on_test_backend(std::unique_ptr<PgMirror>& twin, const TempDir& dir,
                                       const std::string& sqlite_path, const std::string& config_path,
                                       std::vector<std::string> args);

}  // namespace olmd::test
