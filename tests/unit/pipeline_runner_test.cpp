// The run pipeline: the automation_runs row, the fixed job order, the summary,
// and the status transition of rules.md (optimistic write, history, concurrent
// changes, dry run) through the shared batch loop. Through store::Backend and its ports,
// on both backends (pg: prefix, support/pg_mirror.hpp).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "olmd/jobs/batch_loop.hpp"
#include "olmd/pipeline/runner.hpp"
#include "support/pg_mirror.hpp"
#include "support/test_db.hpp"
#include "support/test_services.hpp"

namespace olmd::test {
namespace {

using namespace std::chrono_literals;

const Instant kNow = *parse_utc("2026-11-22T08:00:00Z");

struct Row {
    RowId id;
    std::string number;
    StatusId status_id;
};

/// Reads orders of one status, keyset-paged, through the store's fraud pages (any channel).
jobs::PageReader<Row> reader_for(domain::RunStore& store, StatusId status) {
    auto pages = std::shared_ptr<domain::FraudOrderPages>(store.fraud_orders({{status}, {}}).value());
    return [pages](RowId after, int limit) -> Result<std::vector<Row>> {
        auto page = pages->page(after, limit);
        if (!page) return page.error();
        std::vector<Row> rows;
        for (const auto& o : *page) rows.push_back(Row{o.id, o.number, o.status_id});
        return rows;
    };
}

/// A job that moves every order of one status to another, through the shared loop.
class MoveJob final : public jobs::Job {
public:
    MoveJob(JobKind kind, std::string from, std::string to, std::vector<JobKind>* trace, bool moves)
        : kind_(kind), from_(std::move(from)), to_(std::move(to)), trace_(trace), moves_(moves) {}
    JobKind kind() const override { return kind_; }
    void run(jobs::JobContext& ctx, jobs::JobStats& stats) override {
        if (trace_) trace_->push_back(kind_);
        if (fail_) {
            stats.failure = "gateway unreachable";
            return;
        }
        if (!moves_) return;
        auto w = ctx.services.store.status_writer(
            {kind_, ctx.run_id, ctx.now, ctx.dry_run, ctx.out, [&](StatusId id) { return ctx.catalog.statuses.name(id); }});
        ASSERT_TRUE(w.ok());
        const StatusId to = *ctx.catalog.status_id(to_);
        jobs::process_in_batches<Row>(ctx, stats, **w, reader_for(ctx.services.store, *ctx.catalog.status_id(from_)),
                                      [&](const Row&) { return jobs::OrderDecision{to, "moved", false, false}; });
    }
    void explain(jobs::JobContext&, const jobs::OrderRef&, std::ostream&) override {}
    bool fail_ = false;

private:
    JobKind kind_;
    std::string from_, to_;
    std::vector<JobKind>* trace_;
    bool moves_;
};

/// The runner's tests: each runs on t's backend (t itself, or in pg: tests its PostgreSQL twin).
class Pipeline : public ::testing::Test {
protected:
    /// Runs req with set on t's backend: the Runner, its services and the run row on it.
    Result<pipeline::RunReport> run(const config::Config& cfg, const jobs::JobSet& set, const pipeline::RunRequest& req,
                                    jobs::Progress& progress, const std::string& host = "h", bool stop_now = false) {
        Result<pipeline::RunReport> rep = Error{"not run"};
        with_backend(twin, t, [&](store::Backend& b) {
            domain::FakeClock clock(kNow);
            ::olmd::test::TestServices services(b, cfg, req.dry_run);
            pipeline::Runner runner(cfg, b, services.get(), set, clock, host);
            std::atomic<bool> stop{stop_now};
            rep = runner.run(req, progress, stop);
        });
        return rep;
    }
    /// A status writer of run 1 (fraud) on b's run store.
    static std::unique_ptr<domain::StatusWriter> writer(domain::RunStore& store) {
        return store.status_writer({JobKind::fraud, 1, kNow, false, nullptr, [](StatusId) { return std::string(); }})
            .value();
    }

    TestDb t;
    std::unique_ptr<PgMirror> twin;
};

config::Config small_batches() {
    config::Config c;
    c.daemon.batch_size = 3;
    return c;
}

TEST_F(Pipeline, SCH2_RunRowRecordsJobsInFixedOrderAndSummary) {
    std::vector<JobKind> trace;
    jobs::JobSet set;
    for (JobKind k : kAllJobs) set.jobs[static_cast<int>(k)] = std::make_unique<MoveJob>(k, "", "", &trace, false);
    pipeline::RunRequest req;
    req.jobs = {JobKind::sourcing, JobKind::capture, JobKind::fraud, JobKind::capture};
    req.fire_at = kNow;
    req.now = kNow;
    jobs::Progress progress;
    auto rep = run(config::Config{}, set, req, progress, "host-a");
    ASSERT_TRUE(rep.ok()) << rep.error().message;
    EXPECT_EQ(trace, (std::vector<JobKind>{JobKind::capture, JobKind::fraud, JobKind::sourcing}));
    EXPECT_EQ(t.text("SELECT jobs FROM automation_runs"), "capture,fraud,sourcing");
    EXPECT_EQ(t.text("SELECT outcome FROM automation_runs"), "succeeded");
    EXPECT_EQ(t.text("SELECT \"trigger\" FROM automation_runs"), "manual");
    EXPECT_EQ(t.text("SELECT host FROM automation_runs"), "host-a");
    EXPECT_EQ(t.text("SELECT fire_at FROM automation_runs"), "2026-11-22T08:00:00Z");
    EXPECT_FALSE(t.text("SELECT finished_at FROM automation_runs").empty());
    const auto summary = nlohmann::json::parse(t.text("SELECT summary FROM automation_runs"));
    for (const char* job : {"capture", "fraud", "sourcing"})
        for (const char* key : {"selected", "changed", "skipped_concurrent", "deferred", "errors", "seconds"})
            EXPECT_TRUE(summary[job].contains(key)) << job << "." << key;
    EXPECT_FALSE(summary.contains("reauth"));
}

TEST_F(Pipeline, FailedJobMarksRunFailedAndLaterJobsStillRun) {
    std::vector<JobKind> trace;
    jobs::JobSet set;
    auto capture = std::make_unique<MoveJob>(JobKind::capture, "", "", &trace, false);
    capture->fail_ = true;
    set.jobs[0] = std::move(capture);
    set.jobs[2] = std::make_unique<MoveJob>(JobKind::fraud, "", "", &trace, false);
    jobs::Progress progress;
    auto rep = run(config::Config{}, set, {{JobKind::capture, JobKind::fraud}, kNow, kNow}, progress);
    ASSERT_TRUE(rep.ok());
    EXPECT_TRUE(rep->failed());
    EXPECT_EQ(trace.size(), 2u);
    EXPECT_EQ(t.text("SELECT outcome FROM automation_runs"), "failed");
    const auto summary = nlohmann::json::parse(t.text("SELECT summary FROM automation_runs"));
    EXPECT_EQ(summary["capture"]["failure"], "gateway unreachable");
}

TEST_F(Pipeline, StopRequestMarksRunInterrupted) {
    jobs::JobSet set;
    set.jobs[2] = std::make_unique<MoveJob>(JobKind::fraud, "", "", nullptr, false);
    jobs::Progress progress;
    auto rep = run(config::Config{}, set, {{JobKind::fraud}, kNow, kNow}, progress, "h", true);
    ASSERT_TRUE(rep.ok());
    EXPECT_EQ(t.text("SELECT outcome FROM automation_runs"), "interrupted");
}

TEST_F(Pipeline, UnavailableJobIsAUsageErrorAndWritesNoRun) {
    jobs::JobSet set;
    jobs::Progress progress;
    auto rep = run(config::Config{}, set, {{JobKind::capture}, kNow, kNow}, progress);
    ASSERT_FALSE(rep.ok());
    EXPECT_EQ(rep.error().code, 2);
    EXPECT_EQ(t.scalar("SELECT count(*) FROM automation_runs"), 0);
}

TEST_F(Pipeline, TransitionsWriteStatusHistoryAndBatchesPageThroughAllOrders) {
    for (int i = 0; i < 10; ++i) t.add_order({.number = "N" + std::to_string(i)});
    t.add_order({.number = "HELD", .status = "On Hold"});
    jobs::JobSet set;
    set.jobs[2] = std::make_unique<MoveJob>(JobKind::fraud, "Ready to Process", "Ready to Source", nullptr, true);
    jobs::Progress progress;
    auto rep = run(small_batches(), set, {{JobKind::fraud}, kNow, kNow}, progress);
    ASSERT_TRUE(rep.ok()) << rep.error().message;
    const auto& s = rep->jobs.at(0).second;
    EXPECT_EQ(s.selected, 10);
    EXPECT_EQ(s.changed, 10);
    EXPECT_EQ(progress.done.load(), 10);
    EXPECT_EQ(t.scalar("SELECT count(*) FROM orders WHERE status_id = " +
                       std::to_string(t.status_id("Ready to Source"))),
              10);
    EXPECT_EQ(t.scalar("SELECT count(*) FROM order_status_history WHERE job = 'fraud' AND reason = 'moved' AND "
                       "run_id = " + std::to_string(rep->run_id) + " AND changed_at = '2026-11-22T08:00:00Z'"),
              10);
    EXPECT_EQ(t.scalar("SELECT count(*) FROM orders WHERE updated_at = '2026-11-22T08:00:00Z'"), 10);
    EXPECT_EQ(t.text("SELECT order_number FROM orders WHERE status_id = " + std::to_string(t.status_id("On Hold"))),
              "HELD");
}

TEST_F(Pipeline, ConcurrentBackOfficeChangeIsLeftAloneAndCounted) {
    const auto a = t.add_order({.number = "A"});
    const auto b = t.add_order({.number = "B"});
    t.exec("INSERT INTO automation_runs (fire_at, started_at, jobs, outcome, \"trigger\", host) VALUES "
           "('2026-11-22T08:00:00Z', '2026-11-22T08:00:00Z', 'fraud', 'running', 'manual', 'h')");
    const StatusId rtp = t.status_id("Ready to Process");
    const StatusId target = t.status_id("Ready to Source");
    const StatusId moved = t.status_id("Voided");
    const config::Config cfg;
    jobs::JobStats stats;
    with_backend(twin, t, [&](store::Backend& backend) {
        auto catalog = backend.catalog();
        ASSERT_TRUE(catalog.ok());
        ::olmd::test::TestServices services(backend, cfg);
        jobs::JobContext ctx{cfg, services.get(), *catalog, 1, kNow, false, nullptr, nullptr, nullptr};
        auto w = writer(services.get().store);
        BackOfficeSession back_office(twin, t, 5000);
        // The back office moves order B after the job read it and before the job writes.
        jobs::process_in_batches<Row>(ctx, stats, *w, reader_for(services.get().store, rtp), [&](const Row& r) {
            if (r.id == a) {
                EXPECT_TRUE(back_office.try_exec("UPDATE orders SET status_id = " + std::to_string(moved) +
                                                 " WHERE id = " + std::to_string(b)));
            }
            return jobs::OrderDecision{target, "moved", false, false};
        });
    });
    EXPECT_TRUE(stats.failure.empty()) << stats.failure;
    EXPECT_EQ(stats.selected, 2);
    EXPECT_EQ(stats.changed, 1);
    EXPECT_EQ(stats.skipped_concurrent, 1);
    EXPECT_EQ(t.scalar("SELECT status_id FROM orders WHERE id = " + std::to_string(b)), moved);
    EXPECT_EQ(t.scalar("SELECT count(*) FROM order_status_history WHERE order_id = " + std::to_string(b)), 0);
}

TEST_F(Pipeline, TransitionToTheSameStatusWritesNothing) {
    const auto id = t.add_order({.number = "S"});
    const StatusId rtp = t.status_id("Ready to Process");
    with_backend(twin, t, [&](store::Backend& b) {
        auto w = writer(*b.run_store());
        ASSERT_TRUE(w->begin_batch().ok());
        auto r = w->apply({id, rtp, rtp, "same", "S"});
        ASSERT_TRUE(r.ok());
        EXPECT_EQ(*r, domain::TransitionOutcome::unchanged);
        ASSERT_TRUE(w->commit_batch().ok());
    });
    EXPECT_EQ(t.scalar("SELECT count(*) FROM order_status_history"), 0);
    EXPECT_EQ(t.text("SELECT updated_at FROM orders"), "2026-11-20T10:00:00Z");
}

TEST_F(Pipeline, RolledBackBatchLeavesNoHalfWrittenOrder) {
    const auto id = t.add_order({.number = "R"});
    const StatusId rtp = t.status_id("Ready to Process");
    t.exec("INSERT INTO automation_runs (fire_at, started_at, jobs, outcome, \"trigger\", host) VALUES "
           "('2026-11-22T08:00:00Z', '2026-11-22T08:00:00Z', 'fraud', 'running', 'manual', 'h')");
    with_backend(twin, t, [&](store::Backend& b) {
        auto w = writer(*b.run_store());
        ASSERT_TRUE(w->begin_batch().ok());
        ASSERT_TRUE(w->apply({id, rtp, t.status_id("Ready to Source"), "moved", "R"}).ok());
        w->rollback_batch();
    });
    EXPECT_EQ(t.scalar("SELECT status_id FROM orders"), rtp);
    EXPECT_EQ(t.scalar("SELECT count(*) FROM order_status_history"), 0);
}

TEST_F(Pipeline, DryRunWritesNothingAndPrintsWhatWouldChange) {
    t.add_order({.number = "D1"});
    jobs::JobSet set;
    set.jobs[2] = std::make_unique<MoveJob>(JobKind::fraud, "Ready to Process", "Ready to Source", nullptr, true);
    jobs::Progress progress;
    std::ostringstream out;
    pipeline::RunRequest req{{JobKind::fraud}, kNow, kNow};
    req.dry_run = true;
    req.dry_out = &out;
    auto rep = run(config::Config{}, set, req, progress);
    ASSERT_TRUE(rep.ok());
    EXPECT_EQ(rep->run_id, 0);
    EXPECT_EQ(t.scalar("SELECT count(*) FROM automation_runs"), 0);
    EXPECT_EQ(t.scalar("SELECT count(*) FROM order_status_history"), 0);
    EXPECT_EQ(t.scalar("SELECT status_id FROM orders"), t.status_id("Ready to Process"));
    EXPECT_NE(out.str().find("would change order D1: Ready to Process -> Ready to Source"), std::string::npos)
        << out.str();
}

TEST_F(Pipeline, OPS7_LockedDatabaseFailsTheBatchNotTheProcess) {
    const auto id = t.add_order({.number = "L"});
    const StatusId rtp = t.status_id("Ready to Process");
    with_backend(
        twin, t,
        [&](store::Backend& b) {
            // Another connection holds the order (SQLite: the write lock) past the busy timeout.
            BackOfficeSession other(twin, t, 5000);
            other.begin();
            ASSERT_TRUE(other.try_exec("UPDATE orders SET updated_at = updated_at WHERE id = " + std::to_string(id)));
            auto w = writer(*b.run_store());
            Status st = w->begin_batch();
            if (st.ok()) {
                // PostgreSQL's batch begins at once; the write waits for the row lock, then fails.
                auto r = w->apply({id, rtp, t.status_id("Ready to Source"), "moved", "L"});
                st = r.ok() ? ok_status() : Status(r.error());
                w->rollback_batch();
            }
            EXPECT_FALSE(st.ok()) << "the locked write fails with an error, and the process goes on";
            other.commit();
        },
        50);
    EXPECT_EQ(t.scalar("SELECT status_id FROM orders"), rtp);
}

}  // namespace
}  // namespace olmd::test
