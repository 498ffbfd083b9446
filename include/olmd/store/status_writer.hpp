#pragma once
// The status transition of rules.md: optimistic update + history row,
// committed in batches of [daemon] batch_size orders with BEGIN IMMEDIATE.

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "olmd/core/error.hpp"
#include "olmd/core/ids.hpp"
#include "olmd/core/time.hpp"
#include "olmd/store/database.hpp"

namespace olmd::store {

/// What happened to one requested transition.
enum class TransitionOutcome {
    changed,      ///< status updated and history row inserted
    unchanged,    ///< the order already had the target status: nothing written
    concurrent,   ///< the back office moved the order since it was read: left alone
};

/// One requested status change.
struct Transition {
    OrderId order = 0;
    StatusId from = 0;
    StatusId to = 0;
    std::string reason;         ///< machine-readable, e.g. "fraud_failed:grand_total"
    std::string order_number;   ///< for dry-run output and logs
    /// The stored status_id is not an integer (bad data: 6.5, 'abc'); `from` is its coerced
    /// reading, and the update matches the non-integer value instead of `from`.
    bool from_not_integer = false;
};

/// Writes transitions for one job of one run. In dry-run mode nothing is written:
/// each transition that would apply is printed to the dry-run stream instead.
class StatusWriter {
public:
    /// job: the history row's job name; names: used to print status names in dry runs.
    StatusWriter(Database& db, JobKind job, RunId run, Instant now, bool dry_run, std::ostream* dry_out,
                 std::function<std::string(StatusId)> status_name);
    ~StatusWriter();
    StatusWriter(const StatusWriter&) = delete;
    StatusWriter& operator=(const StatusWriter&) = delete;

    /// Starts a write transaction (BEGIN IMMEDIATE) for a batch; no-op in dry run.
    Status begin_batch();
    /// Commits the batch; on error the batch is rolled back and nothing of it is kept.
    Status commit_batch();
    /// Rolls the open batch back (no-op when none is open).
    void rollback_batch();
    /// Opens a savepoint around one order's writes (a no-op in dry run).
    Status begin_order();
    /// Releases (keep) or rolls back (drop) the order's savepoint.
    Status end_order(bool keep);

    /// Applies one transition inside the open batch (rules.md "status transition").
    Result<TransitionOutcome> apply(const Transition& t);

    /// True in dry-run mode.
    bool dry_run() const { return dry_run_; }
    /// The run id history rows carry.
    RunId run_id() const { return run_; }
    /// The run's now, as written to updated_at / changed_at.
    const std::string& now_text() const { return now_text_; }

private:
    struct Statements;
    Database& db_;
    JobKind job_;
    RunId run_;
    std::string now_text_;
    bool dry_run_;
    std::ostream* dry_out_;
    std::function<std::string(StatusId)> status_name_;
    std::unique_ptr<Statements> st_;
    bool in_batch_ = false;
};

}  // namespace olmd::store
