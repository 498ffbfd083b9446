#pragma once
// A prepared statement on the raw sqlite3 API, for the hot read paths (store-private).
// SQLiteCpp's Column holds a shared_ptr to its statement, so reading 25 columns of
// 100 000 rows costs 5 million atomic reference-count changes; this reads columns
// straight from the sqlite3_stmt. Errors throw std::runtime_error with SQLite's
// message, like SQLiteCpp, so the callers' catch blocks see one kind of failure.

#include <sqlite3.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace olmd::store {

class RawStatement {
public:
    /// Prepares sql on db (kept prepared for the statement's life); throws when it does not compile.
    RawStatement(sqlite3* db, const std::string& sql) : db_(db) {
        if (sqlite3_prepare_v3(db, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt_,
                               nullptr) != SQLITE_OK)
            throw std::runtime_error(sqlite3_errmsg(db));
    }
    ~RawStatement() { sqlite3_finalize(stmt_); }
    RawStatement(const RawStatement&) = delete;
    RawStatement& operator=(const RawStatement&) = delete;

    /// Binds an integer to parameter i (1-based).
    void bind(int i, std::int64_t v) { check(sqlite3_bind_int64(stmt_, i, v)); }
    /// The next row: true when there is one, false when done; throws on an error.
    bool step() {
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        throw std::runtime_error(sqlite3_errmsg(db_));
    }
    /// Ends the current execution (releases its read snapshot); keeps bindings.
    void reset() noexcept { sqlite3_reset(stmt_); }

    /// Column i's storage class (SQLITE_INTEGER, SQLITE_TEXT, SQLITE_NULL, ...).
    int type(int i) const { return sqlite3_column_type(stmt_, i); }
    bool is_null(int i) const { return type(i) == SQLITE_NULL; }
    /// Column i as an integer (SQLite's conversion for other types).
    std::int64_t int64(int i) const { return sqlite3_column_int64(stmt_, i); }
    /// Column i as text, converted by SQLite as sqlite3_column_text does ("" for NULL); valid until the next step.
    std::string_view text(int i) const {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
        return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i))) : std::string_view();
    }

private:
    void check(int rc) const {
        if (rc != SQLITE_OK) throw std::runtime_error(sqlite3_errmsg(db_));
    }
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

/// Resets a statement when it leaves scope, on success or exception.
class ResetOnExit {
public:
    explicit ResetOnExit(RawStatement& s) : s_(s) {}
    ~ResetOnExit() { s_.reset(); }
    ResetOnExit(const ResetOnExit&) = delete;
    ResetOnExit& operator=(const ResetOnExit&) = delete;

private:
    RawStatement& s_;
};

}  // namespace olmd::store
