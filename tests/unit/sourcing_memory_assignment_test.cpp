// Sourcing's unit assignment (SRC-7 stock, reservations, backorders, jit, kits;
// SRC-8 warehouse ranking; SRC-9 vendor choice) on the in-memory ports
// (unit/sourcing_memory_fixture.hpp): no SQLite, the job sees only RunServices.
// Each test checks a rule that a SQLite test (sourcing_units_*_test.cpp,
// sourcing_kits_test.cpp, sourcing_vendor_queue_test.cpp) checks too, with the
// same expectations.
#include "unit/sourcing_memory_fixture.hpp"

namespace olmd::test {
namespace {

// --- SRC-7 -------------------------------------------------------------------------------

TEST_F(SourcingOnMemory, SRC7_StockUnitsAssignedAtTheFirstRankedWarehouse) {
    const auto w1 = warehouse("East", 0), w2 = warehouse("West", 1);
    const auto p = sku("P");
    stock(w1, p, 5);
    stock(w2, p, 5);
    const auto o = order("O");
    const auto l = line(o, p, 3);
    const auto st = run();
    EXPECT_EQ(allocs(l), "assigned 3 @East");
    EXPECT_EQ(available(w1, p), 2);
    EXPECT_EQ(available(w2, p), 5);
    EXPECT_EQ(status(o), "In Shipping");
    EXPECT_EQ(reason(o), "in_shipping");
    EXPECT_EQ(st.changed, 1);
}

TEST_F(SourcingOnMemory, SRC7_ReservedUnitsComeFromTheReservedWarehouseFirst) {
    const auto w1 = warehouse("East", 0), w2 = warehouse("West", 1);
    const auto p = sku("P");
    stock(w1, p, 10);
    stock(w2, p, 10);
    const auto o = order("O");
    const auto l = line(o, p, 3);
    reserve(l, w2, 2);
    cfg.fulfillment.split = true;
    run();
    EXPECT_EQ(allocs(l), "assigned 1 @East, assigned 2 @West");
    EXPECT_TRUE(data.reservations.empty());  // consumed
    EXPECT_EQ(available(w2, p), 8);           // reserved units were already allocated
    EXPECT_EQ(available(w1, p), 9);
}

TEST_F(SourcingOnMemory, SRC7_BackorderedAtTheFirstRankedWarehouseWithAutoBackorder) {
    const auto w1 = warehouse("East", 0), w2 = warehouse("West", 1);
    const auto p = sku("P");
    stock(w1, p, 0);
    stock(w2, p, 1);
    cfg.fulfillment.split = true;
    const auto o = order("O");
    const auto l = line(o, p, 3);
    run();
    EXPECT_EQ(allocs(l), "assigned 1 @West, backordered 2 @East");
    EXPECT_EQ(status(o), "In Shipping");  // partial shipping: a New shipment exists
}

TEST_F(SourcingOnMemory, SRC7_JitUnitsGoOnThePurchaseOrderQueue) {
    const auto w1 = warehouse("East", 0);
    const auto v = vendor("Acme", true, "edi", "edi_850");
    const auto j = sku("J", "product", "jit", v);
    vendor_stock(v, j, 50);
    stock(w1, j, 10);  // not used: stock_first is off
    const auto o = order("O");
    const auto l = line(o, j, 2);
    run();
    EXPECT_EQ(allocs(l), "po_queue 2 @Acme");
    ASSERT_EQ(data.queue.size(), 1u);
    const MemQueueLine& q = data.queue.front();
    EXPECT_EQ(q.method, src::Method::jit);
    EXPECT_EQ(q.quantity, 2);
    EXPECT_EQ(q.po_method, "edi");
    EXPECT_EQ(q.po_template, "edi_850");
    EXPECT_EQ(q.vendor, v);
    EXPECT_EQ(q.sku, j);
    EXPECT_EQ(status(o), "Awaiting Inventory");
    EXPECT_TRUE(data.shipments.empty());
    EXPECT_EQ(available(w1, j), 10);
}

TEST_F(SourcingOnMemory, SRC7_KitComponentsAreSourcedNeverTheKitLine) {
    const auto w1 = warehouse("East", 0);
    const auto kit = sku("KIT", "kit"), a = sku("A"), b = sku("B");
    stock(w1, a, 10);
    stock(w1, b, 10);
    stock(w1, kit, 10);
    const auto o = order("O");
    const auto k = line(o, kit, 2, 5000);
    const auto la = line(o, a, 2, 0, k);
    const auto lb = line(o, b, 4, 0, k);
    run();
    EXPECT_EQ(allocs(k), "");
    EXPECT_EQ(allocs(la), "assigned 2 @East");
    EXPECT_EQ(allocs(lb), "assigned 4 @East");
    EXPECT_EQ(available(w1, kit), 10);
    EXPECT_EQ(status(o), "In Shipping");
}

TEST_F(SourcingOnMemory, SRC7_KitWithoutComponentsIsBadDataAndTheRunGoesOn) {
    const auto w1 = warehouse("East", 0);
    const auto kit = sku("KIT", "kit"), p = sku("P");
    stock(w1, p, 10);
    const auto o = order("O");
    line(o, p, 1);
    const auto k = line(o, kit, 1);
    const auto ok = one_line("OK", p);
    const auto st = run();
    EXPECT_EQ(status(o), "Inv. Automation Exceptions");
    EXPECT_EQ(reason(o), "kit_without_components:order_items.id=" + std::to_string(k));
    EXPECT_EQ(st.errors, 1);
    EXPECT_EQ(status(ok), "In Shipping");
    EXPECT_EQ(available(w1, p), 9);
}

TEST_F(SourcingOnMemory, SRC7_ShipKitsCompleteAssignsAllComponentsOrNone) {
    cfg.fulfillment.ship_kits_complete = true;
    const auto w1 = warehouse("East", 0);
    const auto kit = sku("KIT", "kit"), a = sku("A"), b = sku("B"), c = sku("C");
    stock(w1, a, 5);
    stock(w1, b, 0);
    stock(w1, c, 5);
    const auto o = order("O");
    const auto k = line(o, kit, 1);
    const auto la = line(o, a, 1, 0, k);
    const auto lb = line(o, b, 1, 0, k);
    const auto lc = line(o, c, 1);  // not in the kit: assigned
    run();
    EXPECT_EQ(allocs(la), "backordered 1 @East");
    EXPECT_EQ(allocs(lb), "backordered 1 @East");
    EXPECT_EQ(allocs(lc), "assigned 1 @East");
    EXPECT_EQ(available(w1, a), 5);
}

// --- SRC-8, SRC-9 --------------------------------------------------------------------------

TEST_F(SourcingOnMemory, SRC8_ManualPriorityAscendingTiesById) {
    const auto a = warehouse("A", 2), b = warehouse("B", 1), c = warehouse("C", 1);
    const auto p = sku("P");
    for (auto w : {a, b, c}) stock(w, p, 10);
    const auto l = line(order("O"), p, 1);
    run();
    EXPECT_EQ(allocs(l), "assigned 1 @B");
}

TEST_F(SourcingOnMemory, SRC8_ClosestPicksNearestWarehouse) {
    cfg.fulfillment.rule = config::FulfillmentRule::closest;
    data.zips = {{"12866", {43.0798, -73.7846}}, {"90012", {34.0614, -118.2385}}};
    const auto slc = warehouse("Salt Lake City", 0, 40.7499, -111.926);
    const auto edison = warehouse("Edison", 3, 40.5325, -74.3375);
    const auto ontario = warehouse("Ontario", 2, 34.0316, -117.6187);
    const auto p = sku("P");
    for (auto w : {slc, edison, ontario}) stock(w, p, 10);
    const auto lny = line(order("NY"), p, 1);
    SrcOrder la;
    la.number = "LA";
    la.ship_zip = "90012-1234";
    la.ship_state = "CA";
    const auto lla = line(order(la), p, 1);
    run();
    EXPECT_EQ(allocs(lny), "assigned 1 @Edison");
    EXPECT_EQ(allocs(lla), "assigned 1 @Ontario");
}

TEST_F(SourcingOnMemory, SRC8_InactiveAndBlacklistedWarehousesAreNeverUsed) {
    const auto closed = warehouse("Closed", 0, std::nullopt, std::nullopt, false);
    const auto east = warehouse("East", 1), west = warehouse("West", 2);
    const auto p = sku("P");
    for (auto w : {closed, east, west}) stock(w, p, 10);
    cfg.fulfillment.channel["eBay"].blacklisted_warehouses = {"East"};
    const auto lw = line(order("WEB"), p, 1);
    SrcOrder e;
    e.number = "EBAY";
    e.channel = "eBay";
    const auto le = line(order(e), p, 1);
    run();
    EXPECT_EQ(allocs(lw), "assigned 1 @East");
    EXPECT_EQ(allocs(le), "assigned 1 @West");
    EXPECT_EQ(available(closed, p), 10);
}

TEST_F(SourcingOnMemory, SRC8_NoSplitUsesTheFirstRankedWarehouseThatCanAssignEverything) {
    const auto a = warehouse("A", 0), b = warehouse("B", 1);
    const auto x = sku("X"), y = sku("Y");
    stock(a, x, 5);
    stock(a, y, 0);
    stock(b, x, 5);
    stock(b, y, 5);
    const auto o = order("O");
    const auto lx = line(o, x, 2);
    const auto ly = line(o, y, 2);
    run();
    EXPECT_EQ(allocs(lx), "assigned 2 @B");
    EXPECT_EQ(allocs(ly), "assigned 2 @B");
    EXPECT_EQ(status(o), "In Shipping");
}

TEST_F(SourcingOnMemory, SRC9_VendorChoice) {
    warehouse("East", 0);
    const auto v1 = vendor("V1"), v2 = vendor("V2"), v3 = vendor("V3"), off = vendor("Off", false);
    const auto def_ok = sku("DEF-OK", "product", "jit", v3);
    vendor_stock(v3, def_ok, 5);
    vendor_stock(v1, def_ok, 5);
    const auto by_id = sku("BY-ID", "product", "jit", v3);
    vendor_stock(v3, by_id, 1);
    vendor_stock(off, by_id, 50);
    vendor_stock(v2, by_id, 5);
    vendor_stock(v1, by_id, 2);
    const auto fallback = sku("FALLBACK", "product", "dropship", v2);
    vendor_stock(v1, fallback, 1);
    const auto o = order("O");
    const auto l1 = line(o, def_ok, 3);    // the default vendor qualifies
    const auto l2 = line(o, by_id, 3);     // by vendor id: V1 has 2 (< 3), inactive skipped, V2
    const auto l3 = line(o, fallback, 3);  // nobody has 3: the default vendor
    run();
    EXPECT_EQ(allocs(l1), "po_queue 3 @V3");
    EXPECT_EQ(allocs(l2), "po_queue 3 @V2");
    EXPECT_EQ(allocs(l3), "dropship 3 @V2");
    EXPECT_EQ(status(o), "Awaiting Inventory");
}

TEST_F(SourcingOnMemory, SRC9_OneVendorUnitIsNeverPromisedTwice) {
    warehouse("East", 0);
    const auto v = vendor("Acme");
    const auto j = sku("J", "product", "jit");  // no default vendor
    vendor_stock(v, j, 1);
    const auto la = line(order("A"), j, 1);
    const auto lb = line(order("B"), j, 1);
    run();
    EXPECT_EQ(allocs(la), "po_queue 1 @Acme");
    EXPECT_EQ(allocs(lb), "") << "the one unit is already asked for";
    const auto lc = line(order("C"), j, 1);
    run("2026-11-22T12:30:00Z");
    EXPECT_EQ(allocs(lc), "") << "the queue line of an earlier run still counts against vendor_stock";
    ASSERT_EQ(data.queue.size(), 1u);
    EXPECT_EQ(data.queue.front().quantity, 1);
}

}  // namespace
}  // namespace olmd::test
