// OPS-6 / CAP-7 crash test: `olmd run-once --jobs capture,reauth` against the Stripe-subset
// test server (latency, 500s, answers lost after applying), SIGKILLed at random
// moments and restarted until every order is paid. One order in ten has an
// authorization whose capture is declined (CAP-6: void at the gateway, then a new
// authorization captured), one in twenty an aged one (RA-3 void and re-authorize,
// then captured). Then: every order collected exactly its total, no authorization
// captured twice at the server (ledger), the database agrees with the server, no
// hold left open on a voided payment, `olmd audit` clean, PRAGMA integrity_check ok.
//
// Bounded here (ctest); scripts/crashtest runs it with OLMD_CRASH_PAYMENTS=2000 and
// OLMD_CRASH_KILLS=50 (or more), and prints the figures.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <random>
#include <thread>

#include "support/process.hpp"
#include "support/stripe_test_server.hpp"
#include "support/temp_dir.hpp"
#include "support/test_db.hpp"

extern char** environ;

namespace olmd::test {
namespace {

int env_int(const char* name, int fallback) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? std::atoi(v) : fallback;
}

/// Starts olmd with args, its output appended to log; returns the pid.
pid_t spawn_olmd(const std::vector<std::string>& args, const std::string& log) {
    std::vector<std::string> all{olmd_binary()};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    return rc == 0 ? pid : 0;
}

/// Waits up to ms for pid; its exit status (128+signal), or -1 when still running.
int wait_for(pid_t pid, int ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (true) {
        int st = 0;
        const pid_t r = ::waitpid(pid, &st, WNOHANG);
        if (r == pid) return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        if (std::chrono::steady_clock::now() >= deadline) return -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
}

TEST(CrashTest, OPS6_CaptureKilledAtRandomMomentsCapturesEveryPaymentExactlyOnce) {
    const int payments = env_int("OLMD_CRASH_PAYMENTS", 300);
    const int min_kills = env_int("OLMD_CRASH_KILLS", 12);
    const int latency = env_int("OLMD_CRASH_LATENCY_MS", 5);
    StripeServerOptions o;
    o.autocreate = true;
    o.latency_ms = latency;
    o.drop_rate = 0.05;
    o.failure_rate = 0.02;
    o.seed = static_cast<unsigned>(env_int("OLMD_CRASH_SEED", 7));
    StripeTestServer server(o);

    TestDb t;  // migrated database; olmd opens the same file
    const std::string key = t.dir().file("stripe.key"), conf = t.dir().file("olmd.toml"), log = t.dir().file("olmd.log");
    write_file(key, server.api_key() + "\n");
    ::chmod(key.c_str(), 0600);
    write_file(conf, "[daemon]\ndatabase = \"" + t.path() + "\"\ntimezone = \"UTC\"\nbatch_size = 40\nlog_level = \"warn\"\n"
                     "[capture]\nenabled = true\nstatuses = [\"Ready to Process\"]\nreauthorize_on_failure = true\n"
                     "[reauth]\nenabled = true\nstatuses = [\"Ready to Process\"]\n"
                     "[gateway]\nkind = \"stripe\"\nurl = \"" + server.url() + "\"\napi_key_file = \"" + key +
                     "\"\nconcurrency = 8\nmax_retries = 2\ntimeout_ms = 3000\n");
    t.exec("BEGIN");
    t.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + std::to_string(payments) +
           ") INSERT INTO orders (order_number, channel_id, status_id, created_at, grand_total_cents, updated_at) "
           "SELECT printf('CR-%06d', i), 1, (SELECT id FROM order_statuses WHERE name = 'Ready to Process'), "
           "'2026-11-20T00:00:00Z', 1000 + i, '2026-11-20T00:00:00Z' FROM n");
    // Every 10th capture is declined (fail_capture); every 20th (+5) authorization is aged for RA-3.
    t.exec("INSERT INTO payments (order_id, method, status, amount_cents, card_token, customer_ref, gateway_ref, "
           "created_at, authorized_at) SELECT id, 'credit_card', 'authorized', grand_total_cents, 'tok_visa_' || id, "
           "'cus_crash_' || id, printf(iif(id % 10 = 0, 'fail_capture_crash_%06d', 'pi_crash_%06d'), id), created_at, "
           "iif(id % 20 = 5, '2020-01-01T00:00:00Z', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) FROM orders");
    t.exec("COMMIT");

    std::mt19937 rng(static_cast<unsigned>(env_int("OLMD_CRASH_SEED", 7)));
    std::uniform_int_distribution<int> pause(5, env_int("OLMD_CRASH_MAX_PAUSE_MS", 400));
    int kills = 0, runs = 0, completed = 0;
    const auto t0 = std::chrono::steady_clock::now();
    const std::vector<std::string> args{"--config", conf, "run-once", "--jobs", "capture,reauth"};
    auto remaining = [&] {
        return t.scalar("SELECT (SELECT count(*) FROM payments WHERE status NOT IN ('captured', 'voided')) + "
                        "(SELECT count(*) FROM gateway_operations WHERE state IN ('pending', 'unknown'))");
    };
    while (runs < 20 * min_kills + 200) {
        const bool kill_this = kills < min_kills;
        const pid_t pid = spawn_olmd(args, log);
        ASSERT_GT(pid, 0);
        ++runs;
        if (kill_this) {
            int st = wait_for(pid, pause(rng));
            if (st < 0) {
                ::kill(pid, SIGKILL);
                st = wait_for(pid, 10000);
                ++kills;
            } else {
                ++completed;
            }
            continue;
        }
        const int st = wait_for(pid, 300000);
        ASSERT_GE(st, 0) << "olmd hung";
        ++completed;
        if (remaining() == 0) break;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    // The database.
    EXPECT_EQ(t.text("PRAGMA integrity_check"), "ok");
    EXPECT_EQ(remaining(), 0) << "every payment captured or voided, nothing left open in the journal";
    EXPECT_EQ(t.scalar("SELECT count(*) FROM orders o WHERE (SELECT coalesce(sum(captured_cents), 0) FROM payments p "
                       "WHERE p.order_id = o.id) <> o.grand_total_cents"),
              0)
        << "every order collected exactly its total";
    EXPECT_EQ(t.scalar("SELECT count(*) FROM orders o WHERE (SELECT count(*) FROM payments p WHERE p.order_id = o.id "
                       "AND p.status = 'captured') <> 1"),
              0)
        << "one captured payment per order";
    EXPECT_EQ(t.scalar("SELECT count(*) FROM payments p WHERE p.status = 'captured' AND (SELECT count(*) FROM "
                       "gateway_operations g WHERE g.payment_id = p.id AND g.operation = 'capture' AND "
                       "g.state = 'succeeded') <> 1"),
              0)
        << "every captured payment has exactly one succeeded capture in the journal";
    EXPECT_EQ(t.scalar("SELECT count(*) FROM payments WHERE status = 'voided' AND replaces_payment_id IS NULL AND "
                       "gateway_ref NOT LIKE 'fail_capture%' AND authorized_at <> '2020-01-01T00:00:00Z'"),
              0)
        << "only declined captures and aged authorizations were voided";
    // The server's ledger agrees, payment by payment.
    int mismatches = 0, twice = 0, open_holds = 0;
    SQLite::Statement q(t.db().raw(), "SELECT gateway_ref, captured_cents, status FROM payments");
    while (q.executeStep()) {
        auto in = server.intent(q.getColumn(0).getString());
        const std::string status = q.getColumn(2).getString();
        if (status == "captured" && (!in || in->captures != 1 || in->amount_received != q.getColumn(1).getInt64()))
            ++mismatches;
        if (status == "voided" && in && in->status == "requires_capture") ++open_holds;
        if (in && in->captures > 1) ++twice;
    }
    EXPECT_EQ(mismatches, 0);
    EXPECT_EQ(twice, 0);
    EXPECT_EQ(open_holds, 0) << "no hold left on a voided payment";
    const auto audit = run_olmd({"--config", conf, "audit"});
    EXPECT_EQ(audit.exit_code, 0) << audit.out << audit.err;
    EXPECT_GE(kills, min_kills);
    std::int64_t replays = 0, keys = 0;
    for (const auto& in : server.intents()) keys += static_cast<std::int64_t>(in.capture_keys.size());
    replays = server.requests() - server.applied();
    std::cout << "crashtest: " << payments << " payments, " << kills << " SIGKILLs, " << runs << " runs (" << completed
              << " ran to the end), " << seconds << " s; server: " << server.requests() << " requests, "
              << server.applied() << " applied, " << replays << " answered without applying (replays, 500s, lookups), "
              << keys << " capture keys for " << payments << " intents; every payment captured exactly once: "
              << (mismatches == 0 && twice == 0 ? "yes" : "NO") << "; open holds on voided payments: " << open_holds
              << "; olmd audit: " << (audit.exit_code == 0 ? "clean" : "VIOLATIONS") << "; journal rows: "
              << t.scalar("SELECT count(*) FROM gateway_operations") << "; runs marked crashed: "
              << t.scalar("SELECT count(*) FROM automation_runs WHERE outcome IN ('crashed', 'running')") << "\n";
}

}  // namespace
}  // namespace olmd::test
