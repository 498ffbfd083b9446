#pragma once
// Fixture for the capture and reauth rule tests: a database, a config, and the
// gateway behind the jobs, either the sandbox or the Stripe-subset test server
// (tests are parameterized over both). The jobs run on the test's SQLite database,
// or for the pg: tests on its PostgreSQL twin (support/pg_mirror.hpp).

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>

#include "olmd/jobs/capture/capture_job.hpp"
#include "olmd/jobs/reauth/reauth_job.hpp"
#include "olmd/store/catalog.hpp"
#include "olmd/store/runs.hpp"
#include "support/payment_spec.hpp"
#include "support/payment_sql.hpp"
#include "support/pg_mirror.hpp"
#include "support/stripe_test_server.hpp"
#include "support/temp_dir.hpp"
#include "support/test_db.hpp"
#include "support/test_services.hpp"

namespace olmd::test {

enum class Backend { sandbox, stripe };

inline std::string backend_name(const ::testing::TestParamInfo<Backend>& i) {
    return i.param == Backend::sandbox ? "Sandbox" : "Stripe";
}

class PaymentsFixture : public ::testing::TestWithParam<Backend> {
protected:
    PaymentsFixture() {
        cfg.daemon.batch_size = 3;
        if (GetParam() == Backend::stripe) {
            StripeServerOptions o;
            o.autocreate = true;
            server = std::make_unique<StripeTestServer>(o);
            key_file = t.dir().file("stripe.key");
            write_file(key_file, server->api_key() + "\n");
            cfg.gateway.kind = config::GatewayKind::stripe;
            cfg.gateway.url = server->url();
            cfg.gateway.api_key_file = key_file;
            cfg.gateway.max_retries = 0;  // one answer per run, as the sandbox gives
            cfg.gateway.timeout_ms = 5000;
        }
    }

    bool stripe() const { return GetParam() == Backend::stripe; }

    /// Adds an order; `set` holds extra SQL assignments (e.g. "is_club = 1").
    std::int64_t order(const std::string& number, std::int64_t total = 10000,
                       const std::string& status = "Ready to Process", const std::string& set = "") {
        const auto id = t.add_order({.number = number, .status = status, .grand_total_cents = total});
        if (!set.empty()) t.exec("UPDATE orders SET " + set + " WHERE id = " + std::to_string(id));
        return id;
    }

    /// Adds a payment to an order and returns its id.
    std::int64_t pay(std::int64_t order_id, const PaymentSpec& p) { return insert_payment(t, order_id, p); }

    /// Runs one job as of now (a manual run row is opened for it).
    jobs::JobStats run(JobKind kind, Instant now = kPayNow, bool dry = false, std::ostream* out = nullptr) {
        auto catalog = store::load_catalog(t.db());
        EXPECT_TRUE(catalog.ok());
        RunId id = 0;
        if (!dry)
            id = *store::RunRepository(t.db()).open(now, now, std::string(job_name(kind)),
                                                    store::Trigger::manual, "test");
        jobs::JobStats stats;
        with_job_services(twin_, t, cfg, dry, [&](TestServices& services) {
            if (fake_gateway) services.use_gateway(fake_gateway());
            jobs::JobContext ctx{cfg, services.get(), *catalog, id, now, dry, out, nullptr, nullptr};
            if (kind == JobKind::capture)
                jobs::capture::CaptureJob().run(ctx, stats);
            else
                jobs::reauth::ReauthJob().run(ctx, stats);
        });
        if (!dry) {
            EXPECT_TRUE(store::RunRepository(t.db()).close(id, store::Outcome::succeeded, now, "{}").ok());
        }
        return stats;
    }

    /// explain's text for an order.
    std::string explain(JobKind kind, const std::string& number, Instant now = kPayNow) {
        auto catalog = store::load_catalog(t.db());
        std::ostringstream out;
        const auto id = t.scalar("SELECT id FROM orders WHERE order_number = " + sql_quote(number));
        jobs::OrderRef ref{id, number,
                           t.scalar("SELECT status_id FROM orders WHERE id = " + std::to_string(id)), 0};
        with_job_services(twin_, t, cfg, true, [&](TestServices& services) {
            jobs::JobContext ctx{cfg, services.get(), *catalog, 0, now, true, nullptr, nullptr, nullptr};
            if (kind == JobKind::capture)
                jobs::capture::CaptureJob().explain(ctx, ref, out);
            else
                jobs::reauth::ReauthJob().explain(ctx, ref, out);
        });
        return out.str();
    }

    std::string pay_text(std::int64_t id, const std::string& col) {
        return t.text("SELECT " + col + " FROM payments WHERE id = " + std::to_string(id));
    }
    std::int64_t pay_int(std::int64_t id, const std::string& col) {
        return t.scalar("SELECT " + col + " FROM payments WHERE id = " + std::to_string(id));
    }
    std::string order_status(std::int64_t id) {
        return t.text(
            "SELECT s.name FROM orders o JOIN order_statuses s ON s.id = o.status_id WHERE o.id = " +
            std::to_string(id));
    }
    std::string last_reason(std::int64_t id) {
        return t.text("SELECT reason FROM order_status_history WHERE order_id = " + std::to_string(id) +
                      " ORDER BY id DESC LIMIT 1");
    }
    std::int64_t ops(const std::string& where = "1") {
        return t.scalar("SELECT count(*) FROM gateway_operations WHERE " + where);
    }
    /// How many times the gateway captured the authorization ref (its own ledger).
    int captures_at_gateway(const std::string& ref) {
        if (stripe()) return server->captures(ref);
        return static_cast<int>(
            t.scalar("SELECT count(*) FROM sandbox_ledger WHERE operation = 'capture' AND "
                     "outcome = 'succeeded' AND request_ref = " +
                     sql_quote(ref)));
    }

    TestDb t;
    config::Config cfg;
    std::unique_ptr<StripeTestServer> server;
    std::string key_file;
    /// Unset: the configured gateway (sandbox or the Stripe server); set: the gateway the jobs get.
    std::function<std::unique_ptr<domain::Gateway>()> fake_gateway;
    /// The PostgreSQL twin of t the jobs run on (pg: tests); null until the first run there.
    std::unique_ptr<PgMirror> twin_;
};

}  // namespace olmd::test
