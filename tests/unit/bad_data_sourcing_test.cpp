// rules.md "bad data" in the sourcing job: every column it reads, corrupted one
// at a time (typeof() never coerced, ids that name no row, enumerations,
// overflow-checked sums bounded at 10^15 cents and 10^9 units). The order goes
// to result.exception with a reason naming the column; the job does not fail;
// no stock, allocation, reservation, queue line or payment moves; the good
// orders of the same run (which use none of the bad rows) are sourced; and
// `olmd explain` says the same reason.

#include "sourcing_fixture.hpp"

namespace olmd::test {
namespace {

/// One corrupted column: what is done, and the reason expected (placeholders: see Ids::fill).
struct Case {
    const char* name;
    const char* sql;
    const char* reason;
    bool fully_paid = false;  ///< SRC-4 applies to the bad order (its channel requires full payment)
    bool closest = false;     ///< the bad order's channel ranks warehouses by distance (SRC-8 closest)
};

/// The rows the cases name.
struct Ids {
    std::int64_t run = 0, order = 0, lp = 0, lj = 0, res = 0, p = 0, j = 0, v = 0, east = 0, west = 0,
                 pay = 0, ground = 0;
    /// Replaces {RUN} (an earlier run) {O} {LP} {LJ} {R} {P} {J} {V} {E} {W} {PAY} {M} and {last:<table>}
    /// (the table's max id).
    std::string fill(std::string s, TestDb& db) const {
        const std::pair<const char*, std::int64_t> names[] = {
            {"{RUN}", run}, {"{O}", order}, {"{LP}", lp},  {"{LJ}", lj},  {"{R}", res},   {"{P}", p},
            {"{J}", j},     {"{V}", v},     {"{E}", east}, {"{W}", west}, {"{PAY}", pay}, {"{M}", ground}};
        for (const auto& [key, id] : names)
            for (auto at = s.find(key); at != std::string::npos; at = s.find(key))
                s.replace(at, std::string(key).size(), std::to_string(id));
        for (auto at = s.find("{last:"); at != std::string::npos; at = s.find("{last:")) {
            const auto end = s.find('}', at);
            const std::string table = s.substr(at + 6, end - at - 6);
            s.replace(at, end - at + 1, std::to_string(db.scalar("SELECT max(id) FROM " + table)));
        }
        return s;
    }
};

const Case kCases[] = {
    // orders
    {"orders_channel_id_text", "UPDATE orders SET channel_id = 'abc' WHERE id = {O}",
     "orders.channel_id:orders.id={O}"},
    {"orders_channel_id_unknown", "UPDATE orders SET channel_id = 999 WHERE id = {O}",
     "orders.channel_id:orders.id={O}"},
    {"orders_shipping_method_id_fraction", "UPDATE orders SET shipping_method_id = 1.5 WHERE id = {O}",
     "orders.shipping_method_id:orders.id={O}"},
    {"orders_shipping_method_id_unknown", "UPDATE orders SET shipping_method_id = 999 WHERE id = {O}",
     "orders.shipping_method_id:orders.id={O}"},
    {"orders_grand_total_cents_text", "UPDATE orders SET grand_total_cents = 'abc' WHERE id = {O}",
     "orders.grand_total_cents:orders.id={O}"},
    {"orders_grand_total_cents_negative", "UPDATE orders SET grand_total_cents = -5 WHERE id = {O}",
     "orders.grand_total_cents:orders.id={O}"},
    {"orders_grand_total_cents_past_1e15",
     "UPDATE orders SET grand_total_cents = 1000000000000001 WHERE id = {O}",
     "orders.grand_total_cents:orders.id={O}"},
    {"orders_is_club_outside_0_1", "UPDATE orders SET is_club = 2 WHERE id = {O}",
     "orders.is_club:orders.id={O}"},
    {"orders_created_at_unparseable", "UPDATE orders SET created_at = 'yesterday' WHERE id = {O}",
     "orders.created_at:orders.id={O}"},
    // order_items
    {"order_items_quantity_fraction", "UPDATE order_items SET quantity = 1.5 WHERE id = {LP}",
     "order_items.quantity:order_items.id={LP}"},
    {"order_items_quantity_text", "UPDATE order_items SET quantity = 'abc' WHERE id = {LP}",
     "order_items.quantity:order_items.id={LP}"},
    {"order_items_quantity_2_to_the_62",
     "UPDATE order_items SET quantity = 4611686018427387904 WHERE id = {LP}",
     "order_items.quantity:order_items.id={LP}"},
    {"order_items_quantity_negative", "UPDATE order_items SET quantity = -3 WHERE id = {LP}",
     "order_items.quantity:order_items.id={LP}"},
    {"order_items_sku_id_text", "UPDATE order_items SET sku_id = 'P' WHERE id = {LP}",
     "order_items.sku_id:order_items.id={LP}"},
    {"order_items_sku_id_unknown", "UPDATE order_items SET sku_id = 99999 WHERE id = {LP}",
     "order_items.sku_id:order_items.id={LP}"},
    {"order_items_unit_price_cents_fraction",
     "UPDATE order_items SET unit_price_cents = 9.99 WHERE id = {LP}",
     "order_items.unit_price_cents:order_items.id={LP}"},
    {"order_items_unit_price_cents_sum_past_1e15",
     "UPDATE order_items SET unit_price_cents = 1000000000000000 WHERE id = {LP}",
     "order_items.unit_price_cents:order_items.id={LP}"},
    {"order_items_parent_item_id_unknown", "UPDATE order_items SET parent_item_id = 99999 WHERE id = {LP}",
     "order_items.parent_item_id:order_items.id={LP}"},
    // skus
    {"skus_kind_outside_list", "UPDATE skus SET kind = 'spaceship' WHERE id = {P}", "skus.kind:skus.id={P}"},
    {"skus_fulfillment_method_outside_list", "UPDATE skus SET fulfillment_method = 'teleport' WHERE id = {J}",
     "skus.fulfillment_method:skus.id={J}"},
    {"skus_default_vendor_id_unknown", "UPDATE skus SET default_vendor_id = 999 WHERE id = {J}",
     "skus.default_vendor_id:skus.id={J}"},
    // reservations
    {"reservations_quantity_fraction", "UPDATE reservations SET quantity = 0.5 WHERE id = {R}",
     "reservations.quantity:reservations.id={R}"},
    {"reservations_warehouse_id_unknown", "UPDATE reservations SET warehouse_id = 999 WHERE id = {R}",
     "reservations.warehouse_id:reservations.id={R}"},
    // allocations
    {"allocations_kind_outside_list",
     "INSERT INTO allocations (order_item_id, kind, quantity, warehouse_id, run_id, created_at) VALUES "
     "({LJ}, 'stolen', 1, {E}, {RUN}, '2026-11-20T10:00:00Z')",
     "allocations.kind:allocations.id={last:allocations}"},
    {"allocations_quantity_text",
     "INSERT INTO allocations (order_item_id, kind, quantity, warehouse_id, run_id, created_at) VALUES "
     "({LJ}, 'backordered', 'one', {E}, {RUN}, '2026-11-20T10:00:00Z')",
     "allocations.quantity:allocations.id={last:allocations}"},
    {"allocations_shipment_id_unknown",
     "INSERT INTO allocations (order_item_id, kind, quantity, warehouse_id, shipment_id, run_id, created_at) "
     "VALUES "
     "({LJ}, 'assigned', 1, {E}, 999, {RUN}, '2026-11-20T10:00:00Z')",
     "allocations.shipment_id:allocations.id={last:allocations}"},
    {"allocations_warehouse_id_unknown",
     "INSERT INTO allocations (order_item_id, kind, quantity, warehouse_id, run_id, created_at) VALUES "
     "({LJ}, 'backordered', 1, 999, {RUN}, '2026-11-20T10:00:00Z')",
     "allocations.warehouse_id:allocations.id={last:allocations}"},
    // shipments, shipment_items
    {"shipments_warehouse_id_unknown",
     "INSERT INTO shipments (order_id, warehouse_id, status, run_id, created_at) VALUES "
     "({O}, 999, 'New', {RUN}, '2026-11-20T10:00:00Z')",
     "shipments.warehouse_id:shipments.id={last:shipments}"},
    {"shipment_items_quantity_fraction",
     "INSERT INTO shipments (order_id, warehouse_id, status, run_id, created_at) VALUES "
     "({O}, {E}, 'Shipped', {RUN}, '2026-11-20T10:00:00Z'); INSERT INTO shipment_items (shipment_id, "
     "order_item_id, "
     "quantity) VALUES ((SELECT max(id) FROM shipments), {LJ}, 0.5)",
     "shipment_items.quantity:shipment_items.shipment_id={last:shipments},order_item_id={LJ}"},
    // inventory (shared: only the order that draws on the row)
    {"inventory_on_hand_text",
     "UPDATE inventory SET on_hand = 'abc' WHERE warehouse_id = {E} AND sku_id = {P}",
     "inventory.on_hand:inventory.warehouse_id={E},sku_id={P}"},
    {"inventory_allocated_text",
     "UPDATE inventory SET allocated = 'abc' WHERE warehouse_id = {W} AND sku_id = {P}",
     "inventory.allocated:inventory.warehouse_id={W},sku_id={P}"},
    {"inventory_allocated_negative",
     "UPDATE inventory SET allocated = -1 WHERE warehouse_id = {E} AND sku_id = {P}",
     "inventory.allocated:inventory.warehouse_id={E},sku_id={P}"},
    // vendor_stock, purchase_order_queue, vendors (shared)
    {"vendor_stock_quantity_text", "UPDATE vendor_stock SET quantity = 'lots' WHERE vendor_id = {V}",
     "vendor_stock.quantity:vendor_stock.vendor_id={V},sku_id={J}"},
    {"vendor_stock_vendor_id_unknown",
     "INSERT INTO vendor_stock (vendor_id, sku_id, quantity) VALUES (999, {J}, 5)",
     "vendor_stock.vendor_id:vendor_stock.vendor_id=999,sku_id={J}"},
    {"purchase_order_queue_quantity_fraction",
     "INSERT INTO purchase_order_queue (order_item_id, sku_id, vendor_id, quantity, fulfillment_method, "
     "run_id, "
     "created_at) VALUES ({LJ}, {J}, {V}, 1.5, 'jit', {RUN}, '2026-11-20T10:00:00Z')",
     "purchase_order_queue.quantity:purchase_order_queue.id={last:purchase_order_queue}"},
    {"vendors_active_outside_0_1", "UPDATE vendors SET active = 'maybe' WHERE id = {V}",
     "vendors.active:vendors.id={V}"},
    // warehouses (shared: the good orders' channel blacklists West)
    {"warehouses_active_text", "UPDATE warehouses SET active = 'x' WHERE id = {W}",
     "warehouses.active:warehouses.id={W}"},
    {"warehouses_priority_text", "UPDATE warehouses SET priority = 'high' WHERE id = {W}",
     "warehouses.priority:warehouses.id={W}"},
    {"warehouses_latitude_text", "UPDATE warehouses SET latitude = 'north', longitude = 1 WHERE id = {W}",
     "warehouses.latitude:warehouses.id={W}"},
    // zip_codes (SRC-8 closest: the ship ZIP's centroid, a warehouse located by its postal_code)
    {"zip_codes_latitude_text",
     "INSERT OR REPLACE INTO zip_codes (zip, state, latitude, longitude) VALUES ('12866', 'NY', 'north', "
     "-73.8)",
     "zip_codes.latitude:zip_codes.zip=12866", false, true},
    {"warehouses_postal_code_centroid_text",
     "UPDATE warehouses SET postal_code = '99999' WHERE id = {W}; INSERT OR REPLACE INTO zip_codes (zip, "
     "state, "
     "latitude, longitude) VALUES ('99999', 'ZZ', 40.0, 'west')",
     "warehouses.postal_code:warehouses.id={W}"},
    // SRC-4 reads the payments and the shipping method's is_cod
    {"payments_method_outside_list", "UPDATE payments SET method = 'bitcoin' WHERE id = {PAY}",
     "payments.method:payments.id={PAY}", true},
    {"payments_amount_cents_text", "UPDATE payments SET amount_cents = 'abc' WHERE id = {PAY}",
     "payments.amount_cents:payments.id={PAY}", true},
    {"payments_captured_cents_above_amount", "UPDATE payments SET captured_cents = 20000 WHERE id = {PAY}",
     "payments.captured_cents:payments.id={PAY}", true},
    {"payments_amount_cents_sum_past_1e15",
     "UPDATE payments SET amount_cents = 1000000000000000; INSERT INTO payments (order_id, method, status, "
     "amount_cents, captured_cents, created_at) VALUES ({O}, 'cash', 'settled', 1, 0, "
     "'2026-11-20T10:00:00Z')",
     "payments.amount_cents:payments.id={last:payments}", true},
    {"shipping_methods_is_cod_text", "UPDATE shipping_methods SET is_cod = 'x' WHERE id = {M}",
     "shipping_methods.is_cod:shipping_methods.id={M}", true},
};

class SourcingBadData : public SourcingWorld, public ::testing::WithParamInterface<Case> {
protected:
    SourcingBadData() {
        db.exec("PRAGMA foreign_keys = OFF");  // a database made before the constraints, another writer
        db.allow_bad_rows();
        cfg.fulfillment.channel["POS"].blacklisted_warehouses = {"West"};
        ids.run = earlier_run(db);
        ids.east = warehouse("East", 0);
        ids.west = warehouse("West", 1);
        ids.v = vendor("V");
        const auto q = sku("Q");
        ids.p = sku("P");
        ids.j = sku("J", "product", "jit", ids.v);
        stock(ids.east, q, 10);
        stock(ids.east, ids.p, 10);
        stock(ids.west, ids.p, 10);
        vendor_stock(ids.v, ids.j, 10);
        ids.ground = db.scalar("SELECT id FROM shipping_methods WHERE name = 'Ground'");
        SrcOrder good;
        good.channel = "POS";
        good.number = "G1";
        good1 = order(good);
        line(good1, q, 1);
        SrcOrder bad;
        bad.number = "BAD";
        ids.order = order(bad);
        ids.lp = line(ids.order, ids.p, 2);
        ids.lj = line(ids.order, ids.j, 1);
        reserve(ids.lp, ids.east, 1);
        ids.res = db.scalar("SELECT max(id) FROM reservations");
        db.exec(
            "INSERT INTO payments (order_id, method, status, amount_cents, captured_cents, created_at) "
            "VALUES (" +
            std::to_string(ids.order) + ", 'cash', 'settled', 10000, 0, '2026-11-20T10:00:00Z')");
        ids.pay = db.db().raw().getLastInsertRowid();
        good.number = "G2";
        good2 = order(good);
        line(good2, q, 1);
    }

    /// Everything the bad order could move: stock, allocations, reservations, queue, shipments, payments.
    std::string snapshot() {
        return db.text(
            "SELECT (SELECT group_concat(warehouse_id || ':' || sku_id || ':' || quote(on_hand) || ':' || "
            "quote(allocated), ';') FROM inventory WHERE sku_id <> (SELECT id FROM skus WHERE code = 'Q')) "
            "|| '|' || (SELECT count(*) || ':' || coalesce(sum(id), 0) FROM allocations a WHERE "
            "a.order_item_id IN (" +
            std::to_string(ids.lp) + ", " + std::to_string(ids.lj) +
            ")) "
            "|| '|' || (SELECT group_concat(id || ':' || quote(quantity)) FROM reservations) "
            "|| '|' || (SELECT count(*) FROM purchase_order_queue) "
            "|| '|' || (SELECT count(*) FROM shipments WHERE order_id = " +
            std::to_string(ids.order) +
            ") "
            "|| '|' || (SELECT group_concat(id || method || status || quote(amount_cents) || "
            "quote(captured_cents), ';') FROM payments)");
    }

    Ids ids;
    std::int64_t good1 = 0, good2 = 0;
};

TEST_P(SourcingBadData, BadData_SourcingEveryColumnReadIsExceptionNamingIt) {
    const Case& c = GetParam();
    if (c.fully_paid) cfg.sourcing.fully_paid_channels = {"Website"};
    if (c.closest) cfg.fulfillment.channel["Website"].rule = config::FulfillmentRule::closest;
    db.exec(ids.fill(c.sql, db));
    const std::string want = "bad_data:" + ids.fill(c.reason, db);
    const std::string before = snapshot();
    const jobs::JobStats st = run();  // fails the test when the job fails as a whole
    EXPECT_EQ(status(ids.order), "Inv. Automation Exceptions");
    EXPECT_EQ(reason(ids.order), want);
    EXPECT_EQ(st.errors, 1);
    EXPECT_EQ(snapshot(), before) << "no money or stock moved";
    for (auto g : {good1, good2}) {
        EXPECT_EQ(status(g), "In Shipping") << "the good orders of the run are sourced";
        EXPECT_EQ(count("shipments WHERE order_id = " + std::to_string(g)), 1);
    }
    const std::string text = explain("BAD");
    EXPECT_NE(text.find("reason " + want + " ([sourcing.result] exception)"), std::string::npos) << text;
}

INSTANTIATE_TEST_SUITE_P(EveryColumn, SourcingBadData, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& i) { return std::string(i.param.name); });

}  // namespace
}  // namespace olmd::test
