#include "olmd/store/database.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <iterator>

#include "olmd/store/migrations.hpp"

namespace olmd::store {

struct Database::BusyWait {
    int timeout_ms = 0;
    const StopToken* stop = nullptr;
    const domain::Clock* clock = nullptr;
};

namespace {

/// The clock of the busy waits of a Database opened without one (it holds no state).
const domain::SystemClock kSystemClock;

/// SQLite's own schedule of busy waits (sqliteDefaultBusyCallback), in ms; 100 ms after the last.
constexpr int kDelays[] = {1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100};

/// The ms already waited before the count-th wait of one locking event, and the next wait.
void schedule_at(int count, int& prior, int& delay) {
    constexpr int n = static_cast<int>(std::size(kDelays));
    prior = 0;
    for (int i = 0; i < std::min(count, n); ++i) prior += kDelays[i];
    if (count >= n) prior += (count - n) * kDelays[n - 1];
    delay = count < n ? kDelays[count] : kDelays[n - 1];
}

/// sqlite3_busy_handler: SQLite's schedule up to busy_timeout_ms, each wait on the clock cut by the stop token,
/// and no more than kStopBusyGraceMs in all once a stop is requested (OPS-2). 0 = give up (SQLITE_BUSY).
int busy_handler(void* arg, int count) {
    const auto* w = static_cast<const Database::BusyWait*>(arg);
    int prior = 0;
    int delay = 0;
    schedule_at(count, prior, delay);
    const int limit = w->stop->stop_requested() ? std::min(w->timeout_ms, kStopBusyGraceMs) : w->timeout_ms;
    if (prior >= limit) return 0;
    delay = std::min(delay, limit - prior);
    w->clock->wait_for(std::chrono::milliseconds(delay), *w->stop);
    return 1;
}

}  // namespace

Database::Database(std::string path, std::unique_ptr<SQLite::Database> db, std::unique_ptr<BusyWait> busy,
                   bool read_only)
    : path_(std::move(path)), read_only_(read_only), busy_(std::move(busy)), db_(std::move(db)) {}

Result<std::unique_ptr<Database>> Database::open_again() const {
    OpenOptions o;
    o.busy_timeout_ms = busy_->timeout_ms;
    o.stop = busy_->stop;
    o.clock = busy_->clock;
    o.read_only = read_only_;
    return open(path_, o);
}

Database::~Database() = default;

Result<std::unique_ptr<Database>> Database::open(const std::string& path, const OpenOptions& options) {
    struct stat st {};
    const bool exists = ::stat(path.c_str(), &st) == 0;
    if (!exists && !options.create)
        return Error{"database " + path + " does not exist; create it with `olmd init-db` or set [daemon] database",
                     exit_code::database};
    if (exists && S_ISDIR(st.st_mode))
        return Error{"database path " + path + " is a directory; set [daemon] database to a file", exit_code::database};
    // OPS-10: a FIFO or device would block the first read, or feed it without end.
    if (exists && !S_ISREG(st.st_mode))
        return Error{"database path " + path + " is not a regular file (a FIFO, device or socket); set [daemon] "
                     "database to an SQLite database file",
                     exit_code::database};
    try {
        // NOMUTEX: each connection is used by one thread at a time (the monitor has its own), so
        // SQLite's per-connection mutex is pure cost (6 % of a fraud run in a profile).
        int flags = (options.read_only ? SQLite::OPEN_READONLY : SQLite::OPEN_READWRITE) | SQLite::OPEN_NOMUTEX;
        if (options.create && !options.read_only) flags |= SQLite::OPEN_CREATE;
        auto db = std::make_unique<SQLite::Database>(path, flags);
        auto busy = std::make_unique<BusyWait>();
        busy->timeout_ms = std::max(options.busy_timeout_ms, 0);
        busy->stop = options.stop != nullptr ? options.stop : &never_stopped();
        busy->clock = options.clock != nullptr ? options.clock : &kSystemClock;
        // Replaces SQLite's busy timeout by the same schedule of waits, cut short by a stop request.
        sqlite3_busy_handler(db->getHandle(), &busy_handler, busy.get());
        // A file that is not a database fails on the first read, not on open.
        db->exec("PRAGMA foreign_keys = ON");
        if (!options.read_only) {
            db->exec("PRAGMA journal_mode = WAL");
            db->exec("PRAGMA synchronous = NORMAL");
        }
        return std::unique_ptr<Database>(new Database(path, std::move(db), std::move(busy), options.read_only));
    } catch (const std::exception& e) {
        return Error{"cannot open database " + path + ": " + e.what() +
                         " (check the path, its permissions, and that it is an SQLite database)",
                     exit_code::database};
    }
}

int Database::user_version() {
    return db_->execAndGet("PRAGMA user_version").getInt();
}

Status Database::exec(const std::string& sql) {
    try {
        db_->exec(sql);
        return ok_status();
    } catch (const std::exception& e) {
        return Error{std::string("database error: ") + e.what()};
    }
}

bool is_busy(const std::exception& e) {
    const auto* sq = dynamic_cast<const SQLite::Exception*>(&e);
    if (sq == nullptr) return false;
    const int primary = sq->getErrorCode() & 0xff;
    return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

Status require_current_schema(Database& db) {
    int v = 0;
    try {
        v = db.user_version();
    } catch (const std::exception& e) {
        return Error{"cannot read database " + db.path() + ": " + e.what(), exit_code::database};
    }
    const int known = known_schema_version();
    if (v > known)
        return Error{"database " + db.path() + " has schema version " + std::to_string(v) +
                         ", newer than this olmd understands (" + std::to_string(known) +
                         "); upgrade olmd before using this database",
                     exit_code::database};
    if (v < known)
        return Error{"database " + db.path() + " has schema version " + std::to_string(v) + ", this olmd needs " +
                         std::to_string(known) + "; run `olmd init-db` to apply the pending migrations",
                     exit_code::database};
    return ok_status();
}

bool configure_sqlite_library() {
    // Memory statistics cost a global mutex per allocation; olmd never reads them.
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
}

}  // namespace olmd::store
