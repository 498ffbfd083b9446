// Money under a concurrent back office (issue: payments, point 5). A back-office writer
// thread, on its own connection, raises and lowers grand totals, adds settled gift
// certificates and new authorizations, and moves orders in and out of hold while
// capture, reauth and SRC-12 run again and again against the sandbox and the Stripe
// test server (with latency). Afterwards, for every order: Σ captured <= grand total;
// the journal agrees with the payments (olmd audit's money invariants); no hold is left
// open at the gateway on a payment recorded as voided; no authorization captured twice.
// Seeded; OLMD_CONCURRENCY_SECONDS makes it longer (scripts/crashtest).
// On PostgreSQL (pg:, issue 14): the orders are copied once into the test's PostgreSQL twin, the
// jobs run on it while the back office writes to it on a connection of its own (the order row locked
// with FOR UPDATE, as a back office's form would), and the rows are copied back for the checks;
// the PostgreSQL audit must be clean too.

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>

#include "olmd/jobs/sourcing/sourcing_job.hpp"
#include "olmd/store/audit.hpp"
#include "olmd/store/catalog.hpp"
#include "support/test_services.hpp"
#include "unit/payments_test_util.hpp"

namespace olmd::test {
namespace {

double seconds_to_run() {
    if (const char* s = std::getenv("OLMD_CONCURRENCY_SECONDS")) return std::max(1.0, std::atof(s));
    return 4.0;
}

/// What order id has collected or is holding on cards: a back office never lowers a total below it.
std::string held_sql(const std::string& id) {
    return "SELECT coalesce(sum(CASE WHEN status = 'authorized' THEN amount_cents ELSE captured_cents END), "
           "0) "
           "FROM payments WHERE order_id = " +
           id + " AND method = 'credit_card'";
}

/// What order id has been paid: captured on cards plus settled other methods.
std::string paid_sql(const std::string& id) {
    return "SELECT coalesce(sum(CASE WHEN method = 'credit_card' THEN captured_cents WHEN status = 'settled' "
           "THEN amount_cents ELSE 0 END), 0) FROM payments WHERE order_id = " +
           id;
}

/// The back office's edit number what (0..5) of order id, as SQL both backends run ("" for none).
std::string edit_sql(int what, const std::string& id, std::int64_t total, std::int64_t held,
                     std::int64_t paid, std::int64_t hold, std::int64_t rtp, int serial) {
    switch (what) {
        case 0:  // the customer adds an item
            return "UPDATE orders SET grand_total_cents = grand_total_cents + 1500 WHERE id = " + id;
        case 1:  // an item is removed, never below what is collected or held
            return "UPDATE orders SET grand_total_cents = " + std::to_string(std::max(held, total - 2000)) +
                   " WHERE id = " + id;
        case 2:  // a gift certificate settles part of the balance (the measured case)
            if (total - paid <= 100) return "";
            return "INSERT INTO payments (order_id, method, status, amount_cents, created_at) VALUES (" + id +
                   ", 'gift_certificate', 'settled', " + std::to_string((total - paid) / 200 * 100) +
                   ", '2026-11-22T11:00:00Z')";
        case 3:  // a new authorization taken at the register
            return "INSERT INTO payments (order_id, method, status, amount_cents, card_token, customer_ref, "
                   "gateway_ref, created_at, authorized_at) VALUES (" +
                   id + ", 'credit_card', 'authorized', 700, 'tok_visa_bo', 'cus_olmd_test', 'sbx_auth_bo" +
                   id + "_" + std::to_string(serial) + "', '2026-11-22T11:00:00Z', '2026-11-22T11:00:00Z')";
        case 4:  // put on hold
            return "UPDATE orders SET status_id = " + std::to_string(hold) + " WHERE id = " + id +
                   " AND status_id = " + std::to_string(rtp);
        default:  // released from hold
            return "UPDATE orders SET status_id = " + std::to_string(rtp) + " WHERE id = " + id +
                   " AND status_id = " + std::to_string(hold);
    }
}

class PaymentsConcurrency : public PaymentsFixture {
protected:
    PaymentsConcurrency() {
        cfg.daemon.batch_size = 20;
        cfg.daemon.busy_timeout_ms = 10000;
        cfg.capture.enabled = true;
        cfg.capture.statuses = {"Ready to Process", "Ready to Source", "In Shipping"};
        cfg.capture.reauthorize_on_failure = true;
        cfg.reauth.enabled = true;
        cfg.reauth.statuses = {"Ready to Process"};
        cfg.sourcing.enabled = true;
        cfg.sourcing.statuses = {"Ready to Source"};
        cfg.sourcing.ready_to_ship_auth.enabled = true;
        if (stripe()) {
            server->set_latency_ms(3);
            cfg.gateway.concurrency = 8;
        }
    }

    /// A catalog for SRC-12 and orders of every kind the payment jobs pick.
    void populate(std::mt19937_64& rng, int orders) {
        t.exec("INSERT INTO shipping_methods (name, is_cod) VALUES ('Ground', 0)");
        t.exec("INSERT INTO warehouses (name, priority, active) VALUES ('East', 0, 1)");
        t.exec("INSERT INTO skus (code) VALUES ('P')");
        t.exec("INSERT INTO inventory (warehouse_id, sku_id, on_hand, allocated) VALUES (1, 1, 1000000, 0)");
        std::uniform_int_distribution<int> pick(0, 99);
        for (int i = 0; i < orders; ++i) {
            const int kind = pick(rng);
            const std::string number = "C-" + std::to_string(i);
            // Whole dollars: Stripe refuses authorizations under 50 cents, as the stand-in does.
            const std::int64_t total = 5000 + ((pick(rng) * 137) % 200) * 100;
            const std::string status = kind < 60 ? "Ready to Process" : "Ready to Source";
            const auto o = order(number, total, status,
                                 "shipping_method_id = 1, ship_country = 'US', ship_zip = '12866'" +
                                     std::string(kind % 7 == 0 ? ", is_club = 1" : ""));
            t.exec("INSERT INTO order_items (order_id, sku_id, quantity, unit_price_cents) VALUES (" +
                   std::to_string(o) + ", 1, 1, " + std::to_string(total) + ")");
            PaymentSpec p;
            p.amount = kind < 60
                           ? total
                           : total / 200 * 100;  // SRC-12 authorizes the rest of the Ready to Source ones
            p.ref = "sbx_auth_c" + std::to_string(i);
            if (kind % 11 == 0) p.ref = "fail_capture_c" + std::to_string(i);
            if (kind % 13 == 0) p.token = "decline_card_c" + std::to_string(i);
            if (kind % 5 == 0) p.authorized_at = "2026-11-10T09:00:00Z";  // aged: RA-3
            pay(o, p);
            if (stripe()) server->add_intent(p.ref, p.amount);
        }
    }

    /// The back office on the PostgreSQL twin: the same edits as back_office(), each in a transaction
    /// that first locks the order's row (FOR UPDATE), on its own connection until stop.
    void back_office_pg(std::atomic<bool>& stop, unsigned seed, std::atomic<int>& commits) {
        pqxx::connection c = twin_->connect();
        std::mt19937_64 rng(seed);
        auto one = [&](const std::string& sql) {
            pqxx::work w(c);
            const auto v = w.exec1(sql)[0].as<std::int64_t>();
            w.commit();
            return v;
        };
        const auto orders = one("SELECT count(*) FROM orders");
        std::uniform_int_distribution<std::int64_t> order_of(1, orders);
        std::uniform_int_distribution<int> what(0, 5);
        const auto hold = one("SELECT id FROM order_statuses WHERE name = 'On Hold'");
        const auto rtp = one("SELECT id FROM order_statuses WHERE name = 'Ready to Process'");
        while (!stop.load()) {
            const std::string id = std::to_string(order_of(rng));
            try {
                pqxx::work w(c);
                w.exec("SET LOCAL lock_timeout = '10s'");
                const auto total =
                    w.exec1("SELECT grand_total_cents FROM orders WHERE id = " + id + " FOR UPDATE")[0]
                        .as<std::int64_t>();
                const auto held = w.exec1(held_sql(id))[0].as<std::int64_t>();
                const auto paid = w.exec1(paid_sql(id))[0].as<std::int64_t>();
                if (const auto sql = edit_sql(what(rng), id, total, held, paid, hold, rtp, commits.load());
                    !sql.empty())
                    w.exec(sql);
                w.commit();
                ++commits;
            } catch (const pqxx::broken_connection&) {
                throw;
            } catch (const std::exception&) {
                // a lock wait past its timeout or a deadlock: the back office tries again
            }
            std::this_thread::sleep_for(std::chrono::microseconds(500));
        }
    }

    /// One run of capture, reauth or sourcing on live_ (the PostgreSQL twin) as of now.
    jobs::JobStats run_live(const std::string& job, Instant now) {
        auto catalog = live_->catalog();
        EXPECT_TRUE(catalog.ok());
        auto id = live_->runs().open(now, now, job, store::Trigger::manual, "test");
        EXPECT_TRUE(id.ok());
        jobs::JobStats stats;
        {
            ::olmd::test::TestServices services(*live_, cfg);
            jobs::JobContext ctx{cfg, services.get(), *catalog, *id, now, false, nullptr, nullptr, nullptr};
            if (job == "capture")
                jobs::capture::CaptureJob().run(ctx, stats);
            else if (job == "reauth")
                jobs::reauth::ReauthJob().run(ctx, stats);
            else
                jobs::sourcing::SourcingJob().run(ctx, stats);
        }
        auto closed = live_->runs().try_close(*id, store::Outcome::succeeded, now, "{}");
        EXPECT_TRUE(closed.ok() && *closed == store::CloseAttempt::closed);
        return stats;
    }

    /// One run of capture, reauth or sourcing on the test's backend.
    jobs::JobStats run_job(const std::string& job, Instant now) {
        if (live_) return run_live(job, now);
        if (job == "capture") return run(JobKind::capture, now);
        if (job == "reauth") return run(JobKind::reauth, now);
        return run_sourcing(now);
    }

    /// On PostgreSQL: the twin the jobs and the back office share for the whole test.
    store::Backend* live_ = nullptr;

    /// The back office: short transactions on its own connection until stop.
    void back_office(std::atomic<bool>& stop, unsigned seed, std::atomic<int>& commits) {
        SQLite::Database db(t.path(), SQLite::OPEN_READWRITE);
        db.exec("PRAGMA busy_timeout = 10000");
        db.exec("PRAGMA foreign_keys = ON");
        std::mt19937_64 rng(seed);
        // Read on this thread's own connection: t's belongs to the job thread (one thread per connection).
        const auto orders = db.execAndGet("SELECT count(*) FROM orders").getInt64();
        std::uniform_int_distribution<std::int64_t> order_of(1, orders);
        std::uniform_int_distribution<int> what(0, 5);
        const auto hold = db.execAndGet("SELECT id FROM order_statuses WHERE name = 'On Hold'").getInt64();
        const auto rtp =
            db.execAndGet("SELECT id FROM order_statuses WHERE name = 'Ready to Process'").getInt64();
        while (!stop.load()) {
            const std::int64_t o = order_of(rng);
            const std::string id = std::to_string(o);
            try {
                SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
                const std::int64_t held = db.execAndGet(held_sql(id)).getInt64();
                const std::int64_t total =
                    db.execAndGet("SELECT grand_total_cents FROM orders WHERE id = " + id).getInt64();
                const std::int64_t paid = db.execAndGet(paid_sql(id)).getInt64();
                if (const auto sql = edit_sql(what(rng), id, total, held, paid, hold, rtp, commits.load());
                    !sql.empty())
                    db.exec(sql);
                tx.commit();
                ++commits;
            } catch (const std::exception&) {
                // busy past the timeout: the back office tries again
            }
            std::this_thread::sleep_for(std::chrono::microseconds(500));
        }
    }

    jobs::JobStats run_sourcing(Instant now) {
        auto catalog = store::load_catalog(t.db());
        const RunId id =
            *store::RunRepository(t.db()).open(now, now, "sourcing", store::Trigger::manual, "test");
        ::olmd::test::TestServices services(t.db(), cfg);
        jobs::JobContext ctx{cfg, services.get(), *catalog, id, now, false, nullptr, nullptr, nullptr};
        jobs::JobStats stats;
        jobs::sourcing::SourcingJob().run(ctx, stats);
        EXPECT_TRUE(store::RunRepository(t.db()).close(id, store::Outcome::succeeded, now, "{}").ok());
        return stats;
    }

    /// Payments recorded voided whose hold is still open at the gateway.
    std::vector<std::string> open_holds_on_voided() {
        std::vector<std::string> bad;
        SQLite::Statement q(
            t.db().raw(),
            "SELECT id, gateway_ref FROM payments WHERE method = 'credit_card' AND status = 'voided' "
            "AND gateway_ref IS NOT NULL");
        while (q.executeStep()) {
            const std::string ref = q.getColumn(1).getString();
            if (ref.rfind("expired", 0) == 0) continue;  // nothing to release
            bool open = false;
            if (stripe()) {
                auto it = server->intent(ref);
                open = it && it->status == "requires_capture";
            } else {
                open = t.scalar("SELECT count(*) FROM sandbox_ledger WHERE request_ref = " + sql_quote(ref) +
                                " AND operation = 'void' AND outcome = 'succeeded'") == 0;
            }
            if (open) bad.push_back("payments.id=" + q.getColumn(0).getString() + " " + ref);
        }
        return bad;
    }
};

TEST_P(PaymentsConcurrency, CAP4_BackOfficeWriterNeverMakesOlmdCollectMoreThanTheTotal) {
    std::mt19937_64 rng(20261201);
    populate(rng, 120);
    if (test_backend_is_postgres()) {
        ASSERT_TRUE(stripe()) << "the sandbox gateway keeps its ledger in SQLite: Stripe only on PostgreSQL";
        twin_ = std::make_unique<PgMirror>(t.dir());
        live_ = &twin_->push(t.path());
    }
    std::atomic<bool> stop{false};
    std::atomic<int> commits{0};
    std::thread writer([&] {
        if (live_)
            back_office_pg(stop, 7, commits);
        else
            back_office(stop, 7, commits);
    });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds_to_run());
    Instant now = kPayNow;
    int runs = 0;
    while (std::chrono::steady_clock::now() < deadline || runs < 3) {
        auto c = run_job("capture", now);
        auto r = run_job("reauth", now);
        auto s = run_job("sourcing", now);
        EXPECT_TRUE(c.failure.empty()) << c.failure;
        EXPECT_TRUE(r.failure.empty()) << r.failure;
        EXPECT_TRUE(s.failure.empty()) << s.failure;
        now += std::chrono::minutes(30);
        ++runs;
    }
    stop = true;
    writer.join();
    // One more quiet round so that everything in flight is resolved.
    run_job("capture", now);
    run_job("reauth", now);
    if (live_) {
        store::AuditOptions o;
        o.now = now;
        auto found = live_->audit(o);
        ASSERT_TRUE(found.ok()) << found.error().message;
        std::string lines;
        for (const auto& v : *found)
            if (v.invariant.rfind("captured", 0) == 0 || v.invariant.rfind("journal", 0) == 0)
                lines += store::to_line(v) + "\n";
        EXPECT_TRUE(lines.empty()) << "PostgreSQL audit:\n" << lines;
        live_ = nullptr;
        twin_->pull(t.db());  // the checks below read the rows PostgreSQL holds
    }
    EXPECT_GT(commits.load(), 0) << "the back office wrote while olmd ran";
    EXPECT_GT(t.scalar("SELECT count(*) FROM payments WHERE status = 'captured'"), 0);

    store::AuditOptions o;
    o.now = now;
    auto found = store::audit(t.db(), o);
    ASSERT_TRUE(found.ok()) << found.error().message;
    std::string lines;
    for (const auto& v : *found)
        if (v.invariant.rfind("captured", 0) == 0 || v.invariant.rfind("journal", 0) == 0)
            lines += store::to_line(v) + "\n";
    EXPECT_TRUE(lines.empty()) << lines;
    EXPECT_EQ(
        t.scalar(
            "SELECT count(*) FROM (SELECT o.id FROM orders o JOIN payments p ON p.order_id = o.id "
            "AND p.method = 'credit_card' GROUP BY o.id HAVING sum(p.captured_cents) > o.grand_total_cents)"),
        0);
    const auto open = open_holds_on_voided();
    EXPECT_TRUE(open.empty()) << open.size() << " voided payments still hold, e.g. "
                              << (open.empty() ? "" : open[0]);
    if (stripe()) {
        for (const auto& i : server->intents()) EXPECT_LE(i.captures, 1) << i.id << " captured twice";
    } else {
        EXPECT_EQ(
            t.scalar(
                "SELECT count(*) FROM (SELECT request_ref FROM sandbox_ledger WHERE operation = 'capture' "
                "AND outcome = 'succeeded' GROUP BY request_ref, amount_cents HAVING count(*) > 1)"),
            0);
    }
}

INSTANTIATE_TEST_SUITE_P(Gateways, PaymentsConcurrency, ::testing::Values(Backend::sandbox, Backend::stripe),
                         backend_name);

}  // namespace
}  // namespace olmd::test
