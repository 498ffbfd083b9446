// SRC-7 on SQLite: where every unit comes from (stock, reservations, backorders, the
// purchase-order queue, drop-ship, kits), and what a line that cannot be sourced does.
#include "unit/sourcing_fixture.hpp"

namespace olmd::test {
namespace {

// --- SRC-7 ------------------------------------------------------------------------------

TEST_F(SourcingUnits, SRC7_StockUnitsAssignedAtTheFirstRankedWarehouse) {
    const auto w1 = warehouse("East", 0), w2 = warehouse("West", 1);
    const auto p = sku("P");
    stock(w1, p, 5);
    stock(w2, p, 5);
    const auto o = order("O");
    const auto l = line(o, p, 3);
    auto st = run();
    EXPECT_EQ(allocs(l), "assigned 3 @East");
    EXPECT_EQ(available(w1, p), 2);
    EXPECT_EQ(available(w2, p), 5);
    EXPECT_EQ(status(o), "In Shipping");
    EXPECT_EQ(reason(o), "in_shipping");
    EXPECT_EQ(st.changed, 1);
}

TEST_F(SourcingUnits, SRC7_ReservedUnitsComeFromTheReservedWarehouseFirst) {
    const auto w1 = warehouse("East", 0), w2 = warehouse("West", 1);
    const auto p = sku("P");
    const auto j = sku("J", "product", "jit", vendor("V"));
    stock(w1, p, 10);
    stock(w2, p, 10);
    stock(w2, j, 4);
    const auto o = order("O");
    const auto l = line(o, p, 3);
    const auto lj = line(o, j, 1);
    reserve(l, w2, 2);
    reserve(lj, w2, 1);  // whatever the SKU's fulfillment method
    cfg.fulfillment.split = true;
    run();
    EXPECT_EQ(allocs(l), "assigned 1 @East, assigned 2 @West");
    EXPECT_EQ(allocs(lj), "assigned 1 @West");
    EXPECT_EQ(count("reservations"), 0);  // consumed
    EXPECT_EQ(available(w2, p), 8);       // reserved units were already allocated
    EXPECT_EQ(available(w1, p), 9);
    EXPECT_EQ(count("purchase_order_queue"), 0);
}

TEST_F(SourcingUnits, SRC7_BackorderedAtTheFirstRankedWarehouseWithAutoBackorder) {
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

    cfg.sourcing.partial_shipping = config::PartialShipping::none;
    const auto o2 = order("O2");
    const auto l2 = line(o2, p, 2);
    run();
    EXPECT_EQ(allocs(l2), "backordered 2 @East");
    EXPECT_EQ(status(o2), "Awaiting Inventory");
}

TEST_F(SourcingUnits, SRC7_WithoutAutoBackorderUnitsStayUnsourced) {
    cfg.sourcing.stock.auto_backorder = false;
    const auto w1 = warehouse("East", 0);
    const auto p = sku("P");
    stock(w1, p, 1);
    const auto o = order("O");
    const auto l = line(o, p, 3);
    run();
    EXPECT_EQ(allocs(l), "assigned 1 @East");
    EXPECT_EQ(status(o), "Requires Manual Sourcing");
    EXPECT_EQ(reason(o), "unsourced");
}

TEST_F(SourcingUnits, SRC7_JitUnitsGoOnThePurchaseOrderQueue) {
    const auto w1 = warehouse("East", 0);
    const auto v = vendor("Acme", true, "edi", "edi_850");
    const auto j = sku("J", "product", "jit", v);
    vendor_stock(v, j, 50);
    stock(w1, j, 10);  // not used: stock_first is off
    const auto o = order("O");
    const auto l = line(o, j, 2);
    run();
    EXPECT_EQ(allocs(l), "po_queue 2 @Acme");
    EXPECT_EQ(db.text("SELECT fulfillment_method || ' ' || quantity || ' ' || po_method || ' ' || "
                      "po_template || ' ' || "
                      "vendor_id || ' ' || sku_id FROM purchase_order_queue WHERE order_item_id = " +
                      std::to_string(l)),
              "jit 2 edi edi_850 " + std::to_string(v) + " " + std::to_string(j));
    EXPECT_EQ(status(o), "Awaiting Inventory");
    EXPECT_EQ(count("shipments"), 0);
    EXPECT_EQ(available(w1, j), 10);
}

TEST_F(SourcingUnits, SRC7_StockFirstTakesStockBeforeTheQueue) {
    cfg.sourcing.jit.stock_first = true;
    cfg.sourcing.dropship.stock_first = true;
    const auto w1 = warehouse("East", 0);
    const auto v = vendor("Acme");
    const auto j = sku("J", "product", "jit", v);
    const auto d = sku("D", "product", "dropship", v);
    stock(w1, j, 1);
    stock(w1, d, 5);
    const auto o = order("O");
    const auto lj = line(o, j, 3);
    const auto ld = line(o, d, 2);
    run();
    EXPECT_EQ(allocs(lj), "assigned 1 @East, po_queue 2 @Acme");
    EXPECT_EQ(allocs(ld), "assigned 2 @East");
    EXPECT_EQ(status(o), "In Shipping");
}

TEST_F(SourcingUnits, SRC7_DropshipUnitsGoOnTheQueueAsDropship) {
    warehouse("East", 0);
    const auto v = vendor("Acme");
    const auto d = sku("D", "product", "dropship", v);
    const auto o = order("O");
    const auto l = line(o, d, 2);
    run();
    EXPECT_EQ(allocs(l), "dropship 2 @Acme");
    EXPECT_EQ(db.text("SELECT fulfillment_method FROM purchase_order_queue"), "dropship");
    EXPECT_EQ(status(o), "Awaiting Drop-ship Confirmation");
    EXPECT_EQ(reason(o), "awaiting_dropship");
}

TEST_F(SourcingUnits, SRC7_KitComponentsAreSourcedNeverTheKitLine) {
    const auto w1 = warehouse("East", 0);
    const auto kit = sku("KIT", "kit");
    const auto a = sku("A"), b = sku("B");
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

TEST_F(SourcingUnits, SRC7_KitWithoutComponentsIsBadData) {
    const auto w1 = warehouse("East", 0);
    const auto kit = sku("KIT", "kit");
    const auto p = sku("P");
    stock(w1, p, 10);
    const auto o = order("O");
    line(o, p, 1);
    const auto k = line(o, kit, 1);
    const auto ok = order("OK");
    line(ok, p, 1);
    auto st = run();
    EXPECT_EQ(status(o), "Inv. Automation Exceptions");
    EXPECT_EQ(reason(o), "kit_without_components:order_items.id=" + std::to_string(k));
    EXPECT_EQ(st.errors, 1);
    EXPECT_EQ(status(ok), "In Shipping");  // the run goes on
    EXPECT_EQ(available(w1, p), 9);
}

TEST_F(SourcingUnits, SRC7_KitsSingleWarehouseTakesEveryComponentFromOne) {
    cfg.fulfillment.split = true;
    const auto w1 = warehouse("East", 0), w2 = warehouse("West", 1);
    const auto kit = sku("KIT", "kit");
    const auto a = sku("A"), b = sku("B");
    stock(w1, a, 1);
    stock(w2, a, 1);
    stock(w2, b, 1);
    const auto o = order("O");
    const auto k = line(o, kit, 1);
    const auto la = line(o, a, 1, 0, k);
    const auto lb = line(o, b, 1, 0, k);
    run();
    EXPECT_EQ(allocs(la), "assigned 1 @East");  // without kits_single_warehouse: split
    EXPECT_EQ(allocs(lb), "assigned 1 @West");

    cfg.fulfillment.kits_single_warehouse = true;
    stock(w1, a, 1);
    stock(w2, a, 1);
    stock(w2, b, 1);
    const auto o2 = order("O2");
    const auto k2 = line(o2, kit, 1);
    const auto la2 = line(o2, a, 1, 0, k2);
    const auto lb2 = line(o2, b, 1, 0, k2);
    run();
    EXPECT_EQ(allocs(la2), "assigned 1 @West");
    EXPECT_EQ(allocs(lb2), "assigned 1 @West");
}

TEST_F(SourcingUnits, SRC7_ShipKitsCompleteAssignsAllComponentsOrNone) {
    cfg.fulfillment.ship_kits_complete = true;
    const auto w1 = warehouse("East", 0);
    const auto kit = sku("KIT", "kit");
    const auto a = sku("A"), b = sku("B"), c = sku("C");
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

    cfg.sourcing.stock.auto_backorder = false;
    const auto o2 = order("O2");
    const auto k2 = line(o2, kit, 1);
    const auto la2 = line(o2, a, 1, 0, k2);
    line(o2, b, 1, 0, k2);
    run();
    EXPECT_EQ(allocs(la2), "");
    EXPECT_EQ(status(o2), "Requires Manual Sourcing");
}

TEST_F(SourcingUnits, SRC7_LineThatCannotBeInterpretedIsBadDataAndRolledBack) {
    const auto w1 = warehouse("East", 0);
    const auto p = sku("P");
    stock(w1, p, 10);
    const auto o = order("MISSING");
    line(o, p, 1);
    db.exec("PRAGMA foreign_keys = OFF");
    db.exec("INSERT INTO order_items (order_id, sku_id, quantity, unit_price_cents) VALUES (" +
            std::to_string(o) + ", 9999, 1, 100)");
    const auto missing = db.db().raw().getLastInsertRowid();
    db.exec("PRAGMA ignore_check_constraints = ON");
    const auto z = order("ZERO");
    const auto lz = line(z, p, 0);
    db.exec("PRAGMA ignore_check_constraints = OFF");
    db.exec("PRAGMA foreign_keys = ON");
    auto st = run();
    EXPECT_EQ(status(o), "Inv. Automation Exceptions");
    EXPECT_EQ(reason(o), "bad_data:order_items.sku_id:order_items.id=" + std::to_string(missing));
    EXPECT_EQ(status(z), "Inv. Automation Exceptions");
    EXPECT_EQ(reason(z), "bad_data:order_items.quantity:order_items.id=" + std::to_string(lz));
    EXPECT_EQ(st.errors, 2);
    EXPECT_EQ(count("allocations"), 0);
    EXPECT_EQ(available(w1, p), 10);
}

TEST_F(SourcingUnits, SRC9_JitSkuWithNoVendorIsUnsourcedNotBadData) {
    const auto w1 = warehouse("East", 0);
    const auto p = sku("P");
    const auto j = sku("J", "product", "jit");  // no default vendor, no vendor_stock
    stock(w1, p, 10);
    const auto o = order("O");
    line(o, p, 2);
    const auto lj = line(o, j, 1);
    auto st = run();
    EXPECT_EQ(status(o), "Requires Manual Sourcing");
    EXPECT_EQ(reason(o), "unsourced");
    EXPECT_EQ(allocs(lj), "");
    EXPECT_EQ(count("purchase_order_queue"), 0);
    EXPECT_EQ(st.errors, 0) << "no vendor at all is not bad data (SRC-9)";
}

TEST_F(SourcingUnits, SRC7_RowTheDatabaseRefusesTakesBackOnlyThatOrder) {
    const auto w1 = warehouse("East", 0);
    const auto p = sku("P");
    stock(w1, p, 10);
    const auto before = order("BEFORE");
    const auto lb = line(before, p, 1);
    const auto bad = order("BAD");
    line(bad, p, 1);
    const auto lbad = line(bad, p, 2);
    // The database refuses the order's allocation rows (a back-office trigger).
    db.exec("CREATE TRIGGER refuse BEFORE INSERT ON allocations WHEN NEW.order_item_id = " + std::to_string(lbad) +
            " BEGIN SELECT RAISE(ABORT, 'refused by the back office'); END");
    const auto after = order("AFTER");
    const auto la = line(after, p, 1);
    auto st = run();
    EXPECT_EQ(status(bad), "Inv. Automation Exceptions");
    EXPECT_EQ(reason(bad).rfind("write_failed:", 0), 0u) << reason(bad);
    EXPECT_EQ(count("allocations a JOIN order_items i ON i.id = a.order_item_id WHERE i.order_id = " +
                    std::to_string(bad)),
              0);
    EXPECT_EQ(count("shipments WHERE order_id = " + std::to_string(bad)), 0);
    EXPECT_EQ(allocs(lb), "assigned 1 @East");
    EXPECT_EQ(allocs(la), "assigned 1 @East");
    EXPECT_EQ(available(w1, p), 8);
    EXPECT_EQ(st.selected, 3);
    EXPECT_EQ(st.changed, 3);
    EXPECT_EQ(st.errors, 1);
}

}  // namespace
}  // namespace olmd::test
