// SRC-8 on SQLite: the warehouse ranking (manual priority, closest by ZIP centroid,
// highest available), inactive and blacklisted warehouses, channel overrides, split.
#include "olmd/store/zip_codes.hpp"
#include "unit/sourcing_fixture.hpp"

namespace olmd::test {
namespace {

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

}  // namespace
}  // namespace olmd::test
