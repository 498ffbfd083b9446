#include "olmd/store/database.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sys/stat.h>

#include "olmd/store/migrations.hpp"

namespace olmd::store {

Database::Database(std::string path, std::unique_ptr<SQLite::Database> db)
    : path_(std::move(path)), db_(std::move(db)) {}

Database::~Database() = default;

Result<std::unique_ptr<Database>> Database::open(const std::string& path, const OpenOptions& options) {
    struct stat st {};
    const bool exists = ::stat(path.c_str(), &st) == 0;
    if (!exists && !options.create)
        return Error{"database " + path + " does not exist; create it with `olmd init-db` or set [daemon] database",
                     exit_code::database};
    if (exists && S_ISDIR(st.st_mode))
        return Error{"database path " + path + " is a directory; set [daemon] database to a file", exit_code::database};
    try {
        int flags = options.read_only ? SQLite::OPEN_READONLY : SQLite::OPEN_READWRITE;
        if (options.create && !options.read_only) flags |= SQLite::OPEN_CREATE;
        auto db = std::make_unique<SQLite::Database>(path, flags, options.busy_timeout_ms);
        // A file that is not a database fails on the first read, not on open.
        db->exec("PRAGMA foreign_keys = ON");
        if (!options.read_only) {
            db->exec("PRAGMA journal_mode = WAL");
            db->exec("PRAGMA synchronous = NORMAL");
        }
        return std::unique_ptr<Database>(new Database(path, std::move(db)));
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

}  // namespace olmd::store
