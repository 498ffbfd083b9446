// PG-2 + OPS-6 under fire: two `olmd run` on one PostgreSQL database against the Stripe-subset test
// server (latency, 500s, answers lost after applying). The active instance is SIGKILLed at random
// moments of its capture run; the standby takes over (marks the dead run crashed, reconciles the
// journal, runs the missed slot again) and the killed one comes back as the new standby — until the
// slot is completed. Rounds (a fresh database each, one missed slot) repeat until at least K kills.
// After each round: every order collected exactly its total, one succeeded capture per captured
// payment, no authorization captured twice at the server, the database agrees with the server, the
// slot completed exactly once, `olmd audit` clean.
//
// Bounded here (ctest: 6 kills); scripts/crashtest --postgres runs it with OLMD_CRASH_KILLS=50 and more
// payments, and prints the figures.
#include <signal.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <pqxx/pqxx>
#include <random>
#include <thread>

#include "olmd/core/time.hpp"
#include "olmd/domain/clock.hpp"
#include "pg/pg_test_server.hpp"
#include "support/daemon_process.hpp"
#include "support/process.hpp"
#include "support/stripe_test_server.hpp"
#include "support/temp_dir.hpp"

namespace olmd::test {
namespace {

using namespace std::chrono_literals;

int env_int(const char* name, int fallback) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? std::atoi(v) : fallback;
}

struct RoundFigures {
    int kills = 0, takeovers = 0;
    std::int64_t crashed_runs = 0;
};

/// One round: a fresh database, `payments` authorized card payments, one missed slot, two daemons.
class Round {
public:
    Round(StripeTestServer& server, int payments, int index) : server_(server), index_(index) {
        const std::string key = dir_.file("stripe.key");
        write_file(key, server.api_key() + "\n");
        ::chmod(key.c_str(), 0600);
        config_ = write_pg_config(
            dir_, db_.uri(), write_password_file(dir_, "pw", pg_server().password),
            "standby_poll_seconds = 1\nbatch_size = 40\nlog_level = \"info\"\nbusy_timeout_ms = 10000\n"
            "[capture]\nenabled = true\nslots = [\"*\"]\nstatuses = [\"Ready to Process\"]\n"
            "reauthorize_on_failure = true\n"
            "[gateway]\nkind = \"stripe\"\nurl = \"" + server.url() + "\"\napi_key_file = \"" + key +
                "\"\nconcurrency = 4\nmax_retries = 2\ntimeout_ms = 3000\n");
        auto init = run_olmd({"--config", config_, "init-db", "--no-zips"});
        if (init.exit_code != 0) throw std::runtime_error("init-db: " + init.err);
        const std::string r = std::to_string(index);
        db_.exec("INSERT INTO orders (order_number, channel_id, status_id, created_at, grand_total_cents, updated_at) "
                 "SELECT 'CR" + r + "-' || lpad(i::text, 6, '0'), (SELECT id FROM channels WHERE name = 'Website'), "
                 "(SELECT id FROM order_statuses WHERE name = 'Ready to Process'), '2026-11-20T00:00:00Z', 1000 + i, "
                 "'2026-11-20T00:00:00Z' FROM generate_series(1, " + std::to_string(payments) + ") AS i");
        // Every 10th capture is declined (CAP-6: void, re-authorize, capture the new one).
        db_.exec("INSERT INTO payments (order_id, method, status, amount_cents, card_token, customer_ref, gateway_ref, "
                 "created_at, authorized_at) SELECT id, 'credit_card', 'authorized', grand_total_cents, 'tok_visa_' || "
                 "id, 'cus_crash_' || id, CASE WHEN id % 10 = 0 THEN 'fail_capture_pg" + r + "_' ELSE 'pi_pg" + r +
                 "_' END || id, created_at, now() FROM orders");
        const std::string t = format_utc(domain::SystemClock().now() - std::chrono::minutes{40});
        db_.exec("INSERT INTO automation_runs (fire_at, started_at, finished_at, jobs, outcome, \"trigger\", host) "
                 "VALUES ('" + t + "', '" + t + "', '" + t + "', 'capture', 'succeeded', 'schedule', 'test')");
    }

    std::unique_ptr<DaemonProcess> start() {
        ++started_;
        return std::make_unique<DaemonProcess>(olmd_binary(), std::vector<std::string>{"--config", config_, "run"},
                                               std::map<std::string, std::string>{},
                                               dir_.file("olmd-" + std::to_string(started_) + ".log"));
    }

    /// Kills the active instance at random moments of its run until the slot completes.
    RoundFigures run(std::mt19937& rng, int max_kills, int max_pause_ms) {
        RoundFigures f;
        std::uniform_int_distribution<int> pause(5, max_pause_ms);
        auto active = start();
        if (!active->wait_for_log("olmd started", 30s)) throw std::runtime_error("no start: " + active->log());
        auto standby = start();
        if (!standby->wait_for_log("standby:", 30s)) throw std::runtime_error("no standby: " + standby->log());
        while (!slot_completed()) {
            if (f.kills >= max_kills) {
                // Enough kills: let the active one finish the slot.
                if (!eventually([&] { return slot_completed(); }, 300s)) throw std::runtime_error("hung: " + active->log());
                break;
            }
            if (!eventually([&] { return slot_completed() || run_in_progress(); }, 30s))
                throw std::runtime_error("no run started: " + active->log());
            if (slot_completed()) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(pause(rng)));
            if (slot_completed()) break;
            active->signal(SIGKILL);
            active->wait_exit(10s);
            ++f.kills;
            // The standby takes the lock; only then does the killed one come back, as the new standby.
            if (!standby->wait_for_log("took over the instance lock", 30s))
                throw std::runtime_error("no takeover: " + standby->log());
            ++f.takeovers;
            active = std::move(standby);
            standby = start();
            if (!standby->wait_for_log("standby:", 30s)) throw std::runtime_error("no standby: " + standby->log());
        }
        standby->signal(SIGTERM);
        active->signal(SIGTERM);
        standby->wait_exit(20s);
        active->wait_exit(20s);
        f.crashed_runs = count("SELECT count(*) FROM automation_runs WHERE outcome = 'crashed'");
        return f;
    }

    bool slot_completed() {
        return count("SELECT count(*) FROM automation_runs WHERE \"trigger\" = 'catch_up' AND outcome IN "
                     "('succeeded', 'failed')") > 0;
    }
    bool run_in_progress() { return count("SELECT count(*) FROM automation_runs WHERE outcome = 'running'") > 0; }
    std::int64_t count(const std::string& sql) { return std::stoll(db_.value(sql)); }

    /// Every invariant of the round, as test failures.
    void check() {
        EXPECT_EQ(count("SELECT count(*) FROM automation_runs WHERE \"trigger\" = 'catch_up' AND outcome IN "
                        "('succeeded', 'failed')"),
                  1)
            << "the missed slot completed exactly once";
        EXPECT_EQ(count("SELECT count(*) FROM automation_runs WHERE outcome = 'running'"), 0);
        EXPECT_EQ(count("SELECT (SELECT count(*) FROM payments WHERE status NOT IN ('captured', 'voided')) + "
                        "(SELECT count(*) FROM gateway_operations WHERE state IN ('pending', 'unknown'))"),
                  0)
            << "every payment captured or voided, nothing open in the journal";
        EXPECT_EQ(count("SELECT count(*) FROM orders o WHERE (SELECT coalesce(sum(captured_cents), 0) FROM payments p "
                        "WHERE p.order_id = o.id) <> o.grand_total_cents"),
                  0)
            << "every order collected exactly its total";
        EXPECT_EQ(count("SELECT count(*) FROM payments p WHERE p.status = 'captured' AND (SELECT count(*) FROM "
                        "gateway_operations g WHERE g.payment_id = p.id AND g.operation = 'capture' AND "
                        "g.state = 'succeeded') <> 1"),
                  0)
            << "one succeeded capture per captured payment";
        int mismatches = 0, twice = 0;
        pqxx::connection c(pg_server().conninfo(db_.name()));
        pqxx::work w(c);
        for (const auto& row : w.exec("SELECT gateway_ref, captured_cents, status FROM payments")) {
            auto in = server_.intent(row[0].as<std::string>());
            if (row[2].as<std::string>() == "captured" &&
                (!in || in->captures != 1 || in->amount_received != row[1].as<std::int64_t>()))
                ++mismatches;
            if (in && in->captures > 1) ++twice;
        }
        EXPECT_EQ(mismatches, 0) << "database and server agree";
        EXPECT_EQ(twice, 0) << "no authorization captured twice";
        const auto audit = run_olmd({"--config", config_, "audit"});
        EXPECT_EQ(audit.exit_code, 0) << audit.out << audit.err;
    }

private:
    StripeTestServer& server_;
    int index_;
    TempDir dir_;
    PgTestDatabase db_;
    std::string config_;
    int started_ = 0;
};

TEST(PgCrashTakeover, PG2_SigkillOfTheActiveInstanceDuringCaptureNeverCapturesTwice) {
    const int payments = env_int("OLMD_CRASH_PAYMENTS", 200);
    const int min_kills = env_int("OLMD_CRASH_KILLS", 6);
    StripeServerOptions o;
    o.autocreate = true;
    o.latency_ms = env_int("OLMD_CRASH_LATENCY_MS", 20);
    o.drop_rate = 0.05;
    o.failure_rate = 0.02;
    o.seed = static_cast<unsigned>(env_int("OLMD_CRASH_SEED", 7));
    StripeTestServer server(o);
    std::mt19937 rng(o.seed);
    const auto t0 = std::chrono::steady_clock::now();
    int kills = 0, takeovers = 0, rounds = 0;
    std::int64_t crashed = 0;
    while (kills < min_kills && rounds < 50) {
        Round round(server, payments, rounds);
        const RoundFigures f = round.run(rng, min_kills - kills, env_int("OLMD_CRASH_MAX_PAUSE_MS", 400));
        round.check();
        kills += f.kills;
        takeovers += f.takeovers;
        crashed += f.crashed_runs;
        ++rounds;
        if (HasFailure()) break;
    }
    EXPECT_GE(kills, min_kills);
    EXPECT_EQ(takeovers, kills) << "every kill was followed by a takeover";
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << "crashtest --postgres: " << rounds << " round(s) of " << payments << " payments, " << kills
              << " SIGKILLs of the active instance, " << takeovers << " takeovers by the standby, " << crashed
              << " runs marked crashed, " << seconds << " s; server: " << server.requests() << " requests, "
              << server.applied() << " applied; every round: each payment captured once, database = server, "
              << "slot completed once, audit clean: " << (HasFailure() ? "NO" : "yes") << "\n";
}

}  // namespace
}  // namespace olmd::test
