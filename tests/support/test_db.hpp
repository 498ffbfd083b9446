#pragma once
// A migrated, seeded olmd database in a temporary directory, with small helpers
// to add rows and read values back in tests.

#include <cstdint>
#include <memory>
#include <string>

#include "olmd/store/database.hpp"
#include "support/temp_dir.hpp"

namespace olmd::test {

/// A minimal order; every field has a usable default.
struct OrderSpec {
    std::string number = "A-1";
    std::string status = "Ready to Process";
    std::string channel = "Website";
    std::int64_t grand_total_cents = 10000;
    std::string created_at = "2026-11-20T10:00:00Z";
};

class TestDb {
public:
    /// Creates <tmp>/olmd.db and applies every migration and the seed.
    TestDb();
    /// Creates <tmp>/olmd.db at an older schema: migrations 1..schema_version, then the seed.
    explicit TestDb(int schema_version);
    /// The open connection.
    store::Database& db() { return *db_; }
    /// The database file.
    const std::string& path() const { return path_; }
    /// The temporary directory holding it.
    TempDir& dir() { return dir_; }
    /// Plants rows that an old database or another writer may hold (PRAGMA ignore_check_constraints),
    /// so that olmd's bad-data handling can be tested.
    void allow_bad_rows() { exec("PRAGMA ignore_check_constraints = ON"); }
    /// Executes SQL; throws on error (a test failure).
    void exec(const std::string& sql);
    /// The first column of the first row as an integer (0 when no row or NULL).
    std::int64_t scalar(const std::string& sql);
    /// The first column of the first row as text ("" when no row or NULL).
    std::string text(const std::string& sql);
    /// The id of a status name.
    std::int64_t status_id(const std::string& name);
    /// Inserts an order and returns its id.
    std::int64_t add_order(const OrderSpec& spec);

private:
    TempDir dir_;
    std::string path_;
    std::unique_ptr<store::Database> db_;
};

/// Single-quotes text for SQL.
std::string sql_quote(const std::string& s);

}  // namespace olmd::test
