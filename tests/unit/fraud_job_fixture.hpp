#pragma once
// The fixture of the fraud job tests (fraud_job_test.cpp, fraud_job_lookup_test.cpp): a test
// database with two shipping methods and a manual run, a clean Seattle order builder, the job run
// through the production services (with a fake FR-7 locator when a test sets one) on SQLite, or
// for the pg: tests on the database's PostgreSQL twin (support/pg_mirror.hpp), and readers of the
// status and reason written.

#include <gtest/gtest.h>

#include <ostream>
#include <sstream>
#include <string>

#include "fraud_test_util.hpp"
#include "olmd/jobs/fraud/fraud_job.hpp"
#include "olmd/store/catalog.hpp"
#include "olmd/store/runs.hpp"
#include "support/pg_mirror.hpp"
#include "support/test_db.hpp"
#include "support/test_services.hpp"

namespace olmd::jobs::fraud {

inline const Instant kNow = *parse_utc("2026-11-22T12:00:00Z");

class FraudJobTest : public ::testing::Test {
protected:
    FraudJobTest() {
        cfg.fraud.enabled = true;
        cfg.daemon.batch_size = 2;
        t.exec("INSERT INTO shipping_methods (id, name) VALUES (1, 'Ground'), (2, 'Next Day Air')");
        auto id = store::RunRepository(t.db()).open(kNow, kNow, "fraud", store::Trigger::manual, "test");
        run = *id;
    }

    /// Adds a clean Seattle order (passes everything), then applies `set` (SQL assignments).
    OrderId order(const std::string& number, const std::string& set = "",
                  const std::string& status = "Ready to Process", const std::string& channel = "Website") {
        const OrderId id = t.add_order({.number = number, .status = status, .channel = channel});
        std::string sql =
            "UPDATE orders SET shipping_method_id = 1, ip_address = '216.160.83.56', bill_first_name = "
            "'Ann', "
            "bill_last_name = 'Lee', bill_address1 = '1 Pike St', bill_city = 'Seattle', bill_state = 'WA', "
            "bill_zip = '98101', bill_country = 'US', ship_first_name = 'Ann', ship_last_name = 'Lee', "
            "ship_address1 = '1 Pike St', ship_city = 'Seattle', ship_state = 'WA', ship_zip = '98101', "
            "ship_country = 'US'";
        if (!set.empty()) sql += ", " + set;
        t.exec(sql + " WHERE id = " + std::to_string(id));
        return id;
    }

    domain::GeoLocator* fake_locator = nullptr;  ///< the FR-7 locator the job gets; null: the configured one

    JobStats run_job(FraudJob& job, bool dry_run = false, std::ostream* out = nullptr) {
        auto catalog = store::load_catalog(t.db());
        EXPECT_TRUE(catalog);
        JobStats stats;
        ::olmd::test::with_job_services(pg_, t, cfg, dry_run, [&](::olmd::test::TestServices& services) {
            if (fake_locator) services.use_locator(*fake_locator);
            JobContext ctx{cfg, services.get(), *catalog, dry_run ? 0 : run, kNow, dry_run,
                           out, &progress,      nullptr};
            job.run(ctx, stats);
        });
        return stats;
    }

    /// What explain prints for ref, on the database run_job uses (a dry run: nothing is written).
    std::string explain(FraudJob& job, const OrderRef& ref) {
        auto catalog = store::load_catalog(t.db());
        EXPECT_TRUE(catalog);
        std::ostringstream out;
        ::olmd::test::with_job_services(pg_, t, cfg, true, [&](::olmd::test::TestServices& services) {
            if (fake_locator) services.use_locator(*fake_locator);
            JobContext ctx{cfg, services.get(), *catalog, 0, kNow, true, nullptr, nullptr, nullptr};
            job.explain(ctx, ref, out);
        });
        return out.str();
    }

    std::string status_of(const std::string& number) {
        return t.text(
            "SELECT s.name FROM orders o JOIN order_statuses s ON s.id = o.status_id WHERE o.order_number "
            "= " +
            ::olmd::test::sql_quote(number));
    }
    std::string reason_of(const std::string& number) {
        return t.text(
            "SELECT h.reason FROM order_status_history h JOIN orders o ON o.id = h.order_id WHERE "
            "o.order_number = " +
            ::olmd::test::sql_quote(number) + " ORDER BY h.id DESC LIMIT 1");
    }

    ::olmd::test::TestDb t;
    config::Config cfg;
    RunId run = 0;
    Progress progress;

private:
    std::unique_ptr<::olmd::test::PgMirror> pg_;  ///< the PostgreSQL twin of t (pg: tests)
};

}  // namespace olmd::jobs::fraud
