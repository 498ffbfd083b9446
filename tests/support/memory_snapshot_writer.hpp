#pragma once
// The StatusWriter port over an in-memory back office (memory_store.hpp for fraud,
// memory_sourcing.hpp, memory_payments.hpp), once for all three: the optimistic transition of rules.md (the from
// status must still be there) with its history row, and a batch or an order's savepoint
// that a rollback undoes with every row written inside it (the tables are a plain value:
// a copy is taken at begin_batch / begin_order and put back on rollback). In dry run
// nothing is written and each transition is printed as the SQLite writer prints it.
//
// Data must be copyable and have `next_id` (never handed out twice, kept over a
// rollback), `batches_committed`, `history` (MemoryHistory rows) and `order(OrderId)`
// returning a pointer to an order with a `status_id`, or null.

#include <optional>
#include <ostream>
#include <string>
#include <utility>

#include "olmd/core/time.hpp"
#include "olmd/domain/run_store.hpp"

namespace olmd::test {

/// One history row an in-memory writer kept.
struct MemoryHistory {
    OrderId order = 0;
    StatusId from = 0, to = 0;
    JobKind job = JobKind::fraud;
    RunId run = 0;
    std::string reason;
};

template <class Data>
class MemorySnapshotWriter final : public domain::StatusWriter {
public:
    MemorySnapshotWriter(Data& data, domain::WriterOptions options)
        : d_(data), o_(std::move(options)), now_(format_utc(o_.now)) {}

    Status begin_batch() override {
        if (!o_.dry_run) batch_start_ = d_;
        return ok_status();
    }
    Status commit_batch() override {
        if (o_.dry_run || !batch_start_) return ok_status();
        batch_start_.reset();
        order_start_.reset();
        ++d_.batches_committed;
        return ok_status();
    }
    void rollback_batch() override {
        if (!batch_start_) return;
        restore(*batch_start_);
        batch_start_.reset();
        order_start_.reset();
    }
    Status begin_order() override {
        if (!o_.dry_run) order_start_ = d_;
        return ok_status();
    }
    Status end_order(bool keep) override {
        if (o_.dry_run || !order_start_) return ok_status();
        if (!keep) restore(*order_start_);
        order_start_.reset();
        return ok_status();
    }
    Result<domain::TransitionOutcome> apply(const domain::Transition& t) override {
        if (t.to == t.from) return domain::TransitionOutcome::unchanged;
        if (o_.dry_run) {
            if (o_.dry_out)
                *o_.dry_out << "would change order "
                            << (t.order_number.empty() ? std::to_string(t.order) : t.order_number) << ": "
                            << name(t.from) << " -> " << name(t.to) << " (" << job_name(o_.job) << ": " << t.reason
                            << ")\n";
            return domain::TransitionOutcome::changed;
        }
        auto* o = d_.order(t.order);
        if (o == nullptr || o->status_id != t.from) return domain::TransitionOutcome::concurrent;
        o->status_id = t.to;
        d_.history.push_back(MemoryHistory{t.order, t.from, t.to, o_.job, o_.run, t.reason});
        return domain::TransitionOutcome::changed;
    }
    bool dry_run() const override { return o_.dry_run; }
    RunId run_id() const override { return o_.run; }
    const std::string& now_text() const override { return now_; }

private:
    /// Puts a snapshot back; ids are not handed out twice, so a test never mistakes one row for another.
    void restore(Data& snapshot) {
        const RowId next = d_.next_id;
        d_ = std::move(snapshot);
        d_.next_id = next;
    }
    std::string name(StatusId id) const { return o_.status_name ? o_.status_name(id) : std::to_string(id); }

    Data& d_;
    domain::WriterOptions o_;
    std::string now_;
    std::optional<Data> batch_start_, order_start_;
};

}  // namespace olmd::test
