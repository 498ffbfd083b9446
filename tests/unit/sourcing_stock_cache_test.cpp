// SRC-10 across batches: a run reads a SKU's stock once and keeps what it took
// itself, but reads it again when another connection committed since the last
// batch (PRAGMA data_version), so a back-office change between two batches is
// seen by the next one. The job runs on SQLite through decorators of the store
// ports that count stock reads and let "the back office" write right after a
// batch commits.

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <thread>

#include "sourcing_fixture.hpp"

namespace olmd::test {
namespace {

using namespace domain::sourcing;

/// The SQLite sourcing repository, counting the inventory reads of one SKU.
class CountingSourcing final : public domain::SourcingRepository {
public:
    CountingSourcing(std::unique_ptr<domain::SourcingRepository> inner, RowId sku, int& reads)
        : in_(std::move(inner)), sku_(sku), reads_(reads) {}
    Result<ReferenceData> load_reference() override { return in_->load_reference(); }
    Result<std::int64_t> count_in_statuses(const std::vector<StatusId>& s) override {
        return in_->count_in_statuses(s);
    }
    Result<std::vector<SourcingOrder>> page_by_id(const std::vector<StatusId>& s, RowId after, int limit) override {
        return in_->page_by_id(s, after, limit);
    }
    Result<std::int64_t> snapshot_backordered(const std::vector<StatusId>& s) override {
        return in_->snapshot_backordered(s);
    }
    Result<std::vector<SourcingOrder>> page_backordered(const std::string& c, RowId after, int limit) override {
        return in_->page_backordered(c, after, limit);
    }
    Result<std::optional<SourcingOrder>> read_order(OrderId id) override { return in_->read_order(id); }
    Result<std::optional<std::int64_t>> others_commit_counter() override { return in_->others_commit_counter(); }
    Result<std::vector<InventoryRow>> inventory(const std::vector<RowId>& skus) override {
        for (RowId s : skus) reads_ += s == sku_ ? 1 : 0;
        return in_->inventory(skus);
    }
    Result<std::vector<VendorStockRow>> vendor_stock(const std::vector<RowId>& skus) override {
        return in_->vendor_stock(skus);
    }
    Result<Centroid> zip_centroid(const std::string& zip5) override { return in_->zip_centroid(zip5); }
    Result<PaymentTotals> payment_totals(OrderId id, const std::string& valid_after) override {
        return in_->payment_totals(id, valid_after);
    }
    Result<RowId> insert_rts_payment(RowId p, std::int64_t cents, const std::string& now) override {
        return in_->insert_rts_payment(p, cents, now);
    }
    Result<bool> has_open_rts_authorization(OrderId id) override { return in_->has_open_rts_authorization(id); }
    Status apply(const SourcingOrder& o, const Plan& p, RunId run, const std::string& now) override {
        return in_->apply(o, p, run, now);
    }
    void stage_writes(bool on) override { in_->stage_writes(on); }
    Status flush_writes() override { return in_->flush_writes(); }

private:
    std::unique_ptr<domain::SourcingRepository> in_;
    RowId sku_;
    int& reads_;
};

/// A status writer that calls after_commit(batch number) once each batch has committed.
class HookedWriter final : public domain::StatusWriter {
public:
    HookedWriter(std::unique_ptr<domain::StatusWriter> inner, std::function<void(int)> after_commit)
        : in_(std::move(inner)), after_(std::move(after_commit)) {}
    Status begin_batch() override { return in_->begin_batch(); }
    Status commit_batch() override {
        auto st = in_->commit_batch();
        if (st) after_(commits_++);
        return st;
    }
    void rollback_batch() override { in_->rollback_batch(); }
    Status begin_order() override { return in_->begin_order(); }
    Status end_order(bool keep) override { return in_->end_order(keep); }
    Result<domain::TransitionOutcome> apply(const domain::Transition& t) override { return in_->apply(t); }
    Result<std::vector<domain::TransitionOutcome>> apply_all(const std::vector<domain::Transition>& ts) override {
        return in_->apply_all(ts);
    }
    bool dry_run() const override { return in_->dry_run(); }
    RunId run_id() const override { return in_->run_id(); }
    const std::string& now_text() const override { return in_->now_text(); }

private:
    std::unique_ptr<domain::StatusWriter> in_;
    std::function<void(int)> after_;
    int commits_ = 0;
};

class HookedStore final : public domain::RunStore {
public:
    HookedStore(domain::RunStore& inner, RowId sku, int& reads, std::function<void(int)> after_commit)
        : in_(inner), sku_(sku), reads_(reads), after_(std::move(after_commit)) {}
    Result<std::unique_ptr<domain::StatusWriter>> status_writer(const domain::WriterOptions& o) override {
        auto w = in_.status_writer(o);
        if (!w) return w.error();
        return std::unique_ptr<domain::StatusWriter>(new HookedWriter(std::move(*w), after_));
    }
    Result<std::unique_ptr<domain::PaymentRepository>> payments() override { return in_.payments(); }
    Result<std::unique_ptr<domain::FraudOrderPages>> fraud_orders(const domain::FraudOrderFilter& f) override {
        return in_.fraud_orders(f);
    }
    Result<std::optional<domain::FraudOrder>> fraud_order(OrderId id) override { return in_.fraud_order(id); }
    Result<std::unique_ptr<domain::SourcingRepository>> sourcing() override {
        auto r = in_.sourcing();
        if (!r) return r.error();
        return std::unique_ptr<domain::SourcingRepository>(new CountingSourcing(std::move(*r), sku_, reads_));
    }

private:
    domain::RunStore& in_;
    RowId sku_;
    int& reads_;
    std::function<void(int)> after_;
};

class SourcingStockCache : public SourcingWorld {
protected:
    std::int64_t wh = 0, x = 0;
    std::vector<std::int64_t> lines;

    /// Three orders of one unit of X each, one batch each; X has on_hand 1 at the only warehouse.
    SourcingStockCache() {
        wh = warehouse("East", 1);
        x = sku("X");
        stock(wh, x, 1);
        for (const char* n : {"S-1", "S-2", "S-3"}) lines.push_back(line(order(n), x, 1));
        cfg.daemon.batch_size = 1;
    }

    /// Runs the job with after_commit(batch) called between batches; returns how often X's stock was read.
    int run_hooked(const std::function<void(int)>& after_commit) {
        db.exec("INSERT INTO automation_runs (fire_at, started_at, jobs, outcome, \"trigger\", host) VALUES "
                "('2026-11-22T12:00:00Z', '2026-11-22T12:00:00Z', 'sourcing', 'running', 'manual', 'test')");
        const RunId run = db.db().raw().getLastInsertRowid();
        auto catalog = store::load_catalog(db.db());
        EXPECT_TRUE(catalog.ok());
        TestServices services(db.db(), cfg);
        int reads = 0;
        HookedStore store(services.get().store, x, reads, after_commit);
        jobs::RunServices hooked{store, services.get().gateway, services.get().locator};
        jobs::JobContext ctx{cfg, hooked, *catalog, run, *parse_utc("2026-11-22T12:00:00Z"), false, nullptr, nullptr,
                             nullptr};
        jobs::JobStats stats;
        job().run(ctx, stats);
        EXPECT_EQ(stats.failure, "");
        EXPECT_EQ(stats.selected, 3);
        return reads;
    }
};

TEST_F(SourcingStockCache, SRC10_StockIsReadOnceWhileOnlyTheRunWrites) {
    const int reads = run_hooked([](int) {});
    EXPECT_EQ(reads, 1);  // what batch 1 took is known to batches 2 and 3 without a read
    EXPECT_EQ(allocs(lines[0]), "assigned 1 @East");
    EXPECT_EQ(allocs(lines[1]), "backordered 1 @East");
    EXPECT_EQ(allocs(lines[2]), "backordered 1 @East");
    EXPECT_EQ(available(wh, x), 0);
}

TEST_F(SourcingStockCache, SRC10_AnotherConnectionsCommitBetweenBatchesIsSeenByTheNextBatch) {
    // The back office receives one more unit of X right after batch 1 commits.
    const int reads = run_hooked([&](int batch) {
        if (batch != 0) return;
        SQLite::Database other(db.path(), SQLite::OPEN_READWRITE);
        other.exec("UPDATE inventory SET on_hand = on_hand + 1 WHERE sku_id = " + std::to_string(x));
    });
    EXPECT_EQ(reads, 2);  // batch 2 reads again; batch 3 keeps what batch 2 read and took
    EXPECT_EQ(allocs(lines[0]), "assigned 1 @East");
    EXPECT_EQ(allocs(lines[1]), "assigned 1 @East");  // a stale copy would have backordered it
    EXPECT_EQ(allocs(lines[2]), "backordered 1 @East");
    EXPECT_EQ(available(wh, x), 0);
}

TEST_F(SourcingStockCache, SRC1_PageReadAheadIsDroppedWhenAnotherConnectionCommitted) {
    // S-2's page is read ahead on a second connection while batch 1 is written. Right after batch
    // 1 commits (and after the read-ahead has finished), the back office adds a line of Y to S-2:
    // batch 2 must source the order as it is now, not as it was read ahead.
    const auto y = sku("Y");
    stock(wh, y, 5);
    std::int64_t y_line = 0;
    run_hooked([&](int batch) {
        if (batch != 0) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the read-ahead is done by now
        SQLite::Database other(db.path(), SQLite::OPEN_READWRITE);
        other.exec("INSERT INTO order_items (order_id, sku_id, quantity, unit_price_cents) SELECT order_id, " +
                   std::to_string(y) + ", 2, 500 FROM order_items WHERE id = " + std::to_string(lines[1]));
        y_line = other.getLastInsertRowid();
    });
    ASSERT_NE(y_line, 0);
    EXPECT_EQ(allocs(lines[1]), "backordered 1 @East");
    EXPECT_EQ(allocs(y_line), "assigned 2 @East");  // a stale page would not have the line
    EXPECT_EQ(available(wh, y), 3);
}

}  // namespace
}  // namespace olmd::test
