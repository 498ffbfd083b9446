#pragma once
// An in-memory implementation of the store ports (domain/run_store.hpp) for job
// unit tests that check rules without SQLite: orders live in vectors, the status
// writer (memory_snapshot_writer.hpp) applies the optimistic transition of rules.md
// to them and keeps every history row, and a batch that is rolled back leaves nothing
// behind.

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "olmd/domain/run_store.hpp"
#include "support/memory_snapshot_writer.hpp"

namespace olmd::test {

/// The orders and history of an in-memory back office.
struct MemoryData {
    std::vector<domain::FraudOrder> fraud_orders;  ///< what the fraud job reads, in id order
    std::vector<MemoryHistory> history;
    int batches_committed = 0;
    RowId next_id = 1;  ///< the snapshot writer keeps it over a rollback; fraud tests set their own ids
    /// The order with that id, or null.
    domain::FraudOrder* order(OrderId id) {
        for (auto& o : fraud_orders)
            if (o.id == id) return &o;
        return nullptr;
    }
    /// The current status of an order (0 when there is none).
    StatusId status_of(OrderId id) const {
        for (const auto& o : fraud_orders)
            if (o.id == id) return o.status_id;
        return 0;
    }
};

/// The StatusWriter port over MemoryData (support/memory_snapshot_writer.hpp).
using MemoryStatusWriter = MemorySnapshotWriter<MemoryData>;

/// The fraud job's pages over MemoryData, filtered as FR-1 says.
class MemoryFraudPages final : public domain::FraudOrderPages {
public:
    MemoryFraudPages(const MemoryData& data, domain::FraudOrderFilter f) : data_(data), f_(std::move(f)) {}
    Result<std::vector<domain::FraudOrder>> page(RowId after, int limit) override {
        std::vector<domain::FraudOrder> out;
        for (const auto& o : data_.fraud_orders)
            if (o.id > after && selected(o) && static_cast<int>(out.size()) < limit) out.push_back(o);
        return out;
    }
    Result<std::int64_t> count() override {
        std::int64_t n = 0;
        for (const auto& o : data_.fraud_orders) n += selected(o) ? 1 : 0;
        return n;
    }

private:
    bool selected(const domain::FraudOrder& o) const {
        auto in = [](const auto& v, RowId id) { return std::find(v.begin(), v.end(), id) != v.end(); };
        return in(f_.statuses, o.status_id) && (f_.channels.empty() || in(f_.channels, o.channel_id));
    }
    const MemoryData& data_;
    domain::FraudOrderFilter f_;
};

/// The RunStore port over MemoryData (fraud job and status writers; the payment and sourcing
/// repositories are not held in memory and say so).
class MemoryRunStore final : public domain::RunStore {
public:
    explicit MemoryRunStore(MemoryData& data) : data_(data) {}
    Result<std::unique_ptr<domain::StatusWriter>> status_writer(const domain::WriterOptions& o) override {
        return std::unique_ptr<domain::StatusWriter>(new MemoryStatusWriter(data_, o));
    }
    Result<std::unique_ptr<domain::PaymentRepository>> payments() override {
        return Error{"the memory store holds no payments"};
    }
    Result<std::unique_ptr<domain::FraudOrderPages>> fraud_orders(const domain::FraudOrderFilter& f) override {
        return std::unique_ptr<domain::FraudOrderPages>(new MemoryFraudPages(data_, f));
    }
    Result<std::optional<domain::FraudOrder>> fraud_order(OrderId id) override {
        for (const auto& o : data_.fraud_orders)
            if (o.id == id) return std::optional<domain::FraudOrder>(o);
        return std::optional<domain::FraudOrder>{};
    }
    Result<std::unique_ptr<domain::SourcingRepository>> sourcing() override {
        return Error{"the memory store holds no sourcing data"};
    }

private:
    MemoryData& data_;
};

}  // namespace olmd::test
