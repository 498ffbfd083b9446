// The run pipeline: the automation_runs row, the fixed job order, the summary,
// and the status transition of rules.md (optimistic write, history, concurrent
// changes, dry run) through the shared batch loop.
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "olmd/jobs/batch_loop.hpp"
#include "olmd/pipeline/runner.hpp"
#include "olmd/store/status_writer.hpp"
#include "olmd/store/catalog.hpp"
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

/// Reads orders of one status, keyset-paged, straight from the test database.
jobs::PageReader<Row> reader_for(TestDb& t, StatusId status) {
    return [&t, status](RowId after, int limit) -> Result<std::vector<Row>> {
        std::vector<Row> rows;
        SQLite::Statement q(t.db().raw(),
                            "SELECT id, order_number, status_id FROM orders WHERE status_id = ? AND id > ? ORDER BY id "
                            "LIMIT ?");
        q.bind(1, status);
        q.bind(2, after);
        q.bind(3, limit);
        while (q.executeStep())
            rows.push_back(Row{q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getInt64()});
        return rows;
    };
}

/// A job that moves every order of one status to another, through the shared loop.
class MoveJob final : public jobs::Job {
public:
    MoveJob(JobKind kind, std::string from, std::string to, std::vector<JobKind>* trace, TestDb* t)
        : kind_(kind), from_(std::move(from)), to_(std::move(to)), trace_(trace), t_(t) {}
    JobKind kind() const override { return kind_; }
    void run(jobs::JobContext& ctx, jobs::JobStats& stats) override {
        if (trace_) trace_->push_back(kind_);
        if (fail_) {
            stats.failure = "gateway unreachable";
            return;
        }
        if (!t_) return;
        auto w = ctx.services.store.status_writer(
            {kind_, ctx.run_id, ctx.now, ctx.dry_run, ctx.out, [&](StatusId id) { return ctx.catalog.statuses.name(id); }});
        ASSERT_TRUE(w.ok());
        const StatusId to = *ctx.catalog.status_id(to_);
        jobs::process_in_batches<Row>(ctx, stats, **w, reader_for(*t_, *ctx.catalog.status_id(from_)),
                                      [&](const Row&) { return jobs::OrderDecision{to, "moved", false, false}; });
    }
    void explain(jobs::JobContext&, const jobs::OrderRef&, std::ostream&) override {}
    bool fail_ = false;

private:
    JobKind kind_;
    std::string from_, to_;
    std::vector<JobKind>* trace_;
    TestDb* t_;
};

config::Config small_batches() {
    config::Config c;
    c.daemon.batch_size = 3;
    return c;
}

TEST(Pipeline, SCH2_RunRowRecordsJobsInFixedOrderAndSummary) {
    TestDb t;
    std::vector<JobKind> trace;
    jobs::JobSet set;
    for (JobKind k : kAllJobs) set.jobs[static_cast<int>(k)] = std::make_unique<MoveJob>(k, "", "", &trace, nullptr);
    config::Config cfg;
    domain::FakeClock clock(kNow);
    ::olmd::test::TestServices run_services(t.db(), cfg);
    pipeline::Runner runner(cfg, t.db(), run_services.get(), set, clock, "host-a");
    pipeline::RunRequest req;
    req.jobs = {JobKind::sourcing, JobKind::capture, JobKind::fraud, JobKind::capture};
    req.fire_at = kNow;
    req.now = kNow;
    jobs::Progress progress;
    std::atomic<bool> stop{false};
    auto rep = runner.run(req, progress, stop);
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

TEST(Pipeline, FailedJobMarksRunFailedAndLaterJobsStillRun) {
    TestDb t;
    std::vector<JobKind> trace;
    jobs::JobSet set;
    auto capture = std::make_unique<MoveJob>(JobKind::capture, "", "", &trace, nullptr);
    capture->fail_ = true;
    set.jobs[0] = std::move(capture);
    set.jobs[2] = std::make_unique<MoveJob>(JobKind::fraud, "", "", &trace, nullptr);
    config::Config cfg;
    domain::FakeClock clock(kNow);
    ::olmd::test::TestServices run_services(t.db(), cfg);
    pipeline::Runner runner(cfg, t.db(), run_services.get(), set, clock, "h");
    pipeline::RunRequest req{{JobKind::capture, JobKind::fraud}, kNow, kNow};
    jobs::Progress progress;
    std::atomic<bool> stop{false};
    auto rep = runner.run(req, progress, stop);
    ASSERT_TRUE(rep.ok());
    EXPECT_TRUE(rep->failed());
    EXPECT_EQ(trace.size(), 2u);
    EXPECT_EQ(t.text("SELECT outcome FROM automation_runs"), "failed");
    const auto summary = nlohmann::json::parse(t.text("SELECT summary FROM automation_runs"));
    EXPECT_EQ(summary["capture"]["failure"], "gateway unreachable");
}

TEST(Pipeline, StopRequestMarksRunInterrupted) {
    TestDb t;
    jobs::JobSet set;
    set.jobs[2] = std::make_unique<MoveJob>(JobKind::fraud, "", "", nullptr, nullptr);
    config::Config cfg;
    domain::FakeClock clock(kNow);
    ::olmd::test::TestServices run_services(t.db(), cfg);
    pipeline::Runner runner(cfg, t.db(), run_services.get(), set, clock, "h");
    jobs::Progress progress;
    std::atomic<bool> stop{true};
    auto rep = runner.run({{JobKind::fraud}, kNow, kNow}, progress, stop);
    ASSERT_TRUE(rep.ok());
    EXPECT_EQ(t.text("SELECT outcome FROM automation_runs"), "interrupted");
}

TEST(Pipeline, UnavailableJobIsAUsageErrorAndWritesNoRun) {
    TestDb t;
    jobs::JobSet set;
    config::Config cfg;
    domain::FakeClock clock(kNow);
    ::olmd::test::TestServices run_services(t.db(), cfg);
    pipeline::Runner runner(cfg, t.db(), run_services.get(), set, clock, "h");
    jobs::Progress progress;
    std::atomic<bool> stop{false};
    auto rep = runner.run({{JobKind::capture}, kNow, kNow}, progress, stop);
    ASSERT_FALSE(rep.ok());
    EXPECT_EQ(rep.error().code, 2);
    EXPECT_EQ(t.scalar("SELECT count(*) FROM automation_runs"), 0);
}

TEST(Pipeline, TransitionsWriteStatusHistoryAndBatchesPageThroughAllOrders) {
    TestDb t;
    for (int i = 0; i < 10; ++i) t.add_order({.number = "N" + std::to_string(i)});
    t.add_order({.number = "HELD", .status = "On Hold"});
    jobs::JobSet set;
    set.jobs[2] = std::make_unique<MoveJob>(JobKind::fraud, "Ready to Process", "Ready to Source", nullptr, &t);
    const config::Config cfg = small_batches();
    domain::FakeClock clock(kNow);
    ::olmd::test::TestServices run_services(t.db(), cfg);
    pipeline::Runner runner(cfg, t.db(), run_services.get(), set, clock, "h");
    jobs::Progress progress;
    std::atomic<bool> stop{false};
    auto rep = runner.run({{JobKind::fraud}, kNow, kNow}, progress, stop);
    ASSERT_TRUE(rep.ok());
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

TEST(Pipeline, ConcurrentBackOfficeChangeIsLeftAloneAndCounted) {
    TestDb t;
    const auto a = t.add_order({.number = "A"});
    const auto b = t.add_order({.number = "B"});
    auto catalog = store::load_catalog(t.db());
    ASSERT_TRUE(catalog.ok());
    const config::Config cfg;
    ::olmd::test::TestServices services(t.db(), cfg);
    jobs::JobContext ctx{cfg, services.get(), *catalog, 0, kNow, false, nullptr, nullptr, nullptr};
    t.exec("INSERT INTO automation_runs (fire_at, started_at, jobs, outcome, \"trigger\", host) VALUES "
           "('2026-11-22T08:00:00Z', '2026-11-22T08:00:00Z', 'fraud', 'running', 'manual', 'h')");
    ctx.run_id = 1;
    store::SqliteStatusWriter w(t.db(), JobKind::fraud, 1, kNow, false, nullptr, [](StatusId) { return std::string(); });
    jobs::JobStats stats;
    const StatusId rtp = t.status_id("Ready to Process");
    const StatusId target = t.status_id("Ready to Source");
    const StatusId moved = t.status_id("Voided");
    // The back office moves order B after the job read it and before the job writes.
    jobs::process_in_batches<Row>(ctx, stats, w, reader_for(t, rtp), [&](const Row& r) {
        if (r.id == a) t.exec("UPDATE orders SET status_id = " + std::to_string(moved) + " WHERE id = " + std::to_string(b));
        return jobs::OrderDecision{target, "moved", false, false};
    });
    EXPECT_TRUE(stats.failure.empty()) << stats.failure;
    EXPECT_EQ(stats.selected, 2);
    EXPECT_EQ(stats.changed, 1);
    EXPECT_EQ(stats.skipped_concurrent, 1);
    EXPECT_EQ(t.scalar("SELECT status_id FROM orders WHERE id = " + std::to_string(b)), moved);
    EXPECT_EQ(t.scalar("SELECT count(*) FROM order_status_history WHERE order_id = " + std::to_string(b)), 0);
}

TEST(Pipeline, TransitionToTheSameStatusWritesNothing) {
    TestDb t;
    const auto id = t.add_order({.number = "S"});
    const StatusId rtp = t.status_id("Ready to Process");
    store::SqliteStatusWriter w(t.db(), JobKind::fraud, 1, kNow, false, nullptr, [](StatusId) { return std::string(); });
    ASSERT_TRUE(w.begin_batch().ok());
    auto r = w.apply({id, rtp, rtp, "same", "S"});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(*r, domain::TransitionOutcome::unchanged);
    ASSERT_TRUE(w.commit_batch().ok());
    EXPECT_EQ(t.scalar("SELECT count(*) FROM order_status_history"), 0);
    EXPECT_EQ(t.text("SELECT updated_at FROM orders"), "2026-11-20T10:00:00Z");
}

TEST(Pipeline, RolledBackBatchLeavesNoHalfWrittenOrder) {
    TestDb t;
    const auto id = t.add_order({.number = "R"});
    const StatusId rtp = t.status_id("Ready to Process");
    t.exec("INSERT INTO automation_runs (fire_at, started_at, jobs, outcome, \"trigger\", host) VALUES "
           "('2026-11-22T08:00:00Z', '2026-11-22T08:00:00Z', 'fraud', 'running', 'manual', 'h')");
    store::SqliteStatusWriter w(t.db(), JobKind::fraud, 1, kNow, false, nullptr, [](StatusId) { return std::string(); });
    ASSERT_TRUE(w.begin_batch().ok());
    ASSERT_TRUE(w.apply({id, rtp, t.status_id("Ready to Source"), "moved", "R"}).ok());
    w.rollback_batch();
    EXPECT_EQ(t.scalar("SELECT status_id FROM orders"), rtp);
    EXPECT_EQ(t.scalar("SELECT count(*) FROM order_status_history"), 0);
}

TEST(Pipeline, DryRunWritesNothingAndPrintsWhatWouldChange) {
    TestDb t;
    t.add_order({.number = "D1"});
    jobs::JobSet set;
    set.jobs[2] = std::make_unique<MoveJob>(JobKind::fraud, "Ready to Process", "Ready to Source", nullptr, &t);
    const config::Config cfg;
    domain::FakeClock clock(kNow);
    ::olmd::test::TestServices run_services(t.db(), cfg);
    pipeline::Runner runner(cfg, t.db(), run_services.get(), set, clock, "h");
    jobs::Progress progress;
    std::atomic<bool> stop{false};
    std::ostringstream out;
    pipeline::RunRequest req{{JobKind::fraud}, kNow, kNow};
    req.dry_run = true;
    req.dry_out = &out;
    auto rep = runner.run(req, progress, stop);
    ASSERT_TRUE(rep.ok());
    EXPECT_EQ(rep->run_id, 0);
    EXPECT_EQ(t.scalar("SELECT count(*) FROM automation_runs"), 0);
    EXPECT_EQ(t.scalar("SELECT count(*) FROM order_status_history"), 0);
    EXPECT_EQ(t.scalar("SELECT status_id FROM orders"), t.status_id("Ready to Process"));
    EXPECT_NE(out.str().find("would change order D1: Ready to Process -> Ready to Source"), std::string::npos)
        << out.str();
}

TEST(Pipeline, OPS7_LockedDatabaseFailsTheBatchNotTheProcess) {
    TestDb t;
    t.add_order({.number = "L"});
    // Another connection holds the write lock past the busy timeout.
    SQLite::Database other(t.path(), SQLite::OPEN_READWRITE);
    other.exec("BEGIN IMMEDIATE");
    store::OpenOptions o;
    o.busy_timeout_ms = 50;
    auto db = store::Database::open(t.path(), o);
    ASSERT_TRUE(db.ok());
    store::SqliteStatusWriter w(**db, JobKind::fraud, 1, kNow, false, nullptr, [](StatusId) { return std::string(); });
    auto st = w.begin_batch();
    EXPECT_FALSE(st.ok());
    other.exec("ROLLBACK");
}

}  // namespace
}  // namespace olmd::test
