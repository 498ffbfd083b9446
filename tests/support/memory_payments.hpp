#pragma once
// An in-memory implementation of the payment jobs' ports (domain/payments.hpp's
// PaymentRepository with the OPS-6 journal, and a StatusWriter over the same orders)
// for unit tests of the CAP and RA rules without SQLite. It does what
// store::SqlitePayments does (src/store/payments_*.cpp): the CAP-2/CAP-3 and RA-2
// selections in id order, the journal's attempt numbers and idempotency keys
// ("olmd-<ns>-<payment>-<operation>-<attempt>"), outcomes that keep the earlier
// gateway_ref / response_code when the answer has none, and batches and per-order
// savepoints that a rollback undoes whole (the data is copied at begin_batch /
// begin_order and put back on rollback). Rows hold only well-typed values: the
// typeof() bad-data checks of the SQLite reads are not modelled.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "olmd/domain/catalog.hpp"
#include "olmd/domain/run_store.hpp"
#include "support/memory_snapshot_writer.hpp"
#include "support/memory_store.hpp"

namespace olmd::test {

/// One gateway_operations row of the memory store.
struct MemJournalOp {
    domain::JournalOp op;
    std::string completed_at;  ///< "" while pending or unknown
};

/// The tables of an in-memory back office, as the payment jobs see them. A plain value: a copy
/// is a snapshot (how the memory writer rolls back).
struct MemoryPaymentsData {
    std::vector<domain::PaymentOrder> orders;  ///< each with its payments, in id order
    std::vector<MemJournalOp> journal;         ///< in id order
    std::vector<MemoryHistory> history;
    std::map<RowId, std::string> captured_at;  ///< payments.captured_at by payment id (absent = NULL)
    std::string key_namespace = "mem";
    RowId next_id = 1;
    int batches_committed = 0;
    /// Called with every row journaled, on the journaling thread (a test watching the journal from
    /// another thread, e.g. a gateway's worker, synchronizes in it); unset = nothing.
    std::function<void(const domain::JournalOp&)> on_journal;

    /// A new row id (one sequence for every table).
    RowId new_id() { return next_id++; }
    /// The order with that id, or null.
    domain::PaymentOrder* order(OrderId id);
    const domain::PaymentOrder* order(OrderId id) const;
    /// The payment with that id, or null.
    domain::PaymentRow* payment(RowId id);
    const domain::PaymentRow* payment(RowId id) const;
    /// The payment that replaces old (replaces_payment_id), or null.
    const domain::PaymentRow* replacement_of(RowId old) const;
    /// The journal rows of one payment, in id order.
    std::vector<domain::JournalOp> ops_of(RowId payment) const;
};

/// The PaymentRepository port over MemoryPaymentsData.
class MemoryPayments final : public domain::PaymentRepository {
public:
    explicit MemoryPayments(MemoryPaymentsData& data) : d_(data) {}
    Result<std::vector<OrderId>> capture_orders(const domain::CaptureFilter& f, OrderId after, int limit) override;
    Result<std::int64_t> capture_count(const domain::CaptureFilter& f) override;
    Result<std::vector<OrderId>> reauth_orders(const domain::ReauthFilter& f, OrderId after, int limit) override;
    Result<std::vector<OrderId>> club_orders(StatusId club_status, OrderId after, int limit) override;
    Result<std::optional<domain::PaymentOrder>> load_order(OrderId id) override;
    Result<OrderId> order_of_payment(RowId payment_id) override;
    Result<std::vector<domain::JournalOp>> unresolved(const std::vector<std::string>& purposes) override;
    Result<std::string> key_namespace() override { return d_.key_namespace; }
    Result<domain::JournalOp> journal(RowId payment_id, domain::Operation op, const std::string& purpose, Cents amount,
                                      const std::string& request_ref, RunId run, Instant now) override;
    Status complete(RowId op_id, domain::OpState state, const std::string& gateway_ref,
                    const std::string& response_code, Instant now) override;
    Status mark_captured(RowId payment_id, Cents captured_cents, Instant now, const std::string& avs,
                         const std::string& cvv) override;
    Status set_status(RowId payment_id, const std::string& status) override;
    Status mark_authorized(RowId payment_id, const std::string& gateway_ref, Instant now, const std::string& avs,
                           const std::string& cvv) override;
    Status count_club_attempt(RowId payment_id, Instant now) override;
    Result<RowId> insert_replacement(const domain::PaymentRow& old, Cents amount, Instant now) override;

private:
    MemoryPaymentsData& d_;
};

/// The StatusWriter port over MemoryPaymentsData's orders (support/memory_snapshot_writer.hpp).
using MemoryPaymentsWriter = MemorySnapshotWriter<MemoryPaymentsData>;

/// The RunStore port over MemoryPaymentsData (payments and their status writer; the fraud and
/// sourcing repositories are not held here and say so).
class MemoryPaymentsStore final : public domain::RunStore {
public:
    explicit MemoryPaymentsStore(MemoryPaymentsData& data) : d_(data) {}
    Result<std::unique_ptr<domain::StatusWriter>> status_writer(const domain::WriterOptions& o) override;
    Result<std::unique_ptr<domain::PaymentRepository>> payments() override;
    Result<std::unique_ptr<domain::FraudOrderPages>> fraud_orders(const domain::FraudOrderFilter&) override {
        return Error{"the memory payments store holds no fraud orders"};
    }
    Result<std::optional<domain::FraudOrder>> fraud_order(OrderId) override {
        return Error{"the memory payments store holds no fraud orders"};
    }
    Result<std::unique_ptr<domain::SourcingRepository>> sourcing() override {
        return Error{"the memory payments store holds no sourcing data"};
    }

private:
    MemoryPaymentsData& d_;
};

}  // namespace olmd::test
