#pragma once
// Issue 14, point 3: the SQLite job tests, run again on PostgreSQL. CTest runs the suites named in
// tests/CMakeLists.txt (OLMD_PG_MIRRORED_TESTS) a second time as `pg:<suite>.<test>` with
// OLMD_TEST_BACKEND=postgresql; their fixtures then run each job on a PostgreSQL twin of the test's
// SQLite database: every contract table is copied into it before the job (scripts/pg-load-sqlite:
// ids, flags and UTC texts mapped) and back after it, so the test's own SQL, written for SQLite,
// checks what the PostgreSQL store wrote.

#include <memory>
#include <string>

#include "olmd/store/backend.hpp"
#include "olmd/store/database.hpp"
#include "pg/pg_test_server.hpp"
#include "support/temp_dir.hpp"

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
    /// new Backend on the twin (valid until the next push or the end of the mirror).
    store::Backend& push(const std::string& sqlite_path);
    /// Replaces every table's rows of lite with the twin's (the columns both have), in one transaction.
    void pull(store::Database& lite);

private:
    PgTestDatabase db_;
    std::string password_file_;
    std::unique_ptr<store::Backend> backend_;
};

}  // namespace olmd::test
