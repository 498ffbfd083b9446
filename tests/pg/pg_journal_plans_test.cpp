// The PostgreSQL payment store's statements on gateway_operations are planned on each call. A run
// fills the journal from empty (a new database, or one whose finished operations the retention purge
// removed), and a prepared statement's generic plan, cached after its fifth call, made while the
// table looked empty scans the whole journal on every later call, even `UPDATE ... WHERE id = $1`:
// capture of 10 000 payments on a new database took 36 s instead of 21 s (README, PostgreSQL).
#include <gtest/gtest.h>

#include <string>

#include "olmd/core/time.hpp"
#include "olmd/domain/payments.hpp"
#include "olmd/store/pg_database.hpp"
#include "olmd/store/pg_migrations.hpp"
#include "pg/pg_test_server.hpp"
#include "store/postgres/pg_ports.hpp"

namespace olmd::test {
namespace {

TEST(PgJournalPlans, OPS6_JournalStatementsArePlannedForTheJournalAsARunFillsIt) {
    TempDir dir;
    PgTestDatabase db;
    store::PgOpenOptions o;
    o.password_file = write_password_file(dir, "pw", pg_server().password);
    auto pg = store::PgDatabase::open(db.uri(), o);
    ASSERT_TRUE(pg.ok()) << pg.error().message;
    ASSERT_TRUE(store::migrate_pg(**pg).ok());
    db.exec("INSERT INTO automation_runs (id, fire_at, started_at, jobs, outcome, \"trigger\", host) VALUES "
            "(7, now(), now(), 'capture', 'running', 'manual', 'test')");
    db.exec("INSERT INTO orders (id, order_number, channel_id, status_id, created_at, grand_total_cents, updated_at) "
            "SELECT g, 'N' || g, (SELECT min(id) FROM channels), (SELECT id FROM order_statuses WHERE name = "
            "'Ready to Process'), now(), 100, now() FROM generate_series(1, 20) g");
    db.exec("INSERT INTO payments (id, order_id, method, status, amount_cents, card_token, gateway_ref, created_at) "
            "SELECT g, g, 'credit_card', 'authorized', 100, 'tok', 'pi_' || g, now() FROM generate_series(1, 20) g");
    db.exec("ANALYZE gateway_operations");  // the statistics say: empty
    auto repo = store::make_pg_payments(**pg);
    const Instant now = parse_utc("2026-11-22T12:00:00Z").value();
    // Past the five calls after which PostgreSQL may cache a generic plan, on an empty journal.
    for (RowId p = 1; p <= 8; ++p) {
        auto op = repo->journal(p, domain::Operation::capture, "capture", 100, "pi_" + std::to_string(p), 7, now);
        ASSERT_TRUE(op.ok()) << op.error().message;
        ASSERT_TRUE(repo->complete(op->id, domain::OpState::succeeded, "pi_" + std::to_string(p), "approved", now).ok());
        ASSERT_TRUE(repo->load_order(p).ok());
    }
    // The run fills the journal.
    db.exec("INSERT INTO gateway_operations (payment_id, operation, amount_cents, idempotency_key, state, run_id, "
            "created_at, attempt) SELECT 1 + g % 20, 'capture', 100, 'k' || g, 'succeeded', 7, now(), 1000 + g "
            "FROM generate_series(1, 100000) g");
    // No statement on the journal is kept with the plan of the empty table...
    auto kept = (*pg)->query_value(
        "SELECT count(*) FROM pg_prepared_statements WHERE statement ILIKE '%gateway_operations%'");
    ASSERT_TRUE(kept.ok()) << kept.error().message;
    EXPECT_EQ(*kept, "0") << "a statement on gateway_operations is prepared once and keeps its first plan";
    // ... and they still read and write it as before: a new open operation shows on its payment.
    auto open = repo->journal(9, domain::Operation::capture, "capture", 100, "pi_9", 7, now);
    ASSERT_TRUE(open.ok()) << open.error().message;
    auto order = repo->load_order(9);
    ASSERT_TRUE(order.ok() && order->has_value());
    ASSERT_EQ((*order)->payments.size(), 1u);
    EXPECT_TRUE((*order)->payments[0].unresolved_op);
    EXPECT_EQ((*order)->payments[0].unresolved_purpose, "capture");
    auto done = repo->load_order(1);
    ASSERT_TRUE(done.ok() && done->has_value());
    EXPECT_FALSE((*done)->payments[0].unresolved_op);
}

}  // namespace
}  // namespace olmd::test
