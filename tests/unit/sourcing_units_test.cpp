// SRC-7..SRC-11 and SRC-13..SRC-15: where every unit comes from, the rows
// written for it, and the status that results.
#include "olmd/store/zip_codes.hpp"
#include "unit/sourcing_fixture.hpp"

namespace olmd::test {
namespace {

class SourcingUnits : public SourcingWorld {};

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

// --- SRC-8 ------------------------------------------------------------------------------

TEST_F(SourcingUnits, SRC8_ManualPriorityAscendingTiesById) {
    const auto a = warehouse("A", 2), b = warehouse("B", 1), c = warehouse("C", 1);
    const auto p = sku("P");
    for (auto w : {a, b, c}) stock(w, p, 10);
    const auto l = line(order("O"), p, 1);
    run();
    EXPECT_EQ(allocs(l), "assigned 1 @B");
}

TEST_F(SourcingUnits, SRC8_ClosestPicksNearestWarehouse) {
    cfg.fulfillment.rule = config::FulfillmentRule::closest;
    db.exec(
        "INSERT INTO zip_codes VALUES ('12866', 'NY', 43.0798, -73.7846), ('90012', 'CA', 34.0614, "
        "-118.2385)");
    const auto slc = warehouse("Salt Lake City", 0, 40.7499, -111.926);
    const auto edison = warehouse("Edison", 3, 40.5325, -74.3375);
    const auto ontario = warehouse("Ontario", 2, 34.0316, -117.6187);
    const auto p = sku("P");
    for (auto w : {slc, edison, ontario}) stock(w, p, 10);
    SrcOrder ny;
    ny.number = "NY";
    const auto lny = line(order(ny), p, 1);
    SrcOrder la;
    la.number = "LA";
    la.ship_zip = "90012-1234";
    la.ship_state = "CA";
    const auto lla = line(order(la), p, 1);
    run();
    EXPECT_EQ(allocs(lny), "assigned 1 @Edison");
    EXPECT_EQ(allocs(lla), "assigned 1 @Ontario");
}

TEST_F(SourcingUnits, SRC8_ClosestWithTheShippedZipCentroids) {
    auto n = store::import_zip_csv(db.db(), std::string(OLMD_SOURCE_DIR) + "/sql/us-zip-centroids.csv");
    ASSERT_TRUE(n.ok()) << n.error().message;
    ASSERT_GT(*n, 30000);
    cfg.fulfillment.rule = config::FulfillmentRule::closest;
    const auto edison = warehouse("Edison NJ", 0, 40.5325, -74.3375);
    const auto indy = warehouse("Indianapolis IN", 1, 39.7096, -86.2614);
    const auto dallas = warehouse("Dallas TX", 2, 32.7673, -96.7776);
    const auto slc = warehouse("Salt Lake City UT", 3, 40.7499, -111.926);
    const auto ontario = warehouse("Ontario CA", 1, 34.0316, -117.6187);
    const auto p = sku("P");
    for (auto w : {edison, indy, dallas, slc, ontario}) stock(w, p, 10);
    const std::pair<const char*, const char*> cases[] = {
        {"10001", "Edison NJ"},         {"60601", "Indianapolis IN"},   {"77002", "Dallas TX"},
        {"80202", "Salt Lake City UT"}, {"98101", "Salt Lake City UT"}, {"92101", "Ontario CA"},
        {"02108", "Edison NJ"},         {"43215", "Indianapolis IN"}};
    std::vector<std::int64_t> lines;
    int i = 0;
    for (const auto& [zip, _] : cases) {
        SrcOrder o;
        o.number = "Z" + std::to_string(++i);
        o.ship_zip = zip;
        lines.push_back(line(order(o), p, 1));
    }
    run();
    for (std::size_t k = 0; k < lines.size(); ++k)
        EXPECT_EQ(allocs(lines[k]), std::string("assigned 1 @") + cases[k].second) << cases[k].first;
}

TEST_F(SourcingUnits, SRC8_ClosestWithUnknownZipFallsBackToManualPriority) {
    cfg.fulfillment.rule = config::FulfillmentRule::closest;
    db.exec("INSERT INTO zip_codes VALUES ('12866', 'NY', 43.0798, -73.7846)");
    const auto far = warehouse("Far", 0, 34.0, -118.0);
    const auto near = warehouse("Near", 1, 43.0, -73.8);
    const auto p = sku("P");
    stock(far, p, 10);
    stock(near, p, 10);
    SrcOrder o;
    o.ship_zip = "99999";
    const auto l = line(order(o), p, 1);
    SrcOrder f;
    f.number = "FOREIGN";
    f.ship_country = "DE";
    f.ship_zip = "12866";  // a foreign postal code is never looked up as a US ZIP
    const auto lf = line(order(f), p, 1);
    run();
    EXPECT_EQ(allocs(l), "assigned 1 @Far");
    EXPECT_EQ(allocs(lf), "assigned 1 @Far");
}

TEST_F(SourcingUnits, SRC8_ClosestRanksAWarehouseWithoutLocationLastNeverAnException) {
    cfg.fulfillment.rule = config::FulfillmentRule::closest;
    db.exec("INSERT INTO zip_codes VALUES ('12866', 'NY', 43.0798, -73.7846)");
    const auto near = warehouse("Near", 1, 43.0, -73.8);
    const auto nowhere = warehouse("Nowhere", 0);
    const auto p = sku("P");
    stock(nowhere, p, 10);
    stock(near, p, 1);
    const auto o = order("O");
    const auto l = line(o, p, 1);
    const auto o2 = order("O2");
    const auto l2 = line(o2, p, 1);
    auto st = run();
    EXPECT_EQ(status(o), "In Shipping") << "one unlocated warehouse never sends orders to exceptions";
    EXPECT_EQ(allocs(l), "assigned 1 @Near") << "the located warehouse ranks first";
    EXPECT_EQ(allocs(l2), "assigned 1 @Nowhere") << "then the unlocated one";
    EXPECT_EQ(st.errors, 0);
}

TEST_F(SourcingUnits, SRC8_ClosestLocatesAWarehouseByItsPostalCode) {
    cfg.fulfillment.rule = config::FulfillmentRule::closest;
    db.exec("INSERT INTO zip_codes VALUES ('12866', 'NY', 43.0798, -73.7846), ('90001', 'CA', 33.97, -118.25)");
    const auto west = warehouse("West", 0, 34.0, -118.2);
    const auto east = warehouse("East", 1);
    db.exec("UPDATE warehouses SET postal_code = '12866-0001' WHERE id = " + std::to_string(east));
    const auto p = sku("P");
    stock(west, p, 10);
    stock(east, p, 10);
    const auto o = order("O");  // ships to 12866
    const auto l = line(o, p, 1);
    run();
    EXPECT_EQ(allocs(l), "assigned 1 @East") << "the centroid of its postal_code is its location";
}

TEST_F(SourcingUnits, SRC8_HighestAvailableFirst) {
    cfg.fulfillment.rule = config::FulfillmentRule::highest_available;
    const auto a = warehouse("A", 0), b = warehouse("B", 1), c = warehouse("C", 2);
    const auto p = sku("P");
    stock(a, p, 3);
    stock(b, p, 9);
    stock(c, p, 5, 1);
    const auto l1 = line(order("O1"), p, 2);
    run();
    EXPECT_EQ(allocs(l1), "assigned 2 @B");
    stock(b, p, 9, 7);  // B now has 2 available, C 4
    const auto l2 = line(order("O2"), p, 1);
    run();
    EXPECT_EQ(allocs(l2), "assigned 1 @C");
}

TEST_F(SourcingUnits, SRC8_InactiveAndBlacklistedWarehousesAreNeverUsed) {
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

TEST_F(SourcingUnits, SRC8_NoUsableWarehouseLeavesStockUnitsUnsourced) {
    warehouse("Closed", 0, std::nullopt, std::nullopt, false);
    const auto p = sku("P");
    const auto o = order("O");
    line(o, p, 1);
    run();
    EXPECT_EQ(status(o), "Requires Manual Sourcing");
    EXPECT_EQ(reason(o), "unsourced");
}

TEST_F(SourcingUnits, SRC8_ChannelOverridesRuleAndSplit) {
    const auto a = warehouse("A", 0), b = warehouse("B", 1);
    const auto p = sku("P");
    stock(a, p, 1);
    stock(b, p, 5);
    cfg.fulfillment.channel["eBay"].rule = config::FulfillmentRule::highest_available;
    cfg.fulfillment.channel["POS"].split = true;
    SrcOrder e;
    e.number = "EBAY";
    e.channel = "eBay";
    const auto le = line(order(e), p, 1);
    SrcOrder pos;
    pos.number = "POS";
    pos.channel = "POS";
    const auto lp = line(order(pos), p, 2);
    run();
    EXPECT_EQ(allocs(le), "assigned 1 @B");
    EXPECT_EQ(allocs(lp), "assigned 1 @A, assigned 1 @B");
}

TEST_F(SourcingUnits, SRC8_NoSplitUsesTheFirstRankedWarehouseThatCanAssignEverything) {
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

TEST_F(SourcingUnits, SRC8_NoSplitAndNoWarehouseCanAssignEverythingUsesTheFirstRanked) {
    const auto a = warehouse("A", 0), b = warehouse("B", 1);
    const auto x = sku("X"), y = sku("Y");
    stock(a, x, 5);
    stock(b, y, 5);
    const auto o = order("O");
    const auto lx = line(o, x, 2);
    const auto ly = line(o, y, 2);
    run();
    EXPECT_EQ(allocs(lx), "assigned 2 @A");
    EXPECT_EQ(allocs(ly), "backordered 2 @A");
    EXPECT_EQ(available(b, y), 5);
}

TEST_F(SourcingUnits, SRC8_SplitDrawsFromWarehousesInRankOrder) {
    cfg.fulfillment.split = true;
    db.exec("INSERT INTO order_statuses (name) VALUES ('In Shipping (split)')");
    cfg.sourcing.result.in_shipping_split = "In Shipping (split)";
    const auto a = warehouse("A", 0), b = warehouse("B", 1), c = warehouse("C", 2);
    const auto p = sku("P");
    stock(a, p, 2);
    stock(b, p, 0);
    stock(c, p, 2);
    const auto o = order("O");
    const auto l = line(o, p, 3);
    run();
    EXPECT_EQ(allocs(l), "assigned 1 @C, assigned 2 @A");
    EXPECT_EQ(status(o), "In Shipping (split)");
    EXPECT_EQ(reason(o), "in_shipping_split");
}

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

// --- SRC-14 -----------------------------------------------------------------------------

TEST_F(SourcingUnits, SRC14_BackordersAreFilledAsStockArrives) {
    const auto w = warehouse("East", 0);
    const auto p = sku("P");
    stock(w, p, 1);
    const auto o = order("O");
    const auto l = line(o, p, 3, 1000);
    cfg.sourcing.partial_shipping = config::PartialShipping::none;
    run();
    EXPECT_EQ(allocs(l), "assigned 1 @East, backordered 2 @East");
    EXPECT_EQ(status(o), "Awaiting Inventory");
    const auto first_run = run_id;

    stock(w, p, 2, 1);  // one more unit arrives
    auto st = run();
    EXPECT_EQ(st.selected, 1);
    // One assigned row per shipment: the new unit is in a new shipment (SRC-11).
    EXPECT_EQ(allocs(l), "assigned 1 @East, assigned 1 @East, backordered 1 @East");
    EXPECT_EQ(status(o), "Awaiting Inventory");
    EXPECT_EQ(count("shipments"), 2) << "SRC-11: never added to the shipment staff may be picking";
    EXPECT_EQ(db.text("SELECT group_concat(quantity) FROM (SELECT quantity FROM shipment_items ORDER BY shipment_id)"),
              "1,1");

    stock(w, p, 10, 2);
    run();
    EXPECT_EQ(allocs(l), "assigned 1 @East, assigned 1 @East, assigned 1 @East");
    EXPECT_EQ(status(o), "In Shipping");
    EXPECT_EQ(reason(o), "in_shipping");
    EXPECT_EQ(db.scalar("SELECT allocated FROM inventory"), 3);
    EXPECT_EQ(db.scalar("SELECT run_id FROM shipments ORDER BY id LIMIT 1"), first_run);
    EXPECT_EQ(count("shipments"), 3);
}

TEST_F(SourcingUnits, SRC14_OldestOrderFirst) {
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
    EXPECT_EQ(allocs(ly), "backordered 1 @East");
    EXPECT_EQ(status(old_id), "Awaiting Inventory");

    stock(w, p, 1);
    SrcOrder fresh;
    fresh.number = "FRESH";
    const auto lf = line(order(fresh), p, 1);
    run();
    EXPECT_EQ(allocs(lo), "assigned 1 @East");  // older than YOUNG, and served before new orders
    EXPECT_EQ(allocs(ly), "backordered 1 @East");
    EXPECT_EQ(allocs(lf), "backordered 1 @East");
    EXPECT_EQ(status(old_id), "In Shipping");
}

TEST_F(SourcingUnits, SRC14_NothingHappensWithoutAutoFulfill) {
    cfg.sourcing.stock.auto_fulfill_backorders = false;
    const auto w = warehouse("East", 0);
    const auto p = sku("P");
    const auto o = order("O");
    const auto l = line(o, p, 1);
    run();
    stock(w, p, 5);
    auto st = run();
    EXPECT_EQ(st.selected, 0);
    EXPECT_EQ(allocs(l), "backordered 1 @East");
    EXPECT_EQ(status(o), "Awaiting Inventory");
}

TEST_F(SourcingUnits, SRC14_KitBackordersAreFilledCompleteOrNotAtAll) {
    cfg.fulfillment.ship_kits_complete = true;
    const auto w = warehouse("East", 0);
    const auto kit = sku("KIT", "kit");
    const auto a = sku("A"), b = sku("B");
    stock(w, a, 0);
    stock(w, b, 0);
    const auto o = order("O");
    const auto k = line(o, kit, 1);
    const auto la = line(o, a, 1, 0, k);
    const auto lb = line(o, b, 1, 0, k);
    run();
    stock(w, a, 1);
    run();
    EXPECT_EQ(allocs(la), "backordered 1 @East");
    EXPECT_EQ(available(w, a), 1);
    stock(w, b, 1);
    run();
    EXPECT_EQ(allocs(la), "assigned 1 @East");
    EXPECT_EQ(allocs(lb), "assigned 1 @East");
    EXPECT_EQ(status(o), "In Shipping");
}

// --- SRC-15 and dry run -------------------------------------------------------------------

TEST_F(SourcingUnits, SRC15_EveryRowNamesTheRunThatMadeIt) {
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
    EXPECT_GT(count("allocations"), 3);
    EXPECT_EQ(count("allocations WHERE run_id IS NOT " + std::to_string(run_id)), 0);
    EXPECT_EQ(count("shipments WHERE run_id IS NOT " + std::to_string(run_id)), 0);
    EXPECT_EQ(count("purchase_order_queue WHERE run_id IS NOT " + std::to_string(run_id)), 0);
    EXPECT_EQ(count("order_status_history WHERE run_id IS NOT " + std::to_string(run_id)), 0);
    EXPECT_EQ(count("purchase_order_queue"), 2);
}

TEST_F(SourcingUnits, SourcingDryRunWritesNothing) {
    const auto w = warehouse("East", 0);
    const auto p = sku("P");
    stock(w, p, 3);
    const auto o1 = order("O1");
    line(o1, p, 2);
    const auto o2 = order("O2");
    line(o2, p, 2);
    auto st = run("2026-11-22T12:00:00Z", true);
    EXPECT_EQ(st.selected, 2);
    EXPECT_EQ(st.changed, 2);
    EXPECT_EQ(count("allocations"), 0);
    EXPECT_EQ(count("shipments"), 0);
    EXPECT_EQ(count("order_status_history"), 0);
    EXPECT_EQ(available(w, p), 3);
    EXPECT_EQ(status(o1), "Ready to Source");
    const std::string out = dry_out.str();
    EXPECT_NE(out.find("would source order O1: 2 x P assigned at East"), std::string::npos) << out;
    // the dry run keeps track of what it would have taken: O2 gets the last unit only
    EXPECT_NE(out.find("would source order O2: 1 x P assigned at East; 1 x P backordered at East"),
              std::string::npos)
        << out;
}

TEST_F(SourcingUnits, SourcingExplainShowsRankingAndDistances) {
    cfg.fulfillment.rule = config::FulfillmentRule::closest;
    db.exec("INSERT INTO zip_codes VALUES ('12866', 'NY', 43.0798, -73.7846)");
    const auto far = warehouse("Far", 0, 34.0316, -117.6187);
    const auto near = warehouse("Near", 1, 40.5325, -74.3375);
    const auto p = sku("P-9");
    stock(far, p, 10);
    stock(near, p, 10);
    cfg.fulfillment.split = true;
    const auto o = order("EXP");
    line(o, p, 2);
    const std::string out = explain("EXP");
    EXPECT_NE(out.find("SRC-1: selected"), std::string::npos) << out;
    EXPECT_NE(out.find("closest to ZIP 12866"), std::string::npos) << out;
    EXPECT_NE(out.find("1. Near (priority 1, 28"), std::string::npos) << out;  // ~283 km
    EXPECT_NE(out.find("2. Far (priority 0, 3"), std::string::npos) << out;
    EXPECT_NE(out.find("2 assigned at Near"), std::string::npos) << out;
    EXPECT_NE(out.find("\"Ready to Source\" -> \"In Shipping\""), std::string::npos) << out;
    EXPECT_EQ(count("allocations"), 0);

    SrcOrder bad;
    bad.number = "BADZIP";
    bad.ship_zip = "123";
    line(order(bad), p, 1);
    const std::string out2 = explain("BADZIP");
    EXPECT_NE(out2.find("SRC-3 applies"), std::string::npos) << out2;
    EXPECT_NE(out2.find("invalid_us_zip"), std::string::npos) << out2;
}

}  // namespace
}  // namespace olmd::test
