#pragma once
// Multi-row statements (store-private): n rows of `width` parameters in one
// VALUES list, prepared once per chunk size (powers of two up to kMaxRows), so a
// batch of rows costs a handful of statements instead of one per row.

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace olmd::store {

/// "(?,?,?),(?,?,?)": n rows of `width` parameters, numbered 1.. in order of appearance. Plain `?`
/// rather than `?NNN`: SQLite resolves each `?NNN` by a linear scan of the ones before it, which made
/// preparing a 1 024-row statement quadratic in its ~9 000 parameters.
inline std::string values_rows(std::size_t n, int width) {
    std::string row = "(?";
    for (int k = 1; k < width; ++k) row += ",?";
    row += ')';
    std::string v;
    v.reserve(n * (row.size() + 1));
    for (std::size_t r = 0; r < n; ++r) {
        if (r != 0) v += ',';
        v += row;
    }
    return v;
}

/// The largest power of two ≤ n and ≤ max_rows (n ≥ 1): the next chunk of a multi-row statement.
inline std::size_t chunk_rows(std::size_t n, std::size_t max_rows) {
    std::size_t c = 1;
    while (c * 2 <= n && c * 2 <= max_rows) c *= 2;
    return c;
}

/// head + n rows of `width` parameters + tail, e.g. "INSERT INTO t (a, b) VALUES " ... " RETURNING id".
/// head holds no parameter (the rows' are numbered from 1); named ones (":now") go after the rows.
class MultiRow {
public:
    static constexpr std::size_t kMaxRows = 1024;

    MultiRow(SQLite::Database& db, std::string head, int width, std::string tail)
        : db_(db), head_(std::move(head)), tail_(std::move(tail)), width_(width) {}

    /// Runs the statement over rows 0..count-1 in order, in chunks: bind(q, first_parameter, row)
    /// binds one row's `width` parameters; bind_named(q), if given, binds the named parameters of
    /// head and tail (":now"); each result row (RETURNING) goes to on_result. Returns the rows the
    /// statements changed (sqlite3_changes summed). Throws what SQLiteCpp throws.
    long long run(std::size_t count, const std::function<void(SQLite::Statement&, int, std::size_t)>& bind,
                  const std::function<void(SQLite::Statement&)>& on_result = {},
                  const std::function<void(SQLite::Statement&)>& bind_named = {}) {
        long long changed = 0;
        for (std::size_t done = 0; done < count;) {
            const std::size_t n = chunk_rows(count - done, kMaxRows);
            auto& q = statements_[n];
            if (!q) q = std::make_unique<SQLite::Statement>(db_, head_ + values_rows(n, width_) + tail_);
            q->reset();
            for (std::size_t r = 0; r < n; ++r) bind(*q, static_cast<int>(r) * width_ + 1, done + r);
            if (bind_named) bind_named(*q);
            try {
                while (q->executeStep())
                    if (on_result) on_result(*q);
            } catch (...) {
                q->tryReset();
                throw;
            }
            changed += db_.getChanges();
            q->reset();
            done += n;
        }
        return changed;
    }

private:
    SQLite::Database& db_;
    std::string head_, tail_;
    int width_;
    std::map<std::size_t, std::unique_ptr<SQLite::Statement>> statements_;
};

}  // namespace olmd::store
