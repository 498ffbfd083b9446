#pragma once
// An in-memory implementation of the store ports (domain/run_store.hpp) for job
// unit tests that check rules without SQLite: orders live in vectors, the status
// writer applies the optimistic transition of rules.md to them and keeps every
// history row, and a batch that is rolled back leaves nothing behind.

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "olmd/domain/run_store.hpp"

namespace olmd::test {

/// One history row the memory writer kept.
struct MemoryHistory {
    OrderId order = 0;
    StatusId from = 0, to = 0;
    JobKind job = JobKind::fraud;
    RunId run = 0;
    std::string reason;
};

/// The orders and history of an in-memory back office.
struct MemoryData {
    std::vector<domain::FraudOrder> fraud_orders;  ///< what the fraud job reads, in id order
    std::vector<MemoryHistory> history;
    int batches_committed = 0;
    /// The current status of an order (0 when there is none).
    StatusId status_of(OrderId id) const {
        for (const auto& o : fraud_orders)
            if (o.id == id) return o.status_id;
        return 0;
    }
};

/// The StatusWriter port over MemoryData: optimistic (the from status must still be there).
class MemoryStatusWriter final : public domain::StatusWriter {
public:
    MemoryStatusWriter(MemoryData& data, domain::WriterOptions options) : data_(data), o_(std::move(options)) {}
    Status begin_batch() override {
        pending_.clear();
        return ok_status();
    }
    Status commit_batch() override {
        for (const auto& h : pending_) {
            for (auto& order : data_.fraud_orders)
                if (order.id == h.order) order.status_id = h.to;
            data_.history.push_back(h);
        }
        pending_.clear();
        ++data_.batches_committed;
        return ok_status();
    }
    void rollback_batch() override { pending_.clear(); }
    Status begin_order() override { return ok_status(); }
    Status end_order(bool) override { return ok_status(); }
    Result<domain::TransitionOutcome> apply(const domain::Transition& t) override {
        if (t.to == t.from) return domain::TransitionOutcome::unchanged;
        if (o_.dry_run) return domain::TransitionOutcome::changed;
        if (data_.status_of(t.order) != t.from) return domain::TransitionOutcome::concurrent;
        pending_.push_back({t.order, t.from, t.to, o_.job, o_.run, t.reason});
        return domain::TransitionOutcome::changed;
    }
    bool dry_run() const override { return o_.dry_run; }
    RunId run_id() const override { return o_.run; }
    const std::string& now_text() const override { return now_; }

private:
    MemoryData& data_;
    domain::WriterOptions o_;
    std::vector<MemoryHistory> pending_;
    std::string now_ = "2026-11-22T12:00:00Z";
};

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
