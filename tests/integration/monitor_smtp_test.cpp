// MON-4 against a real SMTP server (tests/support/smtp_sink.py, aiosmtpd):
// the warning and failure emails arrive with their recipients, headers and
// body; AUTH uses the password file; a server that is down, silent or
// refusing never stops or slows the run. MonitorRunOnce runs the binary, and in
// pg: tests on the database's PostgreSQL twin (support/pg_mirror.hpp).
#include <gtest/gtest.h>

#include <regex>
#include <thread>

#include "olmd/mail/async_mailer.hpp"
#include "olmd/mail/smtp_mailer.hpp"
#include "olmd/monitor/run_monitor.hpp"
#include "olmd/pipeline/runner.hpp"
#include <SQLiteCpp/SQLiteCpp.h>

#include <nlohmann/json.hpp>

#include "support/pg_mirror.hpp"
#include "support/process.hpp"
#include "support/silent_server.hpp"
#include "support/smtp_server.hpp"
#include "support/test_db.hpp"
#include "support/test_services.hpp"
#include "support/test_clock.hpp"
#include "support/scripted_job.hpp"

namespace olmd::test {
namespace {

using namespace std::chrono_literals;

const Instant kNow = *parse_utc("2026-11-22T13:30:00Z");

#define REQUIRE_SMTP_SINK()                                                              \
    do {                                                                                 \
        if (!smtp_sink_available()) GTEST_SKIP() << "python3-aiosmtpd is not installed"; \
    } while (0)

config::SmtpConfig smtp_to(const std::string& url) {
    config::SmtpConfig c;
    c.url = url;
    c.timeout_ms = 5000;
    return c;
}

bool every_line_ends_in_crlf(const std::string& s) {
    for (std::size_t i = 0; i < s.size(); ++i)
        if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) return false;
    return true;
}

TEST(MonitorSmtp, MailPlainMessageArrivesWithHeadersAndCrlf) {
    REQUIRE_SMTP_SINK();
    SmtpServer server;
    mail::SmtpMailer m(smtp_to(server.url()), "host-a");
    auto st = m.send({{"ops@example.com", "Night Shift <night@example.com>"},
                      "[olmd] test",
                      "first line\n.starts with a dot\n.\nlast line\n"});
    ASSERT_TRUE(st.ok()) << st.error().message;
    ASSERT_TRUE(server.wait_for(1, 5s));
    const auto msg = server.messages().at(0);
    EXPECT_EQ(msg.mail_from, "olmd@host-a");
    EXPECT_EQ(msg.rcpt_tos, (std::vector<std::string>{"ops@example.com", "night@example.com"}));
    EXPECT_EQ(msg.header("From"), "olmd@host-a");
    EXPECT_EQ(msg.header("To"), "ops@example.com, Night Shift <night@example.com>");
    EXPECT_EQ(msg.header("Subject"), "[olmd] test");
    EXPECT_EQ(msg.header("MIME-Version"), "1.0");
    EXPECT_EQ(msg.header("Content-Type"), "text/plain; charset=utf-8");
    EXPECT_TRUE(std::regex_match(msg.header("Date"),
                                 std::regex(R"((Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d \+0000)")))
        << msg.header("Date");
    EXPECT_TRUE(std::regex_match(msg.header("Message-ID"), std::regex(R"(<[0-9a-f]{32}\.\d+@host-a>)")))
        << msg.header("Message-ID");
    EXPECT_TRUE(every_line_ends_in_crlf(msg.data));
    // Dot-stuffing is done by libcurl and undone by the server: the body arrives intact.
    EXPECT_EQ(msg.body(), "first line\r\n.starts with a dot\r\n.\r\nlast line\r\n");
}

TEST(MonitorSmtp, MailConfiguredFromAndUtf8Body) {
    REQUIRE_SMTP_SINK();
    SmtpServer server;
    auto cfg = smtp_to(server.url());
    cfg.from = "OLMD Robot <robot@example.com>";
    mail::SmtpMailer m(cfg, "host-a");
    ASSERT_TRUE(m.send({{"ops@example.com"}, "Café", "naïve €\n"}).ok());
    ASSERT_TRUE(server.wait_for(1, 5s));
    const auto msg = server.messages().at(0);
    EXPECT_EQ(msg.mail_from, "robot@example.com");
    EXPECT_EQ(msg.header("From"), "OLMD Robot <robot@example.com>");
    EXPECT_EQ(msg.header("Subject"), "=?UTF-8?B?Q2Fmw6k=?=");
    EXPECT_EQ(msg.header("Content-Transfer-Encoding"), "quoted-printable");
    EXPECT_EQ(msg.body(), "na=C3=AFve =E2=82=AC\r\n");
}

TEST(MonitorSmtp, MailAuthReadsThePasswordFile) {
    REQUIRE_SMTP_SINK();
    SmtpServer server({"olmd-user", "s3cret-Pa55", 0});
    TempDir dir;
    write_file(dir.file("smtp-password"), "s3cret-Pa55\n");  // the final newline is not part of it
    auto cfg = smtp_to(server.url());
    cfg.username = "olmd-user";
    cfg.password_file = dir.file("smtp-password");
    cfg.allow_plaintext_auth = true;  // the sink offers no STARTTLS (OPS-11)
    auto st = mail::SmtpMailer(cfg, "host-a").send({{"ops@example.com"}, "auth", "b"});
    ASSERT_TRUE(st.ok()) << st.error().message;
    ASSERT_TRUE(server.wait_for(1, 5s));
    EXPECT_EQ(server.messages().at(0).login, "olmd-user");

    write_file(dir.file("smtp-password"), "wrong-password-here");
    st = mail::SmtpMailer(cfg, "host-a").send({{"ops@example.com"}, "auth", "b"});
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().message.find("wrong-password-here"), std::string::npos) << st.error().message;
    EXPECT_EQ(server.messages().size(), 1u);
}

TEST(MonitorSmtp, MailRequireTlsRefusesAServerWithoutStarttls) {
    REQUIRE_SMTP_SINK();
    SmtpServer server;  // offers no STARTTLS
    auto cfg = smtp_to(server.url());
    cfg.require_tls = true;
    auto st = mail::SmtpMailer(cfg, "host-a").send({{"ops@example.com"}, "tls", "b"});
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.error().message.find("require_tls"), std::string::npos) << st.error().message;
    EXPECT_TRUE(server.messages().empty());
    // Without require_tls the same server gets the email in clear (STARTTLS only when offered).
    cfg.require_tls = false;
    EXPECT_TRUE(mail::SmtpMailer(cfg, "host-a").send({{"ops@example.com"}, "tls", "b"}).ok());
}

TEST(MonitorSmtp, MON4_TemporaryFailureIsRetried) {
    REQUIRE_SMTP_SINK();
    SmtpServer server({"", "", 1});  // 451 to the first message
    mail::SmtpMailer smtp(smtp_to(server.url()), "host-a");
    mail::AsyncMailer queue(smtp, test::wall_clock(), {3, 50ms, 10});
    ASSERT_TRUE(queue.send({{"ops@example.com"}, "retry", "b"}).ok());
    EXPECT_TRUE(queue.flush(10s));
    EXPECT_EQ(queue.delivered(), 1u);
    EXPECT_EQ(server.messages().size(), 1u);
}

TEST(MonitorSmtp, MON4_WarningAndFailureDeliveredOverSmtp) {
    REQUIRE_SMTP_SINK();
    SmtpServer server;
    TestDb t;
    mail::SmtpMailer smtp(smtp_to(server.url()), "host-a");
    mail::AsyncMailer queue(smtp, test::wall_clock());
    jobs::Progress progress;
    domain::FakeClock clock(kNow);
    config::MonitorConfig m;
    m.warning_emails = {"ops@example.com", "oncall@example.com"};
    m.warning_timeout_minutes = 0.01;  // 0.6 s
    monitor::RunMonitor mon(m, queue, progress, t.path(), clock, "host-a");

    jobs::JobSet set;
    set.jobs[2] = std::make_unique<ScriptedJob>(JobKind::fraud, [&](jobs::JobContext& ctx, jobs::JobStats& s) {
        ctx.progress->selected = 250;
        ctx.progress->done = 120;
        EXPECT_TRUE(clock.await_waiters(1));  // the watchdog waits on the clock: let 0.6 s pass
        clock.advance(600ms);
        EXPECT_TRUE(server.wait_for(1, 20s));  // the warning arrives while the job is still at it
        s.selected = 250;
        s.changed = 120;
        s.deferred = 130;
        s.failure = "geolocation service failing: HTTP 503";
    });
    set.jobs[3] = std::make_unique<ScriptedJob>(JobKind::sourcing, nullptr);
    config::Config cfg;
    ::olmd::test::TestServices run_services(t.db(), cfg);
    pipeline::Runner runner(cfg, t.db(), run_services.get(), set, clock, "host-a");
    std::atomic<bool> stop{false};
    auto rep = runner.run({{JobKind::fraud, JobKind::sourcing}, kNow, kNow}, progress, stop, &mon);
    ASSERT_TRUE(rep.ok()) << rep.error().message;
    EXPECT_TRUE(queue.flush(10s));
    ASSERT_TRUE(server.wait_for(2, 5s));
    const auto msgs = server.messages();
    ASSERT_EQ(msgs.size(), 2u);

    const auto& warning = msgs[0];
    EXPECT_EQ(warning.rcpt_tos, m.warning_emails);
    EXPECT_EQ(warning.header("To"), "ops@example.com, oncall@example.com");
    EXPECT_TRUE(std::regex_match(warning.header("Subject"),
                                 std::regex("\\[olmd\\] run " + std::to_string(rep->run_id) +
                                            " on host-a still running after \\d\\.\\d s")))
        << warning.header("Subject");
    for (const char* want : {"running now:  fraud, 120 of 250 orders done\r\n", "still to run: sourcing\r\n",
                             "host:         host-a\r\n", "(2026-11-22T13:30:00Z)"})
        EXPECT_NE(warning.body().find(want), std::string::npos) << want << "\n---\n" << warning.body();
    EXPECT_EQ(t.text("SELECT warning_sent_at FROM automation_runs"), "2026-11-22T13:30:00Z");

    const auto& failure = msgs[1];
    EXPECT_EQ(failure.header("Subject"), "[olmd] job fraud failed on host-a: geolocation service failing: HTTP 503");
    EXPECT_NE(failure.body().find("fraud deferred 130 orders to the next run"), std::string::npos) << failure.body();
    EXPECT_EQ(mon.warnings_sent(), 1u);
    EXPECT_EQ(mon.failures_sent(), 1u);
}

/// Runs a failing capture job then fraud with a monitor mailing through smtp; returns how long the run took.
std::chrono::steady_clock::duration run_with_failing_job(mail::Mailer& mailer, TestDb& t,
                                                          pipeline::RunReport& report) {
    jobs::Progress progress;
    domain::FakeClock clock(kNow);
    config::MonitorConfig m;
    m.warning_emails = {"ops@example.com"};
    m.warning_timeout_minutes = 0.001;  // the warning is due during the run too
    monitor::RunMonitor mon(m, mailer, progress, t.path(), clock, "host-a");
    jobs::JobSet set;
    set.jobs[0] = std::make_unique<ScriptedJob>(JobKind::capture, [&clock](jobs::JobContext&, jobs::JobStats& s) {
        EXPECT_TRUE(clock.await_waiters(1));  // the watchdog waits on the clock: let the timeout pass
        clock.advance(1s);
        s.failure = "gateway unreachable";
    });
    bool fraud_ran = false;
    set.jobs[2] = std::make_unique<ScriptedJob>(JobKind::fraud,
                                                [&](jobs::JobContext&, jobs::JobStats&) { fraud_ran = true; });
    config::Config cfg;
    ::olmd::test::TestServices run_services(t.db(), cfg);
    pipeline::Runner runner(cfg, t.db(), run_services.get(), set, clock, "host-a");
    std::atomic<bool> stop{false};
    const auto t0 = std::chrono::steady_clock::now();
    auto rep = runner.run({{JobKind::capture, JobKind::fraud}, kNow, kNow}, progress, stop, &mon);
    const auto took = std::chrono::steady_clock::now() - t0;
    EXPECT_TRUE(rep.ok());
    EXPECT_TRUE(fraud_ran);
    if (rep.ok()) report = *rep;
    return took;
}

TEST(MonitorSmtp, MON4_SmtpDownDoesNotStopTheRun) {
    config::SmtpConfig c = smtp_to("smtp://127.0.0.1:" + std::to_string(closed_port()));
    mail::SmtpMailer smtp(c, "host-a");
    mail::AsyncMailer queue(smtp, test::wall_clock(), {3, 20ms, 10});
    TestDb t;
    pipeline::RunReport rep;
    const auto took = run_with_failing_job(queue, t, rep);
    EXPECT_LT(took, 1500ms);
    EXPECT_EQ(rep.outcome, store::Outcome::failed);  // the capture failure, not the mail
    EXPECT_EQ(t.text("SELECT outcome FROM automation_runs"), "failed");
    EXPECT_TRUE(queue.flush(10s));
    EXPECT_EQ(queue.delivered(), 0u);
    EXPECT_EQ(queue.failed(), 2u);  // the warning and the failure email, each tried 3 times
}

TEST(MonitorSmtp, MON4_SilentSmtpServerNeitherBlocksTheRunNorTheExitPastTheTimeout) {
    SilentServer silent;
    config::SmtpConfig c = smtp_to("smtp://127.0.0.1:" + std::to_string(silent.port()));
    c.timeout_ms = 400;
    mail::SmtpMailer smtp(c, "host-a");
    TestDb t;
    pipeline::RunReport rep;
    std::chrono::steady_clock::duration took{};
    {
        mail::AsyncMailer queue(smtp, test::wall_clock(), {3, 50ms, 10});
        took = run_with_failing_job(queue, t, rep);
        const auto f0 = std::chrono::steady_clock::now();
        EXPECT_FALSE(queue.flush(std::chrono::milliseconds(c.timeout_ms)));  // run-once's bound
        EXPECT_LT(std::chrono::steady_clock::now() - f0, 1000ms);
    }
    EXPECT_LT(took, 1000ms);  // every SMTP attempt takes 400 ms, off the job thread
    EXPECT_EQ(rep.outcome, store::Outcome::failed);
    EXPECT_GE(silent.accepted(), 1);
}


// --- the real olmd binary -------------------------------------------------------

/// A run-once of the real binary on a database of generated fraud orders, with [monitor] and [smtp] set.
class MonitorRunOnce : public ::testing::Test {
protected:
    void SetUp() override {
        db = dir.file("olmd.db");
        config = dir.file("olmd.toml");
    }
    /// Fills the database with n fraud-profile orders (scripts/gen-orders, which also migrates it).
    void generate(int n) {
        auto r = run_process("/usr/bin/python3", {std::string(OLMD_SOURCE_DIR) + "/scripts/gen-orders", db,
                                                  "--orders", std::to_string(n), "--profile", "fraud"});
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    void write_config(const std::string& smtp_url, const std::string& timeout_minutes) {
        write_file(config, "[daemon]\ndatabase = \"" + db + "\"\ntimezone = \"UTC\"\n"
                           "[fraud]\nenabled = true\nstatuses = [\"Ready to Process\"]\n"
                           "[fraud.grand_total]\nenabled = true\nthreshold = \"500\"\n"
                           "[fraud.compare_states]\nenabled = true\n"
                           "[fraud.blacklist]\ncheck_emails = true\nemails = [\"fraudster@example.com\"]\n"
                           "[monitor]\nwarning_emails = \"ops@example.com, oncall@example.com\"\n"
                           "warning_timeout_minutes = " + timeout_minutes + "\n"
                           "[smtp]\nurl = \"" + smtp_url + "\"\nfrom = \"olmd@test-host\"\ntimeout_ms = 3000\n");
    }
    /// The binary on the database, or in pg: tests on its PostgreSQL twin (pulled back into db after).
    ProcessResult olmd(std::vector<std::string> args) {
        return run_olmd_on_test_backend(twin, dir, db, config, std::move(args));
    }
    std::string text(const std::string& sql) {
        SQLite::Database d(db, SQLite::OPEN_READONLY);
        SQLite::Statement q(d, sql);
        if (!q.executeStep() || q.getColumn(0).isNull()) return "";
        return q.getColumn(0).getString();
    }
    TempDir dir;
    std::string db, config;
    std::unique_ptr<PgMirror> twin;  ///< the PostgreSQL twin of db (pg: tests)
};

TEST_F(MonitorRunOnce, MON2_RunOnceBinaryEmailsWarning) {
    REQUIRE_SMTP_SINK();
    SmtpServer server;
    generate(20000);
    write_config(server.url(), "0.001");  // 60 ms: the fraud job on 20000 orders takes longer
    auto r = olmd({"run-once", "--jobs", "fraud", "--now", "2026-11-22T12:00:00Z"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    const double seconds =
        nlohmann::json::parse(text("SELECT summary FROM automation_runs ORDER BY id DESC LIMIT 1"))["fraud"]["seconds"];
    if (seconds < 0.3) GTEST_SKIP() << "the fraud job took only " << seconds << " s: too fast to catch the warning";

    // run-once waited for its queued email before exiting: it is there already.
    const auto msgs = server.messages();
    ASSERT_EQ(msgs.size(), 1u) << r.err;
    const auto& m = msgs[0];
    const std::string run_id = text("SELECT id FROM automation_runs ORDER BY id DESC LIMIT 1");
    EXPECT_EQ(m.rcpt_tos, (std::vector<std::string>{"ops@example.com", "oncall@example.com"}));
    EXPECT_EQ(m.mail_from, "olmd@test-host");
    EXPECT_EQ(m.header("Subject").rfind("[olmd] run " + run_id + " on ", 0), 0u) << m.header("Subject");
    EXPECT_NE(m.header("Subject").find(" still running after "), std::string::npos);
    const std::string body = m.body();
    EXPECT_NE(body.find("run id:       " + run_id + "\r\n"), std::string::npos) << body;
    EXPECT_NE(body.find("slot:         2026-11-22T12:00:00+00:00 (2026-11-22T12:00:00Z)"), std::string::npos) << body;
    EXPECT_TRUE(std::regex_search(body, std::regex(R"(running now:  fraud, \d+ of 20000 orders done)"))) << body;
    EXPECT_NE(body.find("still to run: none\r\n"), std::string::npos) << body;
    EXPECT_FALSE(text("SELECT warning_sent_at FROM automation_runs WHERE id = " + run_id).empty());
    EXPECT_EQ(text("SELECT outcome FROM automation_runs WHERE id = " + run_id), "succeeded");
}

TEST_F(MonitorRunOnce, MON3_RunOnceEmailsACrashRecoveredRun) {
    REQUIRE_SMTP_SINK();
    SmtpServer server;
    generate(10);
    write_config(server.url(), "60");
    {
        SQLite::Database d(db, SQLite::OPEN_READWRITE);
        d.exec("INSERT INTO automation_runs (fire_at, started_at, jobs, outcome, \"trigger\", summary, host) VALUES "
               "('2026-11-22T11:00:00Z', '2026-11-22T11:00:00Z', 'fraud', 'running', 'manual', '{}', 'h')");
    }
    auto r = olmd({"run-once", "--jobs", "fraud", "--now", "2026-11-22T12:00:00Z"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    const auto msgs = server.messages();
    ASSERT_EQ(msgs.size(), 1u) << r.err;
    EXPECT_NE(msgs[0].header("Subject").find("[olmd] run 1 failed on "), std::string::npos)
        << msgs[0].header("Subject");
    EXPECT_NE(msgs[0].body().find("marked the run crashed"), std::string::npos);
    EXPECT_EQ(text("SELECT outcome FROM automation_runs WHERE id = 1"), "crashed");
}

TEST_F(MonitorRunOnce, MON4_RunOnceWithSmtpDownStillSucceeds) {
    generate(2000);
    write_config("smtp://127.0.0.1:" + std::to_string(closed_port()), "0.0001");  // 6 ms
    auto r = olmd({"run-once", "--jobs", "fraud", "--now", "2026-11-22T12:00:00Z"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(text("SELECT outcome FROM automation_runs ORDER BY id DESC LIMIT 1"), "succeeded");
    EXPECT_NE(r.err.find("cannot send email"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace olmd::test
