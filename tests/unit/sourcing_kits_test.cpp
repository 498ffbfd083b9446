// SRC-7 reservations and kits complete across every fulfillment method, SRC-8
// split with reservations, SRC-14 jit receipts, moved warehouses and kits, SRC-16
// (issue: sourcing that never mis-ships). Each case is a sentence of the seeds.
#include "olmd/store/audit.hpp"
#include "unit/sourcing_fixture.hpp"

namespace olmd::test {
namespace {

class SourcingKits : public SourcingWorld {
protected:
    /// A kit line with component lines; returns the kit line id.
    std::int64_t kit(std::int64_t order_id, const std::vector<std::pair<std::int64_t, std::int64_t>>& parts,
                     std::int64_t price = 0) {
        const auto k = sku("KIT" + std::to_string(++kits_), "kit");
        const auto line_id = line(order_id, k, 1, price);
        for (const auto& [s, q] : parts) line(order_id, s, q, 0, line_id);
        return line_id;
    }
    /// The component line of a kit for a SKU.
    std::int64_t component(std::int64_t kit_line, std::int64_t sku_id) {
        return db.scalar("SELECT id FROM order_items WHERE parent_item_id = " + std::to_string(kit_line) +
                         " AND sku_id = " + std::to_string(sku_id));
    }
    /// Audit violations (stock and queue invariants) as lines.
    std::string audit() {
        store::AuditOptions o;
        o.now = *parse_utc("2026-11-23T00:00:00Z");
        o.instance_running = true;
        o.ship_kits_complete = cfg.fulfillment.ship_kits_complete;
        auto found = store::audit(db.db(), o);
        std::string out;
        for (const auto& v : *found) out += store::to_line(v) + "\n";
        return out;
    }
    int kits_ = 0;
};

TEST_F(SourcingKits, SRC7_KitCompleteWaitsForItsJitComponent) {
    cfg.fulfillment.ship_kits_complete = true;
    const auto w = warehouse("East", 0);
    const auto v = vendor("Acme");
    const auto s = sku("S");
    const auto j = sku("J", "product", "jit", v);
    stock(w, s, 5);
    const auto o = order("O");
    const auto k = kit(o, {{s, 1}, {j, 1}});
    auto st = run();
    EXPECT_EQ(count("shipments"), 0) << "never half a kit in a shipment";
    EXPECT_EQ(allocs(component(k, s)), "backordered 1 @East") << "the in-stock unit is held";
    EXPECT_EQ(allocs(component(k, j)), "po_queue 1 @Acme");
    EXPECT_EQ(status(o), "Awaiting Inventory");
    EXPECT_EQ(available(w, s), 5);
    EXPECT_EQ(audit(), "");

    // The jit unit arrives: the whole kit is assigned and the queue line goes.
    stock(w, j, 1);
    st = run("2026-11-22T12:30:00Z");
    EXPECT_EQ(allocs(component(k, s)), "assigned 1 @East");
    EXPECT_EQ(allocs(component(k, j)), "assigned 1 @East");
    EXPECT_EQ(count("purchase_order_queue"), 0) << "the jit receipt removes the queue line";
    EXPECT_EQ(count("shipments"), 1);
    EXPECT_EQ(status(o), "In Shipping");
    EXPECT_EQ(audit(), "");
}

TEST_F(SourcingKits, SRC7_KitCompleteNeverShipsAReservedComponentAlone) {
    cfg.fulfillment.ship_kits_complete = true;
    const auto w = warehouse("East", 0);
    const auto r = sku("R");
    const auto x = sku("X");
    stock(w, r, 1, 0);
    stock(w, x, 0);
    const auto o = order("O");
    const auto k = kit(o, {{r, 1}, {x, 1}});
    reserve(component(k, r), w, 1);
    run();
    EXPECT_EQ(count("shipments"), 0);
    EXPECT_EQ(count("reservations"), 1) << "a reservation is kept, not consumed";
    EXPECT_EQ(allocs(component(k, r)), "backordered 1 @East");
    EXPECT_EQ(allocs(component(k, x)), "backordered 1 @East");
    EXPECT_EQ(status(o), "Awaiting Inventory");
    EXPECT_EQ(audit(), "");
    stock(w, x, 1);
    run("2026-11-22T12:30:00Z");
    EXPECT_EQ(count("reservations"), 0) << "consumed when the kit ships";
    EXPECT_EQ(allocs(component(k, r)), "assigned 1 @East");
    EXPECT_EQ(allocs(component(k, x)), "assigned 1 @East");
    EXPECT_EQ(db.scalar("SELECT allocated FROM inventory WHERE sku_id = " + std::to_string(r)), 1)
        << "the reserved unit was counted already";
    EXPECT_EQ(status(o), "In Shipping");
    EXPECT_EQ(audit(), "");
}

TEST_F(SourcingKits, SRC7_KitCompleteWithADropShipComponentNotInStockIsKitIncomplete) {
    cfg.fulfillment.ship_kits_complete = true;
    const auto w = warehouse("East", 0);
    const auto v = vendor("Drop");
    const auto s = sku("S");
    const auto d = sku("D", "product", "dropship", v);
    stock(w, s, 5);
    const auto o = order("O");
    kit(o, {{s, 1}, {d, 1}});
    run();
    EXPECT_EQ(count("allocations"), 0);
    EXPECT_EQ(count("purchase_order_queue"), 0) << "a drop-ship unit cannot ship with its kit";
    EXPECT_EQ(status(o), "Requires Manual Sourcing");
    EXPECT_EQ(reason(o), "kit_incomplete");
}

TEST_F(SourcingKits, SRC7_KitCompleteTakesADropShipComponentFromStock) {
    cfg.fulfillment.ship_kits_complete = true;
    const auto w = warehouse("East", 0);
    const auto v = vendor("Drop");
    const auto s = sku("S");
    const auto d = sku("D", "product", "dropship", v);
    stock(w, s, 5);
    stock(w, d, 1);
    const auto o = order("O");
    const auto k = kit(o, {{s, 1}, {d, 1}});
    run();
    EXPECT_EQ(allocs(component(k, d)), "assigned 1 @East");
    EXPECT_EQ(status(o), "In Shipping");
}

TEST_F(SourcingKits, SRC7_ReservationsThatCannotBeConsumedAreReservationMismatch) {
    const auto w = warehouse("East", 0);
    const auto off = warehouse("Closed", 1, std::nullopt, std::nullopt, false);
    const auto p = sku("P");
    const auto gc = sku("GC", "gift_certificate");
    stock(w, p, 10, 0);
    stock(off, p, 10, 0);
    const auto a = order("A");  // more units than the line needs
    const auto la = line(a, p, 1);
    reserve(la, w, 2);
    const auto b = order("B");  // on a gift-certificate line
    line(b, p, 1);
    const auto lb = line(b, gc, 1);
    reserve(lb, w, 1);
    const auto c = order("C");  // at an inactive warehouse
    const auto lc = line(c, p, 1);
    reserve(lc, off, 1);
    const auto d = order("D");  // on a kit line
    const auto kd = kit(d, {{p, 1}});
    reserve(kd, w, 1);
    const auto before = db.scalar("SELECT sum(allocated) FROM inventory");
    auto st = run();
    for (auto [o, l] : {std::pair{a, la}, {b, lb}, {c, lc}, {d, kd}}) {
        EXPECT_EQ(status(o), "Inv. Automation Exceptions") << o;
        EXPECT_EQ(reason(o), "reservation_mismatch:reservations.id=" +
                                 std::to_string(db.scalar("SELECT id FROM reservations WHERE order_item_id = " +
                                                          std::to_string(l))));
    }
    EXPECT_EQ(count("allocations"), 0);
    EXPECT_EQ(count("reservations"), 4) << "reserved units are never silently leaked";
    EXPECT_EQ(db.scalar("SELECT sum(allocated) FROM inventory"), before);
    EXPECT_EQ(st.errors, 4);
}

TEST_F(SourcingKits, SRC7_KitsSingleWarehouseWithComponentsReservedAtTwoWarehousesIsReservationMismatch) {
    cfg.fulfillment.kits_single_warehouse = true;
    const auto e = warehouse("East", 0);
    const auto west = warehouse("West", 1);
    const auto p = sku("P");
    const auto q = sku("Q");
    stock(e, p, 5);
    stock(west, q, 5);
    const auto o = order("O");
    const auto k = kit(o, {{p, 1}, {q, 1}});
    reserve(component(k, p), e, 1);
    reserve(component(k, q), west, 1);
    run();
    EXPECT_EQ(reason(o).rfind("reservation_mismatch:reservations.id=", 0), 0u) << reason(o);
    EXPECT_EQ(count("reservations"), 2);
}

TEST_F(SourcingKits, SRC8_SplitFalseGoesToTheReservedWarehouseWhenItCanTakeEverything) {
    const auto east = warehouse("East", 0);
    const auto west = warehouse("West", 1);
    const auto p = sku("P");
    stock(east, p, 10);
    stock(west, p, 10, 0);
    const auto o = order("O");
    const auto l = line(o, p, 3);
    reserve(l, west, 1);
    run();
    EXPECT_EQ(allocs(l), "assigned 3 @West") << "not split although East ranks first";
    EXPECT_EQ(count("shipments"), 1);
    EXPECT_EQ(status(o), "In Shipping");
    EXPECT_EQ(audit(), "");
}

TEST_F(SourcingKits, SRC14_JitUnitsOnTheQueueAreAssignedWhenReceived) {
    const auto w = warehouse("East", 0);
    const auto v = vendor("Acme");
    const auto j = sku("J", "product", "jit", v);
    const auto o = order("O");
    const auto l = line(o, j, 2);
    run();
    EXPECT_EQ(allocs(l), "po_queue 2 @Acme");
    EXPECT_EQ(status(o), "Awaiting Inventory");
    stock(w, j, 1);  // one unit received
    run("2026-11-22T12:30:00Z");
    EXPECT_EQ(allocs(l), "assigned 1 @East, po_queue 1 @Acme");
    EXPECT_EQ(db.scalar("SELECT quantity FROM purchase_order_queue"), 1) << "the queue line shrinks by that unit";
    EXPECT_EQ(status(o), "In Shipping");
    EXPECT_EQ(audit(), "");
}

TEST_F(SourcingKits, SRC14_BackordersAtAWarehouseLaterDeactivatedMove) {
    const auto east = warehouse("East", 0);
    const auto west = warehouse("West", 1);
    const auto p = sku("P");
    stock(east, p, 0);
    stock(west, p, 0);
    const auto o = order("O");
    const auto l = line(o, p, 2);
    run();
    EXPECT_EQ(allocs(l), "backordered 2 @East");
    db.exec("UPDATE warehouses SET active = 0 WHERE id = " + std::to_string(east));
    stock(west, p, 1);
    run("2026-11-22T12:30:00Z");
    EXPECT_EQ(allocs(l), "assigned 1 @West, backordered 1 @West") << "never waiting forever at a closed warehouse";
    EXPECT_EQ(audit(), "");
}

TEST_F(SourcingKits, SRC14_OldestFirstWhateverTheTimestampForm) {
    const auto w = warehouse("East", 0);
    const auto p = sku("P");
    stock(w, p, 0);
    SrcOrder late;
    late.number = "LATE";
    late.created_at = "2026-11-20 23:00:00";  // SQLite's datetime('now') form: later that day
    const auto l_late = line(order(late), p, 1);
    SrcOrder early;
    early.number = "EARLY";
    early.created_at = "2026-11-20T10:00:00Z";
    const auto l_early = line(order(early), p, 1);
    run();
    stock(w, p, 1);  // one unit arrives
    run("2026-11-22T12:30:00Z");
    EXPECT_EQ(allocs(l_early), "assigned 1 @East") << "the oldest order first (rules.md: timestamps read)";
    EXPECT_EQ(allocs(l_late), "backordered 1 @East");
}

TEST_F(SourcingKits, SRC16_DropShipFollowUpOnceTheStockHasShipped) {
    cfg.sourcing.exclude_drop_ship = true;
    cfg.sourcing.partial_shipping = config::PartialShipping::none;
    const auto w = warehouse("East", 0);
    const auto v = vendor("Drop");
    const auto p = sku("P");
    const auto d = sku("D", "product", "dropship", v);
    stock(w, p, 5);
    const auto o = order("O");
    line(o, p, 1);
    line(o, d, 1);
    run();
    EXPECT_EQ(status(o), "In Shipping") << "exclude_drop_ship: drop-ship units do not block";
    db.exec("UPDATE shipments SET status = 'Shipped'");  // the warehouse ships
    run("2026-11-22T12:30:00Z");
    EXPECT_EQ(status(o), "Awaiting Drop-ship Confirmation");
    EXPECT_EQ(reason(o), "awaiting_dropship");
}

}  // namespace
}  // namespace olmd::test
