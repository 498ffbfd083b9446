#include "olmd/store/retention.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>

namespace olmd::store {

namespace {

/// Rows deleted per statement: each is its own short transaction (OPS-7).
constexpr int kPurgeChunk = 1000;

/// Runs a chunked DELETE (parameters: cutoff, limit) until it deletes less than a chunk; adds to total.
void delete_in_chunks(Database& db, const char* sql, const std::string& cutoff, std::int64_t& total) {
    SQLite::Statement q(db.raw(), sql);
    for (;;) {
        q.reset();
        q.bind(1, cutoff);
        q.bind(2, kPurgeChunk);
        const int n = q.exec();
        total += n;
        if (n < kPurgeChunk) return;
    }
}

bool table_exists(Database& db, const char* name) {
    SQLite::Statement q(db.raw(), "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    q.bind(1, name);
    return q.executeStep();
}

}  // namespace

Result<PurgeCounts> purge_finished_operations(Database& db, Instant now, int days) {
    if (days < 1) return Error{"run_retention_days must be at least 1, not " + std::to_string(days)};
    const std::string cutoff = format_utc(now - std::chrono::days{days});
    PurgeCounts counts;
    try {
        delete_in_chunks(db,
                         "DELETE FROM gateway_operations WHERE id IN (SELECT id FROM gateway_operations "
                         "WHERE state NOT IN ('pending', 'unknown') AND completed_at IS NOT NULL "
                         "AND completed_at < ? LIMIT ?)",
                         cutoff, counts.operations);
        // The sandbox answers a repeated key from its ledger: keep the rows an open operation may resend.
        if (table_exists(db, "sandbox_ledger"))
            delete_in_chunks(db,
                             "DELETE FROM sandbox_ledger WHERE id IN (SELECT l.id FROM sandbox_ledger l "
                             "WHERE l.created_at < ? AND NOT EXISTS (SELECT 1 FROM gateway_operations g "
                             "WHERE g.idempotency_key = l.idempotency_key AND g.state IN ('pending', 'unknown')) "
                             "LIMIT ?)",
                             cutoff, counts.ledger_rows);
        return counts;
    } catch (const std::exception& e) {
        return Error{"cannot purge finished gateway operations older than " + std::to_string(days) + " days (" +
                     std::to_string(counts.operations + counts.ledger_rows) + " rows purged before the error): " +
                     e.what()};
    }
}

Result<std::int64_t> count_runs_with_warning(Database& db) {
    try {
        SQLite::Statement q(db.raw(), "SELECT count(*) FROM automation_runs WHERE warning_sent_at IS NOT NULL");
        q.executeStep();
        return q.getColumn(0).getInt64();
    } catch (const std::exception& e) {
        return Error{std::string("cannot count the runs that sent a warning: ") + e.what()};
    }
}

}  // namespace olmd::store
