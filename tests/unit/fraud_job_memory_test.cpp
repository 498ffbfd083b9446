// The fraud job's rules on in-memory ports (tests/support/memory_store.hpp): no SQLite,
// the job sees only RunServices. FR-1 selection, FR-11 results with reasons, the
// optimistic transition and dry runs.
#include <gtest/gtest.h>

#include "fraud_test_util.hpp"
#include "olmd/jobs/fraud/fraud_job.hpp"
#include "support/memory_store.hpp"

namespace olmd::test {
namespace {

constexpr StatusId kReady = 1, kSource = 2, kNonCompliant = 3, kHold = 4, kShipped = 5;
const Instant kNow = *parse_utc("2026-11-22T12:00:00Z");

class FraudOnMemory : public ::testing::Test {
protected:
    FraudOnMemory() {
        catalog.statuses.add(kReady, "Ready to Process");
        catalog.statuses.add(kSource, "Ready to Source");
        catalog.statuses.add(kNonCompliant, "Non Compliant");
        catalog.statuses.add(kHold, "On Hold");
        catalog.statuses.add(kShipped, "Shipped");
        catalog.channels.add(3, "Website");
        cfg.fraud.enabled = true;
        cfg.fraud.grand_total = {true, 50000};
        cfg.daemon.batch_size = 2;
    }
    /// A clean order (passes every test) with id and status.
    domain::FraudOrder order(OrderId id, StatusId status, Cents total = 10000) {
        domain::FraudOrder o = jobs::fraud::testing::clean_order();
        o.id = id;
        o.number = "M-" + std::to_string(id);
        o.status_id = status;
        o.grand_total_cents = total;
        return o;
    }
    jobs::JobStats run(bool dry_run = false) {
        MemoryRunStore store(data);
        jobs::RunServices services{store, [] { return Result<domain::Gateway*>(Error{"no gateway"}); },
                                   [] { return Result<domain::GeoLocator*>(Error{"no locator"}); }};
        jobs::JobContext ctx{cfg, services, catalog, 7, kNow, dry_run, nullptr, nullptr, nullptr};
        jobs::JobStats stats;
        jobs::fraud::FraudJob().run(ctx, stats);
        return stats;
    }
    config::Config cfg;
    domain::Catalog catalog;
    MemoryData data;
};

TEST_F(FraudOnMemory, FR1_OnlyListedStatusesAreSelectedNeverHold) {
    data.fraud_orders = {order(1, kReady), order(2, kShipped), order(3, kHold)};
    cfg.fraud.statuses = {"Ready to Process", "On Hold"};  // the hold status is never selected
    const auto s = run();
    EXPECT_EQ(s.selected, 1);
    EXPECT_EQ(data.status_of(1), kSource);
    EXPECT_EQ(data.status_of(2), kShipped);
    EXPECT_EQ(data.status_of(3), kHold);
}

TEST_F(FraudOnMemory, FR11_FailedTestIsWrittenWithItsReasonAndRun) {
    data.fraud_orders = {order(1, kReady, 70000), order(2, kReady)};
    const auto s = run();
    EXPECT_EQ(s.changed, 2);
    ASSERT_EQ(data.history.size(), 2u);
    EXPECT_EQ(data.history[0].to, kNonCompliant);
    EXPECT_EQ(data.history[0].reason, "fraud_failed:grand_total");
    EXPECT_EQ(data.history[0].run, 7);
    EXPECT_EQ(data.history[0].job, JobKind::fraud);
    EXPECT_EQ(data.history[1].to, kSource);
}

TEST_F(FraudOnMemory, FR1_BatchesOfBatchSizeCoverEveryOrder) {
    for (OrderId id = 1; id <= 5; ++id) data.fraud_orders.push_back(order(id, kReady));
    const auto s = run();
    EXPECT_EQ(s.selected, 5);
    EXPECT_EQ(data.batches_committed, 3);  // [daemon] batch_size = 2
}

TEST_F(FraudOnMemory, FR1_DryRunChangesNothing) {
    data.fraud_orders = {order(1, kReady, 70000)};
    const auto s = run(true);
    EXPECT_EQ(s.changed, 1);
    EXPECT_TRUE(data.history.empty());
    EXPECT_EQ(data.status_of(1), kReady);
}

TEST_F(FraudOnMemory, FR7_LocatorThatCannotBeBuiltIsAJobFailureNotACrash) {
    cfg.fraud.ip_address.enabled = true;  // RunServices says there is no locator
    data.fraud_orders = {order(1, kReady)};
    const auto s = run();
    EXPECT_FALSE(s.failure.empty());
}

}  // namespace
}  // namespace olmd::test
