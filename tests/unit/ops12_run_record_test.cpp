// OPS-12 the run record is never lost: another connection holds a write lock
// across the end of a run, longer than busy_timeout_ms; closing the
// automation_runs row is retried (each wait through the stop token, each retry
// a warning with its attempt count) until the lock goes, and the failed job's
// error text is in the summary. A stop while retrying: one last attempt, then
// the row stays 'running' and the error carries the summary for the log.
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "olmd/pipeline/runner.hpp"
#include "olmd/store/runs.hpp"
#include "support/pg_mirror.hpp"
#include "support/test_clock.hpp"
#include "support/test_db.hpp"
#include "support/test_services.hpp"

namespace olmd::test {
namespace {

using namespace std::chrono_literals;

const Instant kNow = *parse_utc("2026-11-22T08:00:00Z");
const char* kFailure = "gateway unreachable: connect to api.stripe.com timed out after 15000 ms";

/// A job that fails as a whole and, as it ends, lets `at_end` take the write lock.
class FailingJob final : public jobs::Job {
public:
    FailingJob(JobKind kind, std::function<void()> at_end) : kind_(kind), at_end_(std::move(at_end)) {}
    JobKind kind() const override { return kind_; }
    void run(jobs::JobContext&, jobs::JobStats& stats) override {
        stats.selected = 7;
        stats.failure = kFailure;
        at_end_();
    }
    void explain(jobs::JobContext&, const jobs::OrderRef&, std::ostream&) override {}

private:
    JobKind kind_;
    std::function<void()> at_end_;
};

/// Everything spdlog's default logger writes while it lives.
class LogCapture {
public:
    LogCapture() : sink_(std::make_shared<spdlog::sinks::ostream_sink_mt>(out_)) {
        spdlog::default_logger()->sinks().push_back(sink_);
    }
    ~LogCapture() {
        auto& sinks = spdlog::default_logger()->sinks();
        sinks.erase(std::remove(sinks.begin(), sinks.end(), sink_), sinks.end());
    }
    std::string text() const { return out_.str(); }

private:
    std::ostringstream out_;
    std::shared_ptr<spdlog::sinks::ostream_sink_mt> sink_;
};

class RunRecord : public ::testing::Test {
protected:
    void SetUp() override {
        set.jobs[static_cast<int>(JobKind::capture)] =
            std::make_unique<FailingJob>(JobKind::capture, [this] {
                // The back office holds the run's row (SQLite: the write lock) as the job ends.
                locker = std::make_unique<BackOfficeSession>(twin, t, 5000);
                locker->begin();
                ASSERT_TRUE(locker->try_exec("UPDATE automation_runs SET host = host"));
                if (also_at_job_end) also_at_job_end();
            });
    }
    void release() { locker->commit(); }
    /// One run of the capture job on t's backend (t itself, or in pg: tests its PostgreSQL twin), whose
    /// lock waits last 50 ms, far less than the back office holds the row.
    Result<pipeline::RunReport> run(const StopToken& stop) {
        Result<pipeline::RunReport> out = Error{"not run"};
        with_backend(
            twin, t,
            [&](store::Backend& b) {
                ::olmd::test::TestServices run_services(b, cfg);
                pipeline::Runner runner(cfg, b, run_services.get(), set, clock, "host-a");
                out = runner.run({{JobKind::capture}, kNow, kNow}, progress, stop);
            },
            50);
        return out;
    }
    /// mark_abandoned_as_crashed on t's backend, as the next start does.
    Result<std::vector<RunId>> next_start_marks_crashed() {
        Result<std::vector<RunId>> out = Error{"not run"};
        with_backend(twin, t, [&](store::Backend& b) { out = b.runs().mark_abandoned_as_crashed(kNow); });
        return out;
    }

    TestDb t;
    std::unique_ptr<PgMirror> twin;
    std::unique_ptr<BackOfficeSession> locker;
    std::function<void()> also_at_job_end;
    jobs::JobSet set;
    config::Config cfg;
    ScriptedClock clock{kNow};  ///< the close retries' waits end at once, recorded
    jobs::Progress progress;
};

TEST_F(RunRecord, OPS12_RowClosedOnceTheLockGoesWithTheFailureInTheSummary) {
    StopSource stop;
    clock.on_wait = [&](std::size_t n) {
        if (n == 3) release();  // the back office commits after three retries
    };
    LogCapture log;
    auto rep = run(stop);
    ASSERT_TRUE(rep.ok()) << rep.error().message;
    EXPECT_EQ(rep->outcome, store::Outcome::failed);
    // Retried through the clock: 1 s, 2 s, 4 s between attempts, the fourth attempt closes the row.
    EXPECT_EQ(clock.waits, (std::vector<std::chrono::milliseconds>{1000ms, 2000ms, 4000ms}));
    EXPECT_EQ(t.text("SELECT outcome FROM automation_runs"), "failed");
    EXPECT_EQ(t.text("SELECT finished_at FROM automation_runs"), "2026-11-22T08:00:00Z");
    const auto summary = nlohmann::json::parse(t.text("SELECT summary FROM automation_runs"));
    EXPECT_EQ(summary["capture"]["failure"], kFailure);
    EXPECT_EQ(summary["capture"]["selected"], 7);
    const std::string text = log.text();
    EXPECT_NE(text.find("(attempt 1 to close its automation_runs row); retrying in 1 s"), std::string::npos) << text;
    EXPECT_NE(text.find("(attempt 3 to close its automation_runs row); retrying in 4 s"), std::string::npos) << text;
    EXPECT_NE(text.find("row closed (failed) at attempt 4"), std::string::npos) << text;
    // The next start finds nothing to call crashed.
    auto crashed = next_start_marks_crashed();
    ASSERT_TRUE(crashed.ok());
    EXPECT_TRUE(crashed->empty());
}

TEST_F(RunRecord, OPS12_StopWhileRetryingMakesOneLastAttemptThenLeavesTheRowRunning) {
    StopSource stop;
    clock.on_wait = [&](std::size_t n) {
        if (n == 2) stop.request_stop();  // SIGTERM during the second wait
    };
    auto rep = run(stop);
    ASSERT_FALSE(rep.ok());
    EXPECT_EQ(clock.waits.size(), 2u);
    const std::string& msg = rep.error().message;
    EXPECT_NE(msg.find("3 attempts"), std::string::npos) << msg;
    EXPECT_NE(msg.find("the next start marks it crashed"), std::string::npos) << msg;
    EXPECT_NE(msg.find(kFailure), std::string::npos) << "the failure reason must reach the log: " << msg;
    release();
    EXPECT_EQ(t.text("SELECT outcome FROM automation_runs"), "running");
    auto crashed = next_start_marks_crashed();
    ASSERT_TRUE(crashed.ok());
    EXPECT_EQ(crashed->size(), 1u);
}

TEST_F(RunRecord, OPS12_StopAlreadyRequestedStillTriesTwiceWithoutWaiting) {
    StopSource stop;
    also_at_job_end = [&] { stop.request_stop(); };  // SIGTERM came during the job: the run is interrupted
    clock.on_wait = [&](std::size_t) { ADD_FAILURE() << "no retry wait after a stop"; };
    auto rep = run(stop);
    ASSERT_FALSE(rep.ok());
    EXPECT_NE(rep.error().message.find("ended interrupted"), std::string::npos) << rep.error().message;
    EXPECT_NE(rep.error().message.find("2 attempts"), std::string::npos) << rep.error().message;
    release();
    EXPECT_EQ(t.text("SELECT outcome FROM automation_runs"), "running");
}

TEST(RunRecordDelays, OPS12_RetryDelayDoublesUpToThirtySeconds) {
    EXPECT_EQ(pipeline::close_retry_delay(1), 1000ms);
    EXPECT_EQ(pipeline::close_retry_delay(2), 2000ms);
    EXPECT_EQ(pipeline::close_retry_delay(5), 16000ms);
    EXPECT_EQ(pipeline::close_retry_delay(6), 30000ms);
    EXPECT_EQ(pipeline::close_retry_delay(1000), 30000ms);
}

TEST(RunRecordRepository, OPS12_TryCloseSaysBusyWhileAnotherConnectionWrites) {
    // On both backends (pg: prefix): SQLite's write lock, or PostgreSQL's row lock on the run's row.
    TestDb t;
    std::unique_ptr<PgMirror> twin;
    with_backend(
        twin, t,
        [&](store::Backend& b) {
            store::RunLog& runs = b.runs();
            auto id = runs.open(kNow, kNow, "capture", store::Trigger::manual, "h");
            ASSERT_TRUE(id.ok()) << id.error().message;
            BackOfficeSession other(twin, t, 5000);
            other.begin();
            ASSERT_TRUE(other.try_exec("UPDATE automation_runs SET host = host WHERE id = " + std::to_string(*id)));
            auto busy = runs.try_close(*id, store::Outcome::succeeded, kNow, "{}");
            ASSERT_TRUE(busy.ok()) << busy.error().message;
            EXPECT_EQ(*busy, store::CloseAttempt::busy);
            other.commit();
            auto done = runs.try_close(*id, store::Outcome::succeeded, kNow, "{}");
            ASSERT_TRUE(done.ok());
            EXPECT_EQ(*done, store::CloseAttempt::closed);
            EXPECT_FALSE(runs.try_close(*id + 100, store::Outcome::succeeded, kNow, "{}").ok()) << "no such row";
        },
        20);
    EXPECT_EQ(t.text("SELECT outcome FROM automation_runs"), "succeeded");
}

}  // namespace
}  // namespace olmd::test
