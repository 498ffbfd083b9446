// SRC-14 and SRC-15 on SQLite: backorders filled as stock arrives (oldest order first,
// kits complete or not at all), the run id on every row, the dry run and explain.
#include "unit/sourcing_fixture.hpp"

namespace olmd::test {
namespace {

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
