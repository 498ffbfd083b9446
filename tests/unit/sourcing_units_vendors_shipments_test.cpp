// SRC-9..SRC-11 and SRC-13 on SQLite: the vendor chosen for queued units, batches that
// never give one unit twice, one new shipment per warehouse, and the status that results.
#include "unit/sourcing_fixture.hpp"

namespace olmd::test {
namespace {

// --- SRC-9 ------------------------------------------------------------------------------

TEST_F(SourcingUnits, SRC9_VendorChoice) {
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

TEST_F(SourcingUnits, SRC9_WithoutSourceDefaultVendorUnitsStayUnsourced) {
    cfg.sourcing.jit.source_default_vendor = false;
    warehouse("East", 0);
    const auto v = vendor("V");
    const auto j = sku("J", "product", "jit", v);
    vendor_stock(v, j, 1);
    const auto o = order("O");
    const auto l = line(o, j, 3);
    run();
    EXPECT_EQ(allocs(l), "");
    EXPECT_EQ(status(o), "Requires Manual Sourcing");
    EXPECT_EQ(count("purchase_order_queue"), 0);
}

TEST_F(SourcingUnits, SRC9_NoVendorAtAllLeavesTheUnitsUnsourced) {
    warehouse("East", 0);
    const auto d = sku("D", "product", "dropship");
    const auto o = order("O");
    const auto l = line(o, d, 1);
    auto st = run();
    EXPECT_EQ(status(o), "Requires Manual Sourcing");
    EXPECT_EQ(reason(o), "unsourced");
    EXPECT_EQ(allocs(l), "");
    EXPECT_EQ(st.errors, 0);
}

// --- SRC-10 -----------------------------------------------------------------------------

TEST_F(SourcingUnits, SRC10_TwoOrdersNeverGetTheSameUnit) {
    const auto w = warehouse("East", 0);
    const auto p = sku("P");
    stock(w, p, 5, 2);  // 3 available
    const auto l1 = line(order("O1"), p, 2);
    const auto l2 = line(order("O2"), p, 2);
    run();
    EXPECT_EQ(allocs(l1), "assigned 2 @East");
    EXPECT_EQ(allocs(l2), "assigned 1 @East, backordered 1 @East");
    EXPECT_EQ(db.scalar("SELECT allocated FROM inventory"), 5);
}

TEST_F(SourcingUnits, SRC10_SmallBatchesSeeEachOthersAssignments) {
    cfg.daemon.batch_size = 1;
    const auto w = warehouse("East", 0);
    const auto p = sku("P");
    stock(w, p, 3);
    std::vector<std::int64_t> ls;
    for (int i = 0; i < 4; ++i) ls.push_back(line(order("O" + std::to_string(i)), p, 1));
    auto st = run();
    EXPECT_EQ(st.selected, 4);
    EXPECT_EQ(allocs(ls[2]), "assigned 1 @East");
    EXPECT_EQ(allocs(ls[3]), "backordered 1 @East");
    EXPECT_EQ(available(w, p), 0);
}

// --- SRC-11 -----------------------------------------------------------------------------

TEST_F(SourcingUnits, SRC11_OneNewShipmentPerWarehouseWithItsItems) {
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
    EXPECT_EQ(count("shipments WHERE order_id = " + std::to_string(o) + " AND status = 'New'"), 2);
    EXPECT_EQ(
        db.text("SELECT group_concat(x, '; ') FROM (SELECT w.name || ':' || si.order_item_id || 'x' || "
                "si.quantity AS x FROM shipments s JOIN warehouses w ON w.id = s.warehouse_id JOIN "
                "shipment_items si ON si.shipment_id = s.id ORDER BY w.name, si.order_item_id)"),
        "A:" + std::to_string(lx) + "x1; A:" + std::to_string(ly) + "x2; B:" + std::to_string(lx) + "x2");
    // every assigned allocation points at the shipment of its warehouse
    EXPECT_EQ(count("allocations a JOIN shipments s ON s.id = a.shipment_id WHERE a.kind = 'assigned' AND "
                    "s.warehouse_id = a.warehouse_id"),
              3);
}

// --- SRC-13 -----------------------------------------------------------------------------

class SourcingStatus : public SourcingWorld {
protected:
    void SetUp() override {
        w = warehouse("East", 0);
        v = vendor("V");
        in_stock = sku("STOCK");
        out_of_stock = sku("GONE");
        drop = sku("DROP", "product", "dropship", v);
        jit = sku("JIT", "product", "jit", v);
        stock(w, in_stock, 100);
    }
    std::int64_t make(const std::string& number, std::vector<std::int64_t> skus,
                      const std::string& st = "Ready to Source") {
        SrcOrder o;
        o.number = number;
        o.status = st;
        const auto id = order(o);
        for (auto s : skus) line(id, s, 1);
        return id;
    }
    std::int64_t w = 0, v = 0, in_stock = 0, out_of_stock = 0, drop = 0, jit = 0;
};

TEST_F(SourcingStatus, SRC13_PartialShipping) {
    const auto some = make("SOME", {in_stock, out_of_stock, drop});
    const auto waiting = make("WAIT", {out_of_stock, jit, drop});
    const auto dropship = make("DROP", {drop});
    run();
    EXPECT_EQ(status(some), "In Shipping");
    EXPECT_EQ(status(waiting), "Awaiting Inventory");
    EXPECT_EQ(status(dropship), "Awaiting Drop-ship Confirmation");
}

TEST_F(SourcingStatus, SRC13_NoPartialShipping) {
    cfg.sourcing.partial_shipping = config::PartialShipping::none;
    cfg.sourcing.statuses = {"Ready to Source", "Partially Shipped"};
    const auto all = make("ALL", {in_stock, in_stock});
    const auto some = make("SOME", {in_stock, out_of_stock});
    const auto jitted = make("JIT", {in_stock, jit});
    const auto partly = make("PARTLY", {in_stock, out_of_stock}, "Partially Shipped");
    const auto with_drop = make("WITHDROP", {in_stock, drop});
    run();
    EXPECT_EQ(status(all), "In Shipping");
    EXPECT_EQ(status(some), "Awaiting Inventory");
    EXPECT_EQ(status(jitted), "Awaiting Inventory");
    EXPECT_EQ(status(partly), "Partially Shipped");  // "the order is not partially shipped"
    EXPECT_EQ(count("order_status_history WHERE order_id = " + std::to_string(partly)), 0);
    EXPECT_EQ(count("allocations a JOIN order_items i ON i.id = a.order_item_id WHERE i.order_id = " +
                    std::to_string(partly)),
              2);  // its units are sourced all the same
    EXPECT_EQ(status(with_drop), "Awaiting Drop-ship Confirmation");
}

TEST_F(SourcingStatus, SRC13_ExcludeDropShipLetsStockShip) {
    cfg.sourcing.partial_shipping = config::PartialShipping::none;
    cfg.sourcing.exclude_drop_ship = true;
    const auto with_drop = make("WITHDROP", {in_stock, drop});
    const auto only_drop = make("ONLYDROP", {drop});
    const auto with_jit = make("WITHJIT", {in_stock, drop, jit});
    run();
    EXPECT_EQ(status(with_drop), "In Shipping");
    EXPECT_EQ(status(only_drop), "Awaiting Drop-ship Confirmation");
    EXPECT_EQ(status(with_jit), "Awaiting Inventory");
}

TEST_F(SourcingStatus, SRC13_UnsourcedUnitsRequireManualSourcing) {
    cfg.sourcing.stock.auto_backorder = false;
    const auto id = make("O", {in_stock, out_of_stock});
    run();
    EXPECT_EQ(status(id), "Requires Manual Sourcing");
    EXPECT_EQ(reason(id), "unsourced");
    EXPECT_EQ(count("shipments"), 1);  // what could be assigned is kept
}

TEST_F(SourcingStatus, SRC13_TransitionToTheSameStatusWritesNoHistory) {
    cfg.sourcing.statuses = {"In Shipping"};
    const auto id = make("O", {in_stock}, "In Shipping");
    auto st = run();
    EXPECT_EQ(status(id), "In Shipping");
    EXPECT_EQ(st.changed, 0);
    EXPECT_EQ(count("order_status_history"), 0);
    EXPECT_EQ(count("allocations"), 1);
}

}  // namespace
}  // namespace olmd::test
