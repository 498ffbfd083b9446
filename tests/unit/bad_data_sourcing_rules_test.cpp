// rules.md "bad data" in the sourcing job, case by case where one table row cannot show
// it: fractional and huge quantities, a text quantity, a SKU kind outside the list, a bad
// inventory row met while filling backorders, a queue sum that would overflow, a bad row of
// an inactive warehouse (no order affected), NULL text fields (not bad data). The
// column-by-column table is bad_data_sourcing_test.cpp.

#include "sourcing_fixture.hpp"

namespace olmd::test {
namespace {

class SourcingBadRules : public SourcingWorld {
protected:
    SourcingBadRules() {
        db.allow_bad_rows();
        east = warehouse("East", 0);
        p = sku("P");
        stock(east, p, 10);
        earlier = std::to_string(earlier_run(db));
    }
    std::int64_t east = 0, p = 0;
    std::string earlier;  ///< the id of an earlier run
};

TEST_F(SourcingBadRules, BadData_SourcingQuantityFractionIsException) {
    const auto o = order("O");
    const auto l = line(o, p, 1);
    db.exec("UPDATE order_items SET quantity = 1.5 WHERE id = " +
            std::to_string(l));  // 1.5 units is not 1 unit
    run();
    EXPECT_EQ(status(o), "Inv. Automation Exceptions");
    EXPECT_EQ(reason(o), "bad_data:order_items.quantity:order_items.id=" + std::to_string(l));
    EXPECT_EQ(allocs(l), "");
    EXPECT_EQ(available(east, p), 10);
}

TEST_F(SourcingBadRules, BadData_QuantityTwoToThe62IsException) {
    const auto o = order("O");
    const auto l = line(o, p, 4611686018427387904);  // 2^62: past 10^9 units
    const auto st = run();
    EXPECT_EQ(st.errors, 1);
    EXPECT_EQ(reason(o), "bad_data:order_items.quantity:order_items.id=" + std::to_string(l));
    EXPECT_EQ(count("allocations"), 0);
    EXPECT_EQ(count("purchase_order_queue"), 0);
}

TEST_F(SourcingBadRules, BadData_TextQuantityReasonNamesColumn) {
    const auto o = order("O");
    const auto l = line(o, p, 1);
    db.exec("UPDATE order_items SET quantity = 'abc' WHERE id = " + std::to_string(l));
    run();
    EXPECT_EQ(reason(o), "bad_data:order_items.quantity:order_items.id=" + std::to_string(l));
    const std::string text = explain("O");
    EXPECT_NE(text.find("order_items.quantity:order_items.id=" + std::to_string(l) + " is 'abc'"),
              std::string::npos)
        << "the value as stored, never read as quantity 0: " << text;
}

TEST_F(SourcingBadRules, BadData_SkuKindOutsideListIsException) {
    const auto ship = sku("SHIP", "product");
    stock(east, ship, 10);
    db.exec("UPDATE skus SET kind = 'spaceship' WHERE id = " + std::to_string(ship));
    const auto o = order("O");
    line(o, ship, 1);
    const auto good = order("G");
    line(good, p, 1);
    run();
    EXPECT_EQ(reason(o), "bad_data:skus.kind:skus.id=" + std::to_string(ship));
    EXPECT_EQ(available(east, ship), 10) << "never sourced as a product";
    EXPECT_EQ(status(good), "In Shipping");
}

TEST_F(SourcingBadRules, BadData_BackorderFillOnABadInventoryRowIsExceptionNotAJobFailure) {
    // SRC-14: the order waits on a backorder at East; East's row of its SKU cannot be interpreted.
    const auto o = order("O");
    const auto l = line(o, p, 1);
    db.exec("UPDATE orders SET status_id = " + std::to_string(db.status_id("Awaiting Inventory")) +
            " WHERE id = " + std::to_string(o));
    db.exec(
        "INSERT INTO allocations (order_item_id, kind, quantity, warehouse_id, run_id, created_at) VALUES (" +
        std::to_string(l) + ", 'backordered', 1, " + std::to_string(east) + ", " + earlier +
        ", '2026-11-20T10:00:00Z')");
    db.exec("UPDATE inventory SET allocated = 2.5 WHERE sku_id = " + std::to_string(p));
    const auto st = run();
    EXPECT_EQ(st.errors, 1);
    EXPECT_EQ(status(o), "Inv. Automation Exceptions");
    EXPECT_EQ(reason(o), "bad_data:inventory.allocated:inventory.warehouse_id=" + std::to_string(east) +
                             ",sku_id=" + std::to_string(p));
    EXPECT_EQ(allocs(l), "backordered 1 @East");
}

TEST_F(SourcingBadRules, BadData_QueueSumOverflowIsExceptionNotAJobFailure) {
    // Two queue lines of 2^62 units each: summing them would overflow 64 bits in SQL.
    const auto v = vendor("V");
    const auto j = sku("J", "product", "jit", v);
    vendor_stock(v, j, 10);
    const auto old = order("OLD");
    const auto lo = line(old, j, 1);
    for (int i = 0; i < 2; ++i)
        db.exec(
            "INSERT INTO purchase_order_queue (order_item_id, sku_id, vendor_id, quantity, "
            "fulfillment_method, "
            "run_id, created_at) VALUES (" +
            std::to_string(lo) + ", " + std::to_string(j) + ", " + std::to_string(v) +
            ", 4611686018427387904, 'jit', " + earlier + ", '2026-11-20T10:00:00Z')");
    db.exec("UPDATE orders SET status_id = " + std::to_string(db.status_id("Shipped")) +
            " WHERE id = " + std::to_string(old));
    const auto o = order("O");
    line(o, j, 1);
    const auto st = run();
    EXPECT_EQ(st.errors, 1);
    EXPECT_EQ(reason(o).rfind("bad_data:purchase_order_queue.quantity:purchase_order_queue.id=", 0), 0u)
        << reason(o);
    EXPECT_EQ(count("purchase_order_queue"), 2);
}

TEST_F(SourcingBadRules, BadData_BadRowOfAnInactiveWarehouseAffectsNoOrder) {
    const auto closed = warehouse("Closed", 5, std::nullopt, std::nullopt, false);
    db.exec("UPDATE warehouses SET latitude = 'x', longitude = 1 WHERE id = " + std::to_string(closed));
    const auto o = order("O");
    line(o, p, 1);
    const auto st = run();
    EXPECT_EQ(st.errors, 0);
    EXPECT_EQ(status(o), "In Shipping");
    db.exec("UPDATE warehouses SET active = 'no' WHERE id = " +
            std::to_string(closed));  // now it may be in use
    const auto o2 = order("O2");
    line(o2, p, 1);
    run();
    EXPECT_EQ(reason(o2), "bad_data:warehouses.active:warehouses.id=" + std::to_string(closed));
}

TEST_F(SourcingBadRules, BadData_NullTextFieldsAreNotBadData) {
    const auto o = order("O");
    line(o, p, 1);
    db.exec("UPDATE orders SET ship_state = NULL, ship_country = NULL, ship_zip = NULL WHERE id = " +
            std::to_string(o));
    const auto st = run();
    EXPECT_EQ(st.errors, 0);
    EXPECT_EQ(status(o), "In Shipping");
}

}  // namespace
}  // namespace olmd::test
