// OPS-6 / CAP-7 crash test: `olmd run-once --jobs capture` against the Stripe-subset
// test server (latency, 500s, answers lost after applying), SIGKILLed at random
// moments and restarted until every payment is captured. Then: every payment
// captured exactly once at the server (ledger), the database agrees with the server,
// PRAGMA integrity_check is ok, and no order or payment is half-processed.
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
                     "[capture]\nenabled = true\nstatuses = [\"Ready to Process\"]\n"
                     "[gateway]\nkind = \"stripe\"\nurl = \"" + server.url() + "\"\napi_key_file = \"" + key +
                     "\"\nconcurrency = 8\nmax_retries = 2\ntimeout_ms = 3000\n");
    t.exec("BEGIN");
    t.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + std::to_string(payments) +
           ") INSERT INTO orders (order_number, channel_id, status_id, created_at, grand_total_cents, updated_at) "
           "SELECT printf('CR-%06d', i), 1, (SELECT id FROM order_statuses WHERE name = 'Ready to Process'), "
           "'2026-11-20T00:00:00Z', 1000 + i, '2026-11-20T00:00:00Z' FROM n");
    t.exec("INSERT INTO payments (order_id, method, status, amount_cents, card_token, gateway_ref, created_at, "
           "authorized_at) SELECT id, 'credit_card', 'authorized', grand_total_cents, 'tok_visa_' || id, "
           "printf('pi_crash_%06d', id), created_at, created_at FROM orders");
    t.exec("COMMIT");

    std::mt19937 rng(static_cast<unsigned>(env_int("OLMD_CRASH_SEED", 7)));
    std::uniform_int_distribution<int> pause(5, env_int("OLMD_CRASH_MAX_PAUSE_MS", 400));
    int kills = 0, runs = 0, completed = 0;
    const auto t0 = std::chrono::steady_clock::now();
    const std::vector<std::string> args{"--config", conf, "run-once", "--jobs", "capture"};
    auto remaining = [&] {
        return t.scalar("SELECT (SELECT count(*) FROM payments WHERE status <> 'captured') + "
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
    EXPECT_EQ(t.scalar("SELECT count(*) FROM payments WHERE status = 'captured' AND captured_cents = amount_cents "
                       "AND captured_at IS NOT NULL"),
              payments);
    EXPECT_EQ(t.scalar("SELECT count(*) FROM payments"), payments) << "no stray rows";
    EXPECT_EQ(t.scalar("SELECT count(*) FROM gateway_operations WHERE state IN ('pending', 'unknown')"), 0);
    EXPECT_EQ(t.scalar("SELECT count(*) FROM payments p WHERE (SELECT count(*) FROM gateway_operations g WHERE "
                       "g.payment_id = p.id AND g.state = 'succeeded') <> 1"),
              0)
        << "every payment has exactly one succeeded capture in the journal";
    EXPECT_EQ(t.scalar("SELECT count(*) FROM order_status_history"), 0) << "no order moved";
    EXPECT_EQ(t.scalar("SELECT count(*) FROM orders WHERE status_id <> (SELECT id FROM order_statuses WHERE name = "
                       "'Ready to Process')"),
              0);
    // The server's ledger agrees, payment by payment.
    int mismatches = 0, twice = 0;
    SQLite::Statement q(t.db().raw(), "SELECT gateway_ref, amount_cents FROM payments");
    while (q.executeStep()) {
        auto in = server.intent(q.getColumn(0).getString());
        if (!in || in->captures != 1 || in->amount_received != q.getColumn(1).getInt64()) ++mismatches;
        if (in && in->captures > 1) ++twice;
    }
    EXPECT_EQ(mismatches, 0);
    EXPECT_EQ(twice, 0);
    EXPECT_GE(kills, min_kills);
    std::int64_t replays = 0, keys = 0;
    for (const auto& in : server.intents()) keys += static_cast<std::int64_t>(in.capture_keys.size());
    replays = server.requests() - server.applied();
    std::cout << "crashtest: " << payments << " payments, " << kills << " SIGKILLs, " << runs << " runs (" << completed
              << " ran to the end), " << seconds << " s; server: " << server.requests() << " requests, "
              << server.applied() << " applied, " << replays << " answered without applying (replays, 500s, lookups), "
              << keys << " capture keys for " << payments << " intents; every payment captured exactly once: "
              << (mismatches == 0 && twice == 0 ? "yes" : "NO") << "; journal rows: "
              << t.scalar("SELECT count(*) FROM gateway_operations") << "; runs marked crashed: "
              << t.scalar("SELECT count(*) FROM automation_runs WHERE outcome IN ('crashed', 'running')") << "\n";
}

}  // namespace
}  // namespace olmd::test
