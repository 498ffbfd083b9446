#pragma once
// The SQLite database olmd shares with the back office. The store module is
// the only user of SQLiteCpp; nothing outside it sees a SQLite type.

#include <memory>
#include <string>

#include "olmd/core/error.hpp"

namespace SQLite {
class Database;
}

namespace olmd::store {

struct OpenOptions {
    int busy_timeout_ms = 5000;
    bool create = false;      ///< create the file if missing (init-db only)
    bool read_only = false;   ///< open read-only (status, explain)
};

/// An open connection: WAL mode, foreign keys on, busy timeout set.
class Database {
public:
    /// Opens path; a missing file (unless create) or an unopenable one is an Error with exit code 4.
    static Result<std::unique_ptr<Database>> open(const std::string& path, const OpenOptions& options);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    /// The file path it was opened with.
    const std::string& path() const { return path_; }
    /// PRAGMA user_version.
    int user_version();
    /// Executes one or more SQL statements outside any repository (migrations, tests).
    Status exec(const std::string& sql);

    /// The underlying connection; for store implementation files only.
    SQLite::Database& raw() { return *db_; }

private:
    Database(std::string path, std::unique_ptr<SQLite::Database> db);
    std::string path_;
    std::unique_ptr<SQLite::Database> db_;
};

/// Checks the schema is exactly the version this binary knows; newer or older is an Error (code 4).
Status require_current_schema(Database& db);

}  // namespace olmd::store
