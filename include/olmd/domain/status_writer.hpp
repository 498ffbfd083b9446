#pragma once
// The status transition of rules.md (optimistic update + history row), as the
// StatusWriter port: transitions committed in batches of [daemon] batch_size
// orders, with a savepoint per order. The store implements it.

#include <string>
#include <vector>

#include "olmd/core/error.hpp"
#include "olmd/core/ids.hpp"

namespace olmd::domain {

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

/// Writes transitions for one job of one run. In dry-run mode nothing is written: each
/// transition that would apply is printed to the dry-run stream instead.
class StatusWriter {
public:
    virtual ~StatusWriter() = default;
    /// Starts a write transaction for a batch; no-op in dry run.
    virtual Status begin_batch() = 0;
    /// Commits the batch; on error the batch is rolled back and nothing of it is kept.
    virtual Status commit_batch() = 0;
    /// Rolls the open batch back (no-op when none is open).
    virtual void rollback_batch() = 0;
    /// Opens a savepoint around one order's writes (a no-op in dry run).
    virtual Status begin_order() = 0;
    /// Releases (keep) or rolls back (drop) the order's savepoint.
    virtual Status end_order(bool keep) = 0;
    /// Applies one transition inside the open batch (rules.md "status transition").
    virtual Result<TransitionOutcome> apply(const Transition& t) = 0;
    /// Applies every transition inside the open batch with apply()'s rules and outcomes, in order
    /// (an implementation may write them set-based); on error the batch must be rolled back.
    virtual Result<std::vector<TransitionOutcome>> apply_all(const std::vector<Transition>& ts);
    /// True in dry-run mode.
    virtual bool dry_run() const = 0;
    /// The run id history rows carry.
    virtual RunId run_id() const = 0;
    /// The run's now, as written to updated_at / changed_at.
    virtual const std::string& now_text() const = 0;
};

}  // namespace olmd::domain
