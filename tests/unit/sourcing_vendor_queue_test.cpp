// SRC-9 vendor units committed by the purchase-order queue, the inactive default
// vendor, and SRC-11's new shipment per run (issue: sourcing that never mis-ships).
#include "olmd/store/audit.hpp"
#include "unit/sourcing_fixture.hpp"

namespace olmd::test {
namespace {

class SourcingVendors : public SourcingWorld {};

TEST_F(SourcingVendors, SRC9_OneVendorUnitIsNeverPromisedTwice) {
    warehouse("East", 0);
    const auto v = vendor("Acme");
    const auto j = sku("J", "product", "jit");  // no default vendor
    vendor_stock(v, j, 1);
    const auto a = order("A");
    const auto la = line(a, j, 1);
    const auto b = order("B");
    const auto lb = line(b, j, 1);
    run();
    EXPECT_EQ(allocs(la), "po_queue 1 @Acme");
    EXPECT_EQ(allocs(lb), "") << "the one unit is already asked for";
    const auto c = order("C");
    const auto lc = line(c, j, 1);
    run("2026-11-22T12:30:00Z");
    EXPECT_EQ(allocs(lc), "") << "the queue line of an earlier run still counts against vendor_stock";
    EXPECT_EQ(db.scalar("SELECT sum(quantity) FROM purchase_order_queue"), 1);
    store::AuditOptions o;
    o.now = *parse_utc("2026-11-22T13:00:00Z");
    auto found = store::audit(db.db(), o);
    ASSERT_TRUE(found.ok());
    for (const auto& x : *found) EXPECT_NE(x.invariant, "queue_over_vendor_stock") << store::to_line(x);
}

TEST_F(SourcingVendors, SRC9_InactiveDefaultVendorIsNeverQueued) {
    warehouse("East", 0);
    const auto v = vendor("Gone", false);
    const auto j = sku("J", "product", "jit", v);
    const auto o = order("O");
    const auto l = line(o, j, 2);
    auto st = run();
    EXPECT_EQ(allocs(l), "");
    EXPECT_EQ(count("purchase_order_queue"), 0);
    EXPECT_EQ(status(o), "Requires Manual Sourcing");
    EXPECT_EQ(st.errors, 0);
}

TEST_F(SourcingVendors, SRC9_DefaultVendorMayBeAskedForMoreThanItHas) {
    warehouse("East", 0);
    const auto v = vendor("Maker");
    const auto j = sku("J", "product", "jit", v);
    vendor_stock(v, j, 1);
    const auto o = order("O");
    const auto l = line(o, j, 3);
    run();
    EXPECT_EQ(allocs(l), "po_queue 3 @Maker") << "source_default_vendor = true";
}

}  // namespace
}  // namespace olmd::test
