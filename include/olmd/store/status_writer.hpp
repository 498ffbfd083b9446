#pragma once
// The SQLite StatusWriter: optimistic update + history row, committed in
// batches with BEGIN IMMEDIATE and a savepoint per order.

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "olmd/core/error.hpp"
#include "olmd/core/ids.hpp"
#include "olmd/core/time.hpp"
#include "olmd/domain/status_writer.hpp"
#include "olmd/store/database.hpp"

namespace olmd::store {

/// The StatusWriter port on one SQLite connection.
class SqliteStatusWriter final : public domain::StatusWriter {
public:
    /// job: the history row's job name; names: used to print status names in dry runs.
    SqliteStatusWriter(Database& db, JobKind job, RunId run, Instant now, bool dry_run, std::ostream* dry_out,
                 std::function<std::string(StatusId)> status_name);
    ~SqliteStatusWriter() override;
    SqliteStatusWriter(const SqliteStatusWriter&) = delete;
    SqliteStatusWriter& operator=(const SqliteStatusWriter&) = delete;

    /// Starts a write transaction (BEGIN IMMEDIATE) for a batch; no-op in dry run.
    Status begin_batch() override;
    /// Commits the batch; on error the batch is rolled back and nothing of it is kept.
    Status commit_batch() override;
    /// Rolls the open batch back (no-op when none is open).
    void rollback_batch() override;
    /// Opens a savepoint around one order's writes (a no-op in dry run).
    Status begin_order() override;
    /// Releases (keep) or rolls back (drop) the order's savepoint.
    Status end_order(bool keep) override;

    /// Applies one transition inside the open batch (rules.md "status transition").
    Result<domain::TransitionOutcome> apply(const domain::Transition& t) override;
    /// Applies a batch's transitions set-based: UPDATE ... FROM (VALUES ...) RETURNING and one
    /// INSERT ... SELECT for the history, with apply()'s outcomes (one by one in dry runs).
    Result<std::vector<domain::TransitionOutcome>> apply_all(const std::vector<domain::Transition>& ts) override;

    /// True in dry-run mode.
    bool dry_run() const override { return dry_run_; }
    /// The run id history rows carry.
    RunId run_id() const override { return run_; }
    /// The run's now, as written to updated_at / changed_at.
    const std::string& now_text() const override { return now_text_; }

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
