// The run monitor (MON-1..MON-3) with a FakeMailer: no email unless both MON-1
// keys are set, one long-run warning per run with its progress and
// warning_sent_at, failure emails de-duplicated per repeat_minutes. Time is a
// manual FakeClock: a test lets the watchdog's deadline pass by advancing it,
// never by sleeping. The runs go through store::Backend, on both backends (pg: prefix,
// support/pg_mirror.hpp).
#include <gtest/gtest.h>

#include <functional>
#include <regex>
#include <thread>

#include "olmd/core/zone.hpp"
#include "olmd/monitor/run_monitor.hpp"
#include "olmd/pipeline/runner.hpp"
#include "support/fake_mailer.hpp"
#include "support/pg_mirror.hpp"
#include "support/test_db.hpp"
#include "support/test_services.hpp"
#include "support/scripted_job.hpp"

namespace olmd::test {
namespace {

using namespace std::chrono_literals;

const Instant kNow = *parse_utc("2026-11-22T13:30:00Z");

config::MonitorConfig monitor_config(std::vector<std::string> to, std::optional<double> minutes) {
    config::MonitorConfig m;
    m.warning_emails = std::move(to);
    m.warning_timeout_minutes = minutes;
    return m;
}

/// Everything one monitored run needs.
struct Fixture {
    TestDb t;
    /// In pg: tests the runs and the monitor's warning_sent_at go to t's PostgreSQL twin.
    std::unique_ptr<PgMirror> twin = test_backend_is_postgres() ? std::make_unique<PgMirror>(t.dir()) : nullptr;
    FakeMailer mailer;
    domain::FakeClock clock{kNow};
    jobs::Progress progress;
    jobs::JobSet set;
    config::Config cfg;

    /// Waits (real time, bounded) until the watchdog waits on the clock, then moves the clock on by d.
    void pass(std::chrono::steady_clock::duration d) {
        EXPECT_TRUE(clock.await_waiters(1)) << "no watchdog is waiting";
        clock.advance(d);
    }
    /// True when no watchdog starts waiting within 100 ms (real time); then moves the clock on a minute,
    /// past any timeout the tests set, so that a watchdog started by mistake would fire.
    bool no_watchdog() {
        const bool none = !clock.await_waiters(1, 100ms);
        clock.advance(1min);
        return none;
    }

    /// The database the monitor records warning_sent_at in: t's file, or the twin's URI.
    std::string db() const { return twin ? twin->uri() : t.path(); }
    /// The monitor's options for db(): the twin's password file.
    monitor::MonitorOptions options() const {
        monitor::MonitorOptions o;
        if (twin) o.password_file = twin->password_file();
        return o;
    }

    /// Runs jobs_to_run under mon on t's backend (t itself, or in pg: tests its PostgreSQL twin).
    Result<pipeline::RunReport> run(monitor::RunMonitor& mon, std::vector<JobKind> jobs_to_run, bool dry_run = false) {
        Result<pipeline::RunReport> out = Error{"not run"};
        with_backend(twin, t, [&](store::Backend& b) {
            ::olmd::test::TestServices run_services(b, cfg, dry_run);
            pipeline::Runner runner(cfg, b, run_services.get(), set, clock, "host-a");
            std::atomic<bool> stop{false};
            pipeline::RunRequest req{jobs_to_run, kNow, kNow};
            req.dry_run = dry_run;
            out = runner.run(req, progress, stop, &mon);
        });
        return out;
    }
};

/// A job that takes a minute of fake time (past any warning timeout set here), checks that no watchdog is
/// waiting, and fails as a whole.
std::unique_ptr<jobs::Job> slow_failing_job(Fixture& f, JobKind kind) {
    return std::make_unique<ScriptedJob>(kind, [&f](jobs::JobContext&, jobs::JobStats& s) {
        EXPECT_TRUE(f.no_watchdog());
        s.failure = "gateway unreachable";
    });
}

TEST(Monitor, MON1_NoEmailWhenTimeoutUnset) {
    Fixture f;
    f.set.jobs[0] = slow_failing_job(f, JobKind::capture);
    auto mon = std::make_unique<monitor::RunMonitor>(monitor_config({"ops@example.com"}, std::nullopt), f.mailer,
                                                     f.progress, f.db(), f.clock, "host-a", f.options());
    auto rep = f.run(*mon, {JobKind::capture});
    ASSERT_TRUE(rep.ok()) << rep.error().message;
    EXPECT_TRUE(rep->failed());
    EXPECT_FALSE(mon->notify_failure("config reload", "bad key", "kept the old config"));
    EXPECT_EQ(f.mailer.attempts(), 0u);
    EXPECT_EQ(mon->warnings_sent(), 0u);
    EXPECT_EQ(f.t.text("SELECT warning_sent_at FROM automation_runs"), "");
}

TEST(Monitor, MON1_NoEmailWhenRecipientsEmpty) {
    Fixture f;
    f.set.jobs[0] = slow_failing_job(f, JobKind::capture);
    // 0.001 min = 60 ms: the run lasts a minute, yet nobody is to be told.
    monitor::RunMonitor mon(monitor_config({}, 0.001), f.mailer, f.progress, f.db(), f.clock, "host-a", f.options());
    auto rep = f.run(mon, {JobKind::capture});
    ASSERT_TRUE(rep.ok());
    EXPECT_FALSE(mon.notify_failure("config reload", "bad key", "kept the old config"));
    EXPECT_FALSE(mon.notify_crashed_run(7));
    EXPECT_EQ(f.mailer.attempts(), 0u);
    EXPECT_EQ(f.t.text("SELECT warning_sent_at FROM automation_runs"), "");
}

TEST(Monitor, MON2_LongRunWarningSentOnceWithProgress) {
    Fixture f;
    // 0.02 min = 1.2 s: fraud reports 40 of 100 orders done, lets 1.2 s pass and waits for the warning,
    // then keeps going for more than another timeout (a second watchdog would show).
    f.set.jobs[0] = std::make_unique<ScriptedJob>(JobKind::capture, [](jobs::JobContext&, jobs::JobStats& s) {
        s.selected = 3;
        s.changed = 3;
    });
    f.set.jobs[2] = std::make_unique<ScriptedJob>(JobKind::fraud, [&f](jobs::JobContext& ctx, jobs::JobStats& s) {
        ctx.progress->selected = 100;
        ctx.progress->done = 40;
        f.pass(1200ms);
        EXPECT_TRUE(f.mailer.wait_for(1, 20s));
        EXPECT_TRUE(f.no_watchdog()) << "one warning per run";
        ctx.progress->done = 100;
        s.selected = 100;
        s.changed = 100;
    });
    f.set.jobs[3] = std::make_unique<ScriptedJob>(JobKind::sourcing, nullptr);
    const auto m = monitor_config({"ops@example.com", "Night <night@example.com>"}, 0.02);
    monitor::RunMonitor mon(m, f.mailer, f.progress, f.db(), f.clock, "host-a", f.options());
    auto rep = f.run(mon, {JobKind::sourcing, JobKind::fraud, JobKind::capture});
    ASSERT_TRUE(rep.ok()) << rep.error().message;
    EXPECT_EQ(rep->outcome, store::Outcome::succeeded);  // the watchdog never stops the run

    ASSERT_EQ(f.mailer.count(), 1u);
    EXPECT_EQ(mon.warnings_sent(), 1u);
    const mail::Email e = f.mailer.emails().at(0);
    EXPECT_EQ(e.to, m.warning_emails);
    // 0.02 min = 1.2 s of the clock's time.
    EXPECT_EQ(e.subject, "[olmd] run " + std::to_string(rep->run_id) + " on host-a still running after 1.2 s");
    EXPECT_NE(e.body.find("\nelapsed:      1.2 s\n"), std::string::npos) << e.body;
    for (const std::string& want :
         {std::string("host:         host-a\n"), "run id:       " + std::to_string(rep->run_id) + "\n",
          std::string("(2026-11-22T13:30:00Z)"), std::string("started at:"),
          std::string("running now:  fraud, 40 of 100 orders done\n"), std::string("still to run: sourcing\n"),
          std::string("capture: selected 3 payments, changed 3"), std::string("warning_timeout_minutes = 0.02")})
        EXPECT_NE(e.body.find(want), std::string::npos) << want << "\n---\n" << e.body;
    // The warning went out 1.2 s after the start, by the same clock.
    EXPECT_EQ(f.t.text("SELECT warning_sent_at FROM automation_runs WHERE id = " + std::to_string(rep->run_id)),
              "2026-11-22T13:30:01Z");
}

TEST(Monitor, MON2_SlotIsShownInLocalTimeAndUtc) {
    Fixture f;
    f.set.jobs[2] = std::make_unique<ScriptedJob>(JobKind::fraud, [&f](jobs::JobContext&, jobs::JobStats&) {
        f.pass(60ms);
        EXPECT_TRUE(f.mailer.wait_for(1, 20s));
    });
    auto tz = resolve_zone("America/New_York");
    ASSERT_TRUE(tz.ok());
    monitor::MonitorOptions o = f.options();
    o.zone = *tz;
    monitor::RunMonitor mon(monitor_config({"ops@example.com"}, 0.001), f.mailer, f.progress, f.db(), f.clock,
                            "host-a", o);
    ASSERT_TRUE(f.run(mon, {JobKind::fraud}).ok());
    ASSERT_EQ(f.mailer.count(), 1u);
    EXPECT_NE(f.mailer.emails()[0].body.find("slot:         2026-11-22T08:30:00-05:00 (2026-11-22T13:30:00Z)"),
              std::string::npos)
        << f.mailer.emails()[0].body;
}

TEST(Monitor, MON2_NoWarningWhenTheRunEndsInTimeAndTheWatchdogStopsAtOnce) {
    Fixture f;
    f.set.jobs[2] = std::make_unique<ScriptedJob>(JobKind::fraud, nullptr);
    monitor::RunMonitor mon(monitor_config({"ops@example.com"}, 1.0), f.mailer, f.progress, f.db(), f.clock,
                            "host-a", f.options());
    const auto t0 = std::chrono::steady_clock::now();
    ASSERT_TRUE(f.run(mon, {JobKind::fraud}).ok());
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
    EXPECT_EQ(f.mailer.attempts(), 0u);
    EXPECT_EQ(f.t.text("SELECT warning_sent_at FROM automation_runs"), "");
}

TEST(Monitor, MON2_EachRunGetsItsOwnWarning) {
    Fixture f;
    f.set.jobs[2] = std::make_unique<ScriptedJob>(JobKind::fraud, [&f](jobs::JobContext&, jobs::JobStats&) {
        const auto before = f.mailer.count();
        f.pass(60ms);
        EXPECT_TRUE(f.mailer.wait_for(before + 1, 20s));
    });
    monitor::RunMonitor mon(monitor_config({"ops@example.com"}, 0.001), f.mailer, f.progress, f.db(), f.clock,
                            "host-a", f.options());
    ASSERT_TRUE(f.run(mon, {JobKind::fraud}).ok());
    ASSERT_TRUE(f.run(mon, {JobKind::fraud}).ok());
    EXPECT_EQ(f.mailer.count(), 2u);
    EXPECT_EQ(mon.warnings_sent(), 2u);
    EXPECT_EQ(f.t.scalar("SELECT count(*) FROM automation_runs WHERE warning_sent_at IS NOT NULL"), 2);
}

TEST(Monitor, MON2_DryRunIsNotWatched) {
    Fixture f;
    f.set.jobs[2] = std::make_unique<ScriptedJob>(JobKind::fraud, [&f](jobs::JobContext&, jobs::JobStats& s) {
        EXPECT_TRUE(f.no_watchdog());
        s.failure = "geolocation service failing";
    });
    monitor::RunMonitor mon(monitor_config({"ops@example.com"}, 0.001), f.mailer, f.progress, f.db(), f.clock,
                            "host-a", f.options());
    ASSERT_TRUE(f.run(mon, {JobKind::fraud}, true).ok());
    EXPECT_EQ(f.mailer.attempts(), 0u);
}

TEST(Monitor, MON2_SendFailureIsLoggedAndWarningSentAtStaysEmpty) {
    Fixture f;
    f.mailer.fail(true);
    f.set.jobs[2] = std::make_unique<ScriptedJob>(JobKind::fraud, [&f](jobs::JobContext&, jobs::JobStats&) {
        f.pass(60ms);
        EXPECT_TRUE(f.mailer.wait_for_attempts(1, 20s));
    });
    monitor::RunMonitor mon(monitor_config({"ops@example.com"}, 0.001), f.mailer, f.progress, f.db(), f.clock,
                            "host-a", f.options());
    auto rep = f.run(mon, {JobKind::fraud});
    ASSERT_TRUE(rep.ok());
    EXPECT_EQ(rep->outcome, store::Outcome::succeeded);
    EXPECT_EQ(f.mailer.attempts(), 1u);
    EXPECT_EQ(mon.warnings_sent(), 0u);
    EXPECT_EQ(f.t.text("SELECT warning_sent_at FROM automation_runs"), "");
}

TEST(Monitor, MON3_JobFailureEmailSaysJobErrorAndWhatWasDone) {
    Fixture f;
    f.set.jobs[0] = std::make_unique<ScriptedJob>(JobKind::capture, [](jobs::JobContext&, jobs::JobStats& s) {
        s.selected = 120;
        s.deferred = 120;
        s.failure = "gateway unreachable: connection refused";
    });
    f.set.jobs[2] = std::make_unique<ScriptedJob>(JobKind::fraud, nullptr);
    monitor::RunMonitor mon(monitor_config({"ops@example.com"}, 60.0), f.mailer, f.progress, f.db(), f.clock,
                            "host-a", f.options());
    auto rep = f.run(mon, {JobKind::capture, JobKind::fraud});
    ASSERT_TRUE(rep.ok());
    EXPECT_TRUE(rep->failed());
    ASSERT_EQ(f.mailer.count(), 1u);
    EXPECT_EQ(mon.failures_sent(), 1u);
    EXPECT_EQ(mon.warnings_sent(), 0u);
    const auto e = f.mailer.emails()[0];
    EXPECT_EQ(e.subject, "[olmd] job capture failed on host-a: gateway unreachable: connection refused");
    for (const char* want : {"failed:       job capture\n", "error:        gateway unreachable: connection refused\n",
                             "capture deferred 120 payments to the next run", "the run goes on with fraud",
                             "host:         host-a\n", "once every 60 min"})
        EXPECT_NE(e.body.find(want), std::string::npos) << want << "\n---\n" << e.body;
}

TEST(Monitor, MON3_RepeatedFailureSentOncePerRepeatMinutes) {
    Fixture f;
    auto m = monitor_config({"ops@example.com"}, 60.0);
    m.repeat_minutes = 60;
    monitor::RunMonitor mon(m, f.mailer, f.progress, f.db(), f.clock, "host-a", f.options());
    jobs::JobStats failed;
    failed.failure = "database is locked";
    const pipeline::RunRequest req{{JobKind::capture}, kNow, kNow};

    auto one_run = [&](RunId id, const jobs::JobStats& stats) {
        mon.run_started(id, req);
        mon.job_started(JobKind::capture);
        mon.job_finished(JobKind::capture, stats);
        mon.run_finished(pipeline::RunReport{});
    };
    one_run(1, failed);
    EXPECT_EQ(f.mailer.count(), 1u);
    one_run(2, failed);  // same job, same error, same minute
    EXPECT_EQ(f.mailer.count(), 1u);
    f.clock.advance(59min);
    one_run(3, failed);
    EXPECT_EQ(f.mailer.count(), 1u);

    jobs::JobStats other = failed;  // a different error is news
    other.failure = "disk I/O error";
    one_run(4, other);
    EXPECT_EQ(f.mailer.count(), 2u);

    f.clock.advance(1min);  // 60 min after the first email
    one_run(5, failed);
    EXPECT_EQ(f.mailer.count(), 3u);
    one_run(6, failed);
    EXPECT_EQ(f.mailer.count(), 3u);

    // The daemon's failures are de-duplicated the same way, by what + error.
    EXPECT_TRUE(mon.notify_failure("config reload", "line 3: unknown key", "kept the old config"));
    EXPECT_FALSE(mon.notify_failure("config reload", "line 3: unknown key", "kept the old config"));
    EXPECT_TRUE(mon.notify_failure("config reload", "line 4: unknown key", "kept the old config"));
    f.clock.advance(61min);
    EXPECT_TRUE(mon.notify_failure("config reload", "line 3: unknown key", "kept the old config"));
    EXPECT_EQ(f.mailer.count(), 6u);
    EXPECT_EQ(mon.failures_sent(), 6u);
}

TEST(Monitor, MON3_FailedSendIsTriedAgainNextTime) {
    Fixture f;
    monitor::RunMonitor mon(monitor_config({"ops@example.com"}, 60.0), f.mailer, f.progress, f.db(), f.clock,
                            "host-a", f.options());
    f.mailer.fail(true);
    EXPECT_FALSE(mon.notify_failure("database", "unable to open database file", "the run was skipped"));
    f.mailer.fail(false);
    EXPECT_TRUE(mon.notify_failure("database", "unable to open database file", "the run was skipped"));
    EXPECT_EQ(f.mailer.count(), 1u);
}

TEST(Monitor, MON3_DaemonFailuresAndCrashedRuns) {
    Fixture f;
    monitor::RunMonitor mon(monitor_config({"ops@example.com"}, 60.0), f.mailer, f.progress, f.db(), f.clock,
                            "host-a", f.options());
    EXPECT_TRUE(mon.notify_failure("config reload (SIGHUP)", "olmd.toml:3: unknown key 'fraud.foo'",
                                   "kept running with the previous configuration"));
    EXPECT_TRUE(mon.notify_crashed_run(17));
    ASSERT_EQ(f.mailer.count(), 2u);
    const auto e = f.mailer.emails();
    EXPECT_EQ(e[0].subject,
              "[olmd] config reload (SIGHUP) failed on host-a: olmd.toml:3: unknown key 'fraud.foo'");
    EXPECT_NE(e[0].body.find("done:         kept running with the previous configuration\n"), std::string::npos)
        << e[0].body;
    EXPECT_NE(e[1].subject.find("run 17 failed on host-a"), std::string::npos) << e[1].subject;
    EXPECT_NE(e[1].body.find("marked the run crashed"), std::string::npos);
}

TEST(Monitor, MON3_MultiLineErrorMakesASingleLineSubject) {
    Fixture f;
    monitor::RunMonitor mon(monitor_config({"ops@example.com"}, 60.0), f.mailer, f.progress, f.db(), f.clock,
                            "host-a", f.options());
    // A subject with CR/LF would be refused by the mailer: the monitor keeps the first line.
    EXPECT_TRUE(mon.notify_failure("config reload", "line 1 bad\r\nline 2 bad\nBcc: x@example.com", "kept old"));
    ASSERT_EQ(f.mailer.count(), 1u);
    const auto e = f.mailer.emails()[0];
    EXPECT_EQ(e.subject, "[olmd] config reload failed on host-a: line 1 bad");
    EXPECT_NE(e.body.find("line 2 bad"), std::string::npos);
}

TEST(Monitor, SetConfigTurnsEmailOff) {
    Fixture f;
    monitor::RunMonitor mon(monitor_config({"ops@example.com"}, 60.0), f.mailer, f.progress, f.db(), f.clock,
                            "host-a", f.options());
    mon.set_config(monitor_config({"ops@example.com"}, std::nullopt));
    EXPECT_FALSE(mon.notify_failure("x", "y", "z"));
    EXPECT_EQ(f.mailer.attempts(), 0u);
}

}  // namespace
}  // namespace olmd::test
