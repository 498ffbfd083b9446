// Sourcing's writes on the in-memory ports (unit/sourcing_memory_fixture.hpp):
// batches that see each other (SRC-10), shipments (SRC-11), partial shipping
// (SRC-13), backorders filled later (SRC-14), the run id on every row (SRC-15),
// and what the ports promise (a refused order leaves nothing, a dry run writes
// nothing). No SQLite: the job sees only RunServices.
#include "unit/sourcing_memory_fixture.hpp"

namespace olmd::test {
namespace {

// --- SRC-10, SRC-11, SRC-13 ----------------------------------------------------------------

TEST_F(SourcingOnMemory, SRC10_SmallBatchesSeeEachOthersAssignments) {
    cfg.daemon.batch_size = 1;
    const auto w = warehouse("East", 0);
    const auto p = sku("P");
    stock(w, p, 3);
    std::vector<RowId> ls;
    for (int i = 0; i < 4; ++i) ls.push_back(line(order("O" + std::to_string(i)), p, 1));
    const auto st = run();
    EXPECT_EQ(st.selected, 4);
    EXPECT_EQ(allocs(ls[2]), "assigned 1 @East");
    EXPECT_EQ(allocs(ls[3]), "backordered 1 @East");
    EXPECT_EQ(available(w, p), 0);
    EXPECT_GE(data.batches_committed, 4);
}

TEST_F(SourcingOnMemory, SRC11_OneNewShipmentPerWarehouseWithItsItems) {
    cfg.fulfillment.split = true;
    const auto a = warehouse("A", 0), b = warehouse("B", 1);
    const auto x = sku("X"), y = sku("Y");
    stock(a, x, 1);
    stock(b, x, 5);
    stock(a, y, 5);
    const auto o = order("O");
    const auto lx = line(o, x, 3);
    const auto ly = line(o, y, 2);
    run();
    ASSERT_EQ(data.shipments.size(), 2u);
    std::map<std::pair<RowId, RowId>, std::int64_t> items;  // (warehouse, line) -> units
    for (const auto& s : data.shipments) {
        EXPECT_EQ(s.status, "New");
        for (const auto& i : data.shipment_items)
            if (i.shipment == s.id) items[{s.warehouse, i.line}] += i.quantity;
    }
    const std::map<std::pair<RowId, RowId>, std::int64_t> want{{{a, lx}, 1}, {{a, ly}, 2}, {{b, lx}, 2}};
    EXPECT_EQ(items, want);
    for (const auto& al : data.allocations) {  // every assigned allocation points at its warehouse's shipment
        ASSERT_TRUE(al.row.shipment_id.has_value());
        for (const auto& s : data.shipments) {
            if (s.id == *al.row.shipment_id) {
                EXPECT_EQ(s.warehouse, *al.row.warehouse_id);
            }
        }
    }
}

TEST_F(SourcingOnMemory, SRC13_NoPartialShippingKeepsPartiallyShipped) {
    cfg.sourcing.partial_shipping = config::PartialShipping::none;
    cfg.sourcing.statuses = {"Ready to Source", "Partially Shipped"};
    const auto w = warehouse("East", 0);
    const auto in_stock = sku("STOCK"), gone = sku("GONE");
    stock(w, in_stock, 100);
    const auto all = order("ALL");
    line(all, in_stock, 1);
    const auto some = order("SOME");
    line(some, in_stock, 1);
    line(some, gone, 1);
    SrcOrder partly_spec;
    partly_spec.number = "PARTLY";
    partly_spec.status = "Partially Shipped";
    const auto partly = order(partly_spec);
    line(partly, in_stock, 1);
    line(partly, gone, 1);
    run();
    EXPECT_EQ(status(all), "In Shipping");
    EXPECT_EQ(status(some), "Awaiting Inventory");
    EXPECT_EQ(status(partly), "Partially Shipped");  // "the order is not partially shipped"
    EXPECT_EQ(reason(partly), "");                   // no history row
    EXPECT_EQ(allocations_of(partly), 2u);           // its units are sourced all the same
}

// --- SRC-14, SRC-15 --------------------------------------------------------------------------

TEST_F(SourcingOnMemory, SRC14_BackordersAreFilledAsStockArrivesInANewShipment) {
    cfg.sourcing.partial_shipping = config::PartialShipping::none;
    const auto w = warehouse("East", 0);
    const auto p = sku("P");
    stock(w, p, 1);
    const auto o = order("O");
    const auto l = line(o, p, 3);
    run();
    EXPECT_EQ(allocs(l), "assigned 1 @East, backordered 2 @East");
    EXPECT_EQ(status(o), "Awaiting Inventory");
    const RunId first_run = run_id;

    stock(w, p, 10, 1);
    run();
    EXPECT_EQ(allocs(l), "assigned 1 @East, assigned 2 @East");
    EXPECT_EQ(status(o), "In Shipping");
    ASSERT_EQ(data.shipments.size(), 2u) << "SRC-11: never added to the shipment staff may be picking";
    EXPECT_EQ(data.shipments[0].run, first_run);
    EXPECT_EQ(data.shipments[1].run, run_id);
    EXPECT_EQ(data.inventory.at({w, p}).allocated, 3);
}

TEST_F(SourcingOnMemory, SRC14_OldestOrderFirst) {
    const auto w = warehouse("East", 0);
    const auto p = sku("P");
    stock(w, p, 0);
    SrcOrder young;
    young.number = "YOUNG";
    young.created_at = "2026-11-21T10:00:00Z";
    const auto ly = line(order(young), p, 1);
    SrcOrder old;
    old.number = "OLD";
    old.created_at = "2026-11-01T10:00:00Z";
    const auto old_id = order(old);
    const auto lo = line(old_id, p, 1);
    run();
    stock(w, p, 1);
    const auto lf = line(order("FRESH"), p, 1);
    run();
    EXPECT_EQ(allocs(lo), "assigned 1 @East");  // older than YOUNG, and served before new orders
    EXPECT_EQ(allocs(ly), "backordered 1 @East");
    EXPECT_EQ(allocs(lf), "backordered 1 @East");
    EXPECT_EQ(status(old_id), "In Shipping");
}

TEST_F(SourcingOnMemory, SRC14_JitUnitsOnTheQueueAreAssignedWhenReceived) {
    const auto w = warehouse("East", 0);
    const auto v = vendor("V");
    const auto j = sku("J", "product", "jit", v);
    const auto o = order("O");
    const auto l = line(o, j, 2);
    run();
    EXPECT_EQ(allocs(l), "po_queue 2 @V");
    EXPECT_EQ(status(o), "Awaiting Inventory");
    stock(w, j, 1);  // one unit received
    run("2026-11-22T12:30:00Z");
    EXPECT_EQ(allocs(l), "assigned 1 @East, po_queue 1 @V");
    ASSERT_EQ(data.queue.size(), 1u);
    EXPECT_EQ(data.queue.front().quantity, 1) << "the queue line shrinks by the unit received";
    EXPECT_EQ(status(o), "In Shipping");
}

TEST_F(SourcingOnMemory, SRC15_EveryRowNamesTheRunThatMadeIt) {
    cfg.fulfillment.split = true;
    const auto a = warehouse("A", 0), b = warehouse("B", 1);
    const auto v = vendor("V");
    const auto p = sku("P"), j = sku("J", "product", "jit", v), d = sku("D", "product", "dropship", v);
    stock(a, p, 1);
    stock(b, p, 1);
    const auto o = order("O");
    line(o, p, 3);
    line(o, j, 1);
    line(o, d, 1);
    run();
    EXPECT_GT(data.allocations.size(), 3u);
    for (const auto& al : data.allocations) EXPECT_EQ(al.run, run_id);
    for (const auto& s : data.shipments) EXPECT_EQ(s.run, run_id);
    for (const auto& q : data.queue) EXPECT_EQ(q.run, run_id);
    for (const auto& h : data.history) EXPECT_EQ(h.run, run_id);
    EXPECT_EQ(data.queue.size(), 2u);
}

// --- what the ports promise --------------------------------------------------------------------

TEST_F(SourcingOnMemory, SRC7_RowTheStoreRefusesTakesBackOnlyThatOrder) {
    const auto w = warehouse("East", 0);
    const auto p = sku("P");
    stock(w, p, 10);
    const auto before = one_line("BEFORE", p);
    const auto bad = order("BAD");
    line(bad, p, 1);
    data.refuse_allocation_of_line = line(bad, p, 2);  // its shipment and inventory are written first
    const auto after = one_line("AFTER", p);
    const auto st = run();
    EXPECT_EQ(status(bad), "Inv. Automation Exceptions");
    EXPECT_EQ(reason(bad).rfind("write_failed:", 0), 0u) << reason(bad);
    EXPECT_EQ(allocations_of(bad), 0u);
    EXPECT_EQ(shipments_of(bad), 0u);
    EXPECT_EQ(status(before), "In Shipping");
    EXPECT_EQ(status(after), "In Shipping");
    EXPECT_EQ(available(w, p), 8);
    EXPECT_EQ(st.selected, 3);
    EXPECT_EQ(st.changed, 3);
    EXPECT_EQ(st.errors, 1);
}

TEST_F(SourcingOnMemory, SourcingDryRunWritesNothing) {
    const auto w = warehouse("East", 0);
    const auto p = sku("P");
    stock(w, p, 3);
    const auto o1 = one_line("O1", p, 2);
    one_line("O2", p, 2);
    const auto st = run("2026-11-22T12:00:00Z", true);
    EXPECT_EQ(st.selected, 2);
    EXPECT_EQ(st.changed, 2);
    EXPECT_TRUE(data.allocations.empty());
    EXPECT_TRUE(data.shipments.empty());
    EXPECT_TRUE(data.history.empty());
    EXPECT_EQ(available(w, p), 3);
    EXPECT_EQ(status(o1), "Ready to Source");
    const std::string out = dry_out.str();
    EXPECT_NE(out.find("would source order O1: 2 x P assigned at East"), std::string::npos) << out;
    // the dry run keeps track of what it would have taken: O2 gets the last unit only
    EXPECT_NE(out.find("would source order O2: 1 x P assigned at East; 1 x P backordered at East"),
              std::string::npos)
        << out;
}

}  // namespace
}  // namespace olmd::test
