// jobs::process_in_batches_overlapped (the fraud job's loop: page n+1 read and
// decided on a second thread while page n is written) against the one-thread
// process_in_batches: the same batches, outcomes and counts; a stop request, a
// failed write and a failed read end it the same way; and the next page really
// is read while the last one is still being written.

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "olmd/jobs/batch_loop.hpp"
#include "support/memory_store.hpp"

namespace olmd::test {
namespace {

struct Row {
    RowId id = 0;
    std::string number;
    StatusId status_id = 1;
};

/// A StatusWriter that records each committed batch; orders whose id is a multiple of 11 were
/// moved by the back office (concurrent); the batch numbered fail_at fails to commit.
class RecordingWriter final : public domain::StatusWriter {
public:
    std::vector<std::vector<domain::Transition>> batches;
    int fail_at = -1;
    std::thread::id thread;
    std::function<void(int batch)> on_commit;  ///< called before a commit, with the batch number

    Status begin_batch() override {
        thread = std::this_thread::get_id();
        open_.clear();
        return ok_status();
    }
    Status commit_batch() override {
        const int n = static_cast<int>(batches.size());
        if (on_commit) on_commit(n);
        if (n == fail_at) return Error{"disk full"};
        batches.push_back(open_);
        return ok_status();
    }
    void rollback_batch() override { open_.clear(); }
    Status begin_order() override { return ok_status(); }
    Status end_order(bool) override { return ok_status(); }
    Result<domain::TransitionOutcome> apply(const domain::Transition& t) override {
        if (t.order % 11 == 0) return domain::TransitionOutcome::concurrent;
        open_.push_back(t);
        return domain::TransitionOutcome::changed;
    }
    bool dry_run() const override { return false; }
    RunId run_id() const override { return 1; }
    const std::string& now_text() const override { return now_; }

private:
    std::vector<domain::Transition> open_;
    std::string now_ = "2026-11-22T12:00:00Z";
};

struct Harness {
    config::Config cfg;
    MemoryData data;
    MemoryRunStore store{data};
    jobs::RunServices services{store, {}, {}};
    domain::Catalog catalog;
    std::atomic<bool> stop{false};
    jobs::Progress progress;
    int rows = 1234;
    int fail_read_at = -1;          ///< the page number whose read fails
    RowId stop_in_decide_of = 0;    ///< the order whose decision requests a stop
    std::vector<std::thread::id> read_threads;
    std::function<void(int page)> on_read;

    Harness() { cfg.daemon.batch_size = 100; }
    jobs::JobContext context() { return jobs::JobContext{cfg, services, catalog, 1, {}, false, nullptr, &progress, &stop}; }

    jobs::PageReader<Row> reader() {
        return [this](RowId after, int limit) -> Result<std::vector<Row>> {
            const int page = static_cast<int>(read_threads.size());
            read_threads.push_back(std::this_thread::get_id());
            if (on_read) on_read(page);
            if (page == fail_read_at) return Error{"cannot read orders: disk I/O error"};
            std::vector<Row> out;
            for (RowId id = after + 1; id <= rows && static_cast<int>(out.size()) < limit; ++id)
                out.push_back(Row{id, "N" + std::to_string(id), 1});
            return out;
        };
    }
    std::function<jobs::OrderDecision(const Row&)> decider() {
        return [this](const Row& r) {
            if (r.id == stop_in_decide_of) stop = true;
            jobs::OrderDecision d;
            d.deferred = r.id % 5 == 0;
            d.bad_data = r.id % 7 == 0;
            if (r.id % 3 != 0) {
                d.to = 2;
                d.reason = "moved:" + std::to_string(r.id);
            }
            return d;
        };
    }
};

struct Outcome {
    std::vector<std::vector<domain::Transition>> batches;
    jobs::JobStats stats;
    std::int64_t done = 0;
};

template <class Setup>
Outcome run(bool overlapped, Setup setup) {
    Harness h;
    RecordingWriter w;
    setup(h, w);
    auto ctx = h.context();
    jobs::JobStats stats;
    if (overlapped)
        jobs::process_in_batches_overlapped<Row>(ctx, stats, w, h.reader(), h.decider());
    else
        jobs::process_in_batches<Row>(ctx, stats, w, h.reader(), h.decider());
    return Outcome{w.batches, stats, h.progress.done.load()};
}

void expect_same(const Outcome& a, const Outcome& b) {
    ASSERT_EQ(a.batches.size(), b.batches.size());
    for (std::size_t i = 0; i < a.batches.size(); ++i) {
        ASSERT_EQ(a.batches[i].size(), b.batches[i].size()) << "batch " << i;
        for (std::size_t k = 0; k < a.batches[i].size(); ++k) {
            EXPECT_EQ(a.batches[i][k].order, b.batches[i][k].order);
            EXPECT_EQ(a.batches[i][k].to, b.batches[i][k].to);
            EXPECT_EQ(a.batches[i][k].reason, b.batches[i][k].reason);
        }
    }
    EXPECT_EQ(a.stats.selected, b.stats.selected);
    EXPECT_EQ(a.stats.changed, b.stats.changed);
    EXPECT_EQ(a.stats.skipped_concurrent, b.stats.skipped_concurrent);
    EXPECT_EQ(a.stats.deferred, b.stats.deferred);
    EXPECT_EQ(a.stats.errors, b.stats.errors);
    EXPECT_EQ(a.stats.failure, b.stats.failure);
    EXPECT_EQ(a.done, b.done);
}

TEST(BatchLoopOverlap, SameBatchesAndCountsAsOneThread) {
    auto nothing = [](Harness&, RecordingWriter&) {};
    const Outcome one = run(false, nothing), two = run(true, nothing);
    expect_same(one, two);
    EXPECT_EQ(two.batches.size(), 13u);  // 1234 rows in pages of 100
    EXPECT_EQ(two.stats.selected, 1234);
    EXPECT_EQ(two.stats.deferred, 1234 / 5);
    EXPECT_EQ(two.stats.errors, 1234 / 7);
    EXPECT_GT(two.stats.skipped_concurrent, 0);
    EXPECT_TRUE(two.stats.failure.empty());
}

TEST(BatchLoopOverlap, StopRequestFinishesTheOrderInHandAndWritesWhatWasDecided) {
    auto stop = [](Harness& h, RecordingWriter&) { h.stop_in_decide_of = 457; };
    const Outcome one = run(false, stop), two = run(true, stop);
    expect_same(one, two);
    EXPECT_EQ(two.stats.selected, 457);
    ASSERT_FALSE(two.batches.empty());
    EXPECT_EQ(two.batches.back().back().order, 457);
}

TEST(BatchLoopOverlap, FailedWriteEndsTheJobAndTheReaderStops) {
    auto fail = [](Harness&, RecordingWriter& w) { w.fail_at = 3; };
    const Outcome one = run(false, fail), two = run(true, fail);
    EXPECT_EQ(two.stats.failure, "disk full");
    EXPECT_EQ(two.batches.size(), 3u);
    EXPECT_EQ(one.batches.size(), 3u);
    EXPECT_EQ(two.stats.changed, one.stats.changed);
}

TEST(BatchLoopOverlap, FailedReadEndsTheJobAfterTheBatchesBefore) {
    auto fail = [](Harness& h, RecordingWriter&) { h.fail_read_at = 4; };
    const Outcome one = run(false, fail), two = run(true, fail);
    expect_same(one, two);
    EXPECT_EQ(two.stats.failure, "cannot read orders: disk I/O error");
    EXPECT_EQ(two.batches.size(), 4u);
}

TEST(BatchLoopOverlap, TheNextPageIsReadOnAnotherThreadWhileThisOneIsWritten) {
    Harness h;
    RecordingWriter w;
    std::mutex m;
    std::condition_variable cv;
    int pages_read = 0;
    bool overlapped = false;
    h.on_read = [&](int page) {
        std::lock_guard l(m);
        pages_read = page + 1;
        cv.notify_all();
    };
    // The commit of batch 0 waits (10 s at most) for page 1 to be read: only an overlapped loop gets there.
    w.on_commit = [&](int batch) {
        if (batch != 0) return;
        std::unique_lock l(m);
        overlapped = cv.wait_for(l, std::chrono::seconds(10), [&] { return pages_read >= 2; });
    };
    auto ctx = h.context();
    jobs::JobStats stats;
    jobs::process_in_batches_overlapped<Row>(ctx, stats, w, h.reader(), h.decider());
    EXPECT_TRUE(overlapped);
    ASSERT_FALSE(h.read_threads.empty());
    EXPECT_NE(h.read_threads.front(), w.thread);
    EXPECT_EQ(w.batches.size(), 13u);
}

}  // namespace
}  // namespace olmd::test
