// [daemon] run_retention_days: after each run, finished gateway operations
// (and the sandbox ledger) older than N days go; pending/unknown ones, the
// run history and the status history stay. Through store::Backend, on both backends (pg: prefix,
// support/pg_mirror.hpp), but for the sandbox ledger, which lives in SQLite only.
#include <gtest/gtest.h>

#include "olmd/store/retention.hpp"
#include "olmd/store/runs.hpp"
#include "support/pg_mirror.hpp"
#include "support/test_db.hpp"

namespace olmd::test {
namespace {

const Instant kNow = *parse_utc("2026-11-22T12:00:00Z");

class DaemonRetention : public ::testing::Test {
protected:
    void SetUp() override {
        store::RunRepository runs(t.db());
        run_id = *runs.open(kNow, kNow, "capture", store::Trigger::schedule, "test");
        const auto order = t.add_order({});
        t.exec("INSERT INTO payments (order_id, method, status, amount_cents, created_at) VALUES (" +
               std::to_string(order) + ", 'credit_card', 'captured', 100, '2026-01-01T00:00:00Z')");
        payment_id = t.scalar("SELECT max(id) FROM payments");
    }
    void add_op(const std::string& key, const std::string& state, const std::string& completed_at) {
        t.exec("INSERT INTO gateway_operations (payment_id, operation, amount_cents, idempotency_key, state, run_id, "
               "created_at, completed_at) VALUES (" +
               std::to_string(payment_id) + ", 'capture', 100, " + sql_quote(key) + ", " + sql_quote(state) + ", " +
               std::to_string(run_id) + ", '2026-01-01T00:00:00Z', " +
               (completed_at.empty() ? std::string("NULL") : sql_quote(completed_at)) + ")");
    }
    bool has_ledger() { return t.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'sandbox_ledger'") > 0; }
    void add_ledger(const std::string& key, const std::string& created_at) {
        t.exec("INSERT INTO sandbox_ledger (idempotency_key, operation, amount_cents, outcome, response_code, "
               "created_at) VALUES (" +
               sql_quote(key) + ", 'capture', 100, 'succeeded', 'approved', " + sql_quote(created_at) + ")");
    }
    /// purge_finished_operations on t's backend (t itself, or in pg: tests its PostgreSQL twin).
    Result<store::PurgeCounts> purge(int days) {
        Result<store::PurgeCounts> out = Error{"not run"};
        with_backend(twin, t, [&](store::Backend& b) { out = b.purge_finished_operations(kNow, days); });
        return out;
    }
    TestDb t;
    std::unique_ptr<PgMirror> twin;
    RunId run_id = 0;
    std::int64_t payment_id = 0;
};

TEST_F(DaemonRetention, PurgesOnlyFinishedOperationsOlderThanTheRetention) {
    add_op("old-succeeded", "succeeded", "2026-08-01T00:00:00Z");   // 113 days old: purged
    add_op("old-declined", "declined", "2026-08-23T11:59:59Z");     // 91 days old: purged
    add_op("recent", "succeeded", "2026-08-24T12:00:01Z");          // within 90 days: kept
    add_op("old-unknown", "unknown", "2026-01-01T00:00:00Z");       // CAP-7 still open: kept
    add_op("old-pending", "pending", "");                            // kept
    auto purged = purge(90);
    ASSERT_TRUE(purged.ok()) << purged.error().message;
    EXPECT_EQ(purged->operations, 2);
    EXPECT_EQ(t.scalar("SELECT count(*) FROM gateway_operations"), 3);
    EXPECT_EQ(t.scalar("SELECT count(*) FROM gateway_operations WHERE idempotency_key LIKE 'old-%'"), 2);
    EXPECT_EQ(t.scalar("SELECT count(*) FROM automation_runs"), 1);
}

TEST_F(DaemonRetention, PurgesInChunksPastOneTransaction) {
    t.exec("BEGIN");
    for (int i = 0; i < 2500; ++i) add_op("k" + std::to_string(i), "succeeded", "2026-01-01T00:00:00Z");
    t.exec("COMMIT");
    auto purged = purge(30);
    ASSERT_TRUE(purged.ok());
    EXPECT_EQ(purged->operations, 2500);
    EXPECT_EQ(t.scalar("SELECT count(*) FROM gateway_operations"), 0);
}

TEST_F(DaemonRetention, SandboxLedgerKeepsRowsAnOpenOperationNeeds) {
    if (!has_ledger()) GTEST_SKIP() << "no sandbox_ledger table in this schema";
    add_op("open-key", "unknown", "");
    add_ledger("open-key", "2026-01-01T00:00:00Z");    // an unknown operation will resend it: kept
    add_ledger("old-key", "2026-01-01T00:00:00Z");     // purged
    add_ledger("new-key", "2026-11-20T00:00:00Z");     // recent: kept
    auto purged = store::purge_finished_operations(t.db(), kNow, 90);
    ASSERT_TRUE(purged.ok()) << purged.error().message;
    EXPECT_EQ(purged->ledger_rows, 1);
    EXPECT_EQ(t.scalar("SELECT count(*) FROM sandbox_ledger WHERE idempotency_key = 'old-key'"), 0);
    EXPECT_EQ(t.scalar("SELECT count(*) FROM sandbox_ledger"), 2);
}

TEST_F(DaemonRetention, CountsRunsThatSentAWarning) {
    with_backend(twin, t, [&](store::Backend& b) {
        EXPECT_EQ(*b.count_runs_with_warning(), 0);
        ASSERT_TRUE(b.runs().mark_warning_sent(run_id, kNow).ok());
        EXPECT_EQ(*b.count_runs_with_warning(), 1);
    });
    EXPECT_FALSE(t.text("SELECT warning_sent_at FROM automation_runs").empty());
}

}  // namespace
}  // namespace olmd::test
