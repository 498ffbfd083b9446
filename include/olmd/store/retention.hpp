#pragma once
// Housekeeping after each run ([daemon] run_retention_days) and the run
// history counts the metrics textfile reports.

#include <cstdint>

#include "olmd/core/error.hpp"
#include "olmd/core/time.hpp"
#include "olmd/store/database.hpp"

namespace olmd::store {

/// What one purge removed.
struct PurgeCounts {
    std::int64_t operations = 0;    ///< gateway_operations rows
    std::int64_t ledger_rows = 0;   ///< sandbox_ledger rows
};

/// Deletes, in short transactions, the finished gateway_operations (state neither pending nor unknown)
/// whose completed_at is more than `days` days before now, and the sandbox_ledger rows (when that table
/// exists) created before then whose key no pending/unknown operation still needs. automation_runs
/// and order_status_history are never touched.
Result<PurgeCounts> purge_finished_operations(Database& db, Instant now, int days);

/// How many runs sent a long-run warning (automation_runs.warning_sent_at set).
Result<std::int64_t> count_runs_with_warning(Database& db);

}  // namespace olmd::store
