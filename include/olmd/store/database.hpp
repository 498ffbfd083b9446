#pragma once
// The SQLite database olmd shares with the back office. The store module is
// the only user of SQLiteCpp; nothing outside it sees a SQLite type.

#include <exception>
#include <memory>
#include <string>

#include "olmd/core/error.hpp"
#include "olmd/core/stop_token.hpp"
#include "olmd/domain/clock.hpp"

namespace SQLite {
class Database;
}

namespace olmd::store {

/// Process-wide SQLite settings (memory statistics off); call once at start, before any database is
/// opened. False when SQLite was already initialized (the settings then stay SQLite's defaults).
bool configure_sqlite_library();

struct OpenOptions {
    /// How long a statement waits for a lock another connection holds (OPS-7). After a stop
    /// request a wait lasts at most kStopBusyGraceMs of it, so SIGTERM is never held up (OPS-2).
    int busy_timeout_ms = 5000;
    const StopToken* stop = nullptr;  ///< cuts busy waits short; must outlive the Database; null: never
    const domain::Clock* clock = nullptr;  ///< the busy waits' clock; must outlive the Database; null: the system's
    bool create = false;      ///< create the file if missing (init-db only)
    bool read_only = false;   ///< open read-only (status, explain)
};

/// The longest busy wait of one statement once a stop is requested: long enough for the run row to be
/// closed past a back-office transaction (OPS-12), short enough to exit within a few seconds (OPS-2).
inline constexpr int kStopBusyGraceMs = 1000;

/// An open connection: WAL mode, foreign keys on, an interruptible busy wait.
class Database {
public:
    /// Opens path; a missing file (unless create), one that is not a regular file (OPS-10) or an
    /// unopenable one is an Error with exit code 4.
    static Result<std::unique_ptr<Database>> open(const std::string& path, const OpenOptions& options);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    /// Another connection to the same file with the same options (never creating it): for a reader
    /// that runs on its own thread while this connection writes.
    Result<std::unique_ptr<Database>> open_again() const;
    /// The file path it was opened with.
    const std::string& path() const { return path_; }
    /// PRAGMA user_version.
    int user_version();
    /// Executes one or more SQL statements outside any repository (migrations, tests).
    Status exec(const std::string& sql);

    /// The underlying connection; for store implementation files only.
    SQLite::Database& raw() { return *db_; }

    struct BusyWait;  ///< the busy handler's settings (database.cpp)

private:
    Database(std::string path, std::unique_ptr<SQLite::Database> db, std::unique_ptr<BusyWait> busy,
             bool read_only);
    std::string path_;
    bool read_only_ = false;
    std::unique_ptr<BusyWait> busy_;
    std::unique_ptr<SQLite::Database> db_;
};

/// True when e is SQLite's "database is locked" (SQLITE_BUSY or SQLITE_LOCKED): retrying later may succeed.
bool is_busy(const std::exception& e);

/// Checks the schema is exactly the version this binary knows; newer or older is an Error (code 4).
Status require_current_schema(Database& db);

}  // namespace olmd::store
