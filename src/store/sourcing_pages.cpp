// Sourcing's page reads (sourcing_pages.hpp). A page is one query for the orders
// (their ids from the orders_status (status_id, id) index, one LIMITed range per
// status merged by id) and one query each for the page's lines, allocations,
// reservations and New shipments, the page's ids bound as one JSON array.
#include "store/sourcing_pages.hpp"

#include <sqlite3.h>

#include <unordered_map>

#include "store/sourcing_checks.hpp"
#include "store/sourcing_impl.hpp"

namespace olmd::store {

using namespace olmd::domain::sourcing;
using namespace olmd::store::checks;

namespace {

std::string id_key(const char* table, const SQLite::Column& id) {
    return std::string(table) + ".id=" + std::to_string(id.getInt64());
}

AllocKind alloc_kind(const std::string& s) {
    if (s == "backordered") return AllocKind::backordered;
    if (s == "po_queue") return AllocKind::po_queue;
    if (s == "dropship") return AllocKind::dropship;
    return AllocKind::assigned;
}

}  // namespace

// The bad-data checks (sourcing_checks.hpp) come last. Ids are checked against the reference data
// in C++ (order_bad_data), a hash lookup, not a subquery.
const std::string& sourcing_order_columns() {
    static const std::string s =
        "o.id, o.order_number, o.status_id, o.channel_id, o.shipping_method_id, " OLMD_CREATED_AT
        ", "
        "o.grand_total_cents, o.ship_country, o.ship_state, o.ship_zip, o.is_club, " +
        first_bad(
            {check("status_id", "o.status_id", is_int("o.status_id")),
             check("channel_id", "o.channel_id", is_int("o.channel_id")),
             check("shipping_method_id", "o.shipping_method_id", opt_int("o.shipping_method_id")),
             check("grand_total_cents", "o.grand_total_cents", int_in("o.grand_total_cents", "0", kCents)),
             check("is_club", "o.is_club", flag("o.is_club")),
             check("created_at", "o.created_at",
                   "typeof(o.created_at) = 'text' AND strftime('%s', o.created_at) IS NOT NULL")});
    return s;
}

SourcingOrder sourcing_order_row(SQLite::Statement& q) {
    SourcingOrder o;
    o.id = q.getColumn(0).getInt64();
    o.number = text(q.getColumn(1));
    o.status_id = int_or_zero(q.getColumn(2));
    o.channel_id = int_or_zero(q.getColumn(3));
    o.shipping_method_id = opt_id(q.getColumn(4));
    o.created_at = text(q.getColumn(5));
    o.grand_total_cents = int_or_zero(q.getColumn(6));
    o.ship_country = text(q.getColumn(7));
    o.ship_state = text(q.getColumn(8));
    o.ship_zip = text(q.getColumn(9));
    o.is_club = q.getColumn(10).getType() == SQLITE_INTEGER && q.getColumn(10).getInt64() == 1;
    o.bad = parse_lazy(q.getColumn(11), "orders", [&] { return "orders.id=" + std::to_string(o.id); });
    return o;
}

SourcingPageQueries::SourcingPageQueries(SQLite::Database& d)
    : db(d),
      lines(d, "SELECT i.order_id, i.id, i.sku_id, i.quantity, i.unit_price_cents, i.parent_item_id, " +
                   first_bad({check("sku_id", "i.sku_id", is_int("i.sku_id")),
                              check("quantity", "i.quantity", int_in("i.quantity", "1", kUnits)),
                              check("unit_price_cents", "i.unit_price_cents",
                                    int_in("i.unit_price_cents", "0", kCents)),
                              check("parent_item_id", "i.parent_item_id", opt_int("i.parent_item_id"))}) +
                   " FROM order_items i "
                   "WHERE i.order_id IN (SELECT value FROM json_each(?1)) ORDER BY i.order_id, i.id"),
      allocations(
          d,
          "SELECT i.order_id, a.id, a.order_item_id, a.kind, a.quantity, a.warehouse_id, a.vendor_id, "
          "a.shipment_id, " +
              first_bad(
                  {check("kind", "a.kind",
                         one_of("a.kind", "'assigned', 'backordered', 'po_queue', 'dropship'")),
                   check("quantity", "a.quantity", int_in("a.quantity", "1", kUnits)),
                   check("warehouse_id", "a.warehouse_id", opt_int("a.warehouse_id")),
                   check("vendor_id", "a.vendor_id", opt_int("a.vendor_id")),
                   check("shipment_id", "a.shipment_id", opt_int("a.shipment_id")),
                   check("shipment_id", "a.shipment_id", names_row("a.shipment_id", "shipments"), true)}) +
              " FROM order_items i JOIN allocations a ON a.order_item_id = i.id "
              "WHERE i.order_id IN (SELECT value FROM json_each(?1)) ORDER BY a.id"),
      reservations(d, "SELECT i.order_id, r.id, r.order_item_id, r.warehouse_id, r.quantity, " +
                          first_bad({check("warehouse_id", "r.warehouse_id", is_int("r.warehouse_id")),
                                     check("quantity", "r.quantity", int_in("r.quantity", "1", kUnits))}) +
                          " FROM order_items i JOIN reservations r ON r.order_item_id = i.id "
                          "WHERE i.order_id IN (SELECT value FROM json_each(?1)) ORDER BY r.id"),
      shipments(
          d, "SELECT s.order_id, s.id, s.warehouse_id, " +
                 first_bad({check("warehouse_id", "s.warehouse_id", is_int("s.warehouse_id"))}) +
                 " FROM shipments s "
                 "WHERE s.order_id IN (SELECT value FROM json_each(?1)) AND s.status = 'New' ORDER BY s.id"),
      shipment_units(d,
                     "SELECT s.order_id, si.order_item_id, si.quantity, s.status = 'New', s.id, " +
                         first_bad({check("quantity", "si.quantity", int_in("si.quantity", "1", kUnits))}) +
                         " FROM shipments s JOIN shipment_items si ON si.shipment_id = s.id "
                         "WHERE s.order_id IN (SELECT value FROM json_each(?1)) ORDER BY s.id") {}

std::vector<SourcingOrder> SourcingPageQueries::page_by_id(const std::vector<StatusId>& statuses, RowId after,
                                                           int limit) {
    std::vector<SourcingOrder> out;
    if (statuses.empty()) return out;
    auto& q = pages[sql_ids(statuses)];
    if (!q) {
        std::string ids;
        for (StatusId st : statuses) {
            if (!ids.empty()) ids += " UNION ALL ";
            ids += "SELECT id FROM (SELECT id FROM orders WHERE status_id = " + std::to_string(st) +
                   " AND id > ?1 ORDER BY id LIMIT ?2)";
        }
        q = std::make_unique<SQLite::Statement>(db, std::string("SELECT ") + sourcing_order_columns() +
                                                        " FROM orders o WHERE o.id IN (" + ids +
                                                        ") ORDER BY o.id LIMIT ?2");
    }
    q->tryReset();
    q->bind(1, static_cast<std::int64_t>(after));
    q->bind(2, limit);
    while (q->executeStep()) out.push_back(sourcing_order_row(*q));
    q->tryReset();
    load_details(out);
    return out;
}

void SourcingPageQueries::load_details(std::vector<SourcingOrder>& orders) {
    if (orders.empty()) return;
    std::unordered_map<OrderId, std::size_t> at;
    std::vector<RowId> ids;
    ids.reserve(orders.size());
    for (std::size_t i = 0; i < orders.size(); ++i) {
        at.emplace(orders[i].id, i);
        ids.push_back(orders[i].id);
    }
    const std::string json = json_ids(ids);
    auto each = [&](SQLite::Statement& q, auto&& fn) {
        q.tryReset();
        q.bind(1, json);
        while (q.executeStep()) {
            auto it = at.find(q.getColumn(0).getInt64());
            if (it != at.end()) fn(orders[it->second], q);
        }
        q.tryReset();
    };
    // Integer columns are read without coercion; a bad one is in the row's BadField (last column).
    each(lines, [](SourcingOrder& o, SQLite::Statement& q) {
        o.lines.push_back(OrderLine{q.getColumn(1).getInt64(), int_or_zero(q.getColumn(2)),
                                    int_or_zero(q.getColumn(3)), int_or_zero(q.getColumn(4)),
                                    opt_id(q.getColumn(5)), parse_lazy(q.getColumn(6), "order_items", [&] {
                                        return id_key("order_items", q.getColumn(1));
                                    })});
    });
    each(allocations, [](SourcingOrder& o, SQLite::Statement& q) {
        o.allocations.push_back(
            Allocation{q.getColumn(1).getInt64(), q.getColumn(2).getInt64(), alloc_kind(text(q.getColumn(3))),
                       int_or_zero(q.getColumn(4)), opt_id(q.getColumn(5)), opt_id(q.getColumn(6)),
                       opt_id(q.getColumn(7)), parse_lazy(q.getColumn(8), "allocations", [&] {
                           return id_key("allocations", q.getColumn(1));
                       })});
    });
    each(reservations, [](SourcingOrder& o, SQLite::Statement& q) {
        o.reservations.push_back(Reservation{q.getColumn(1).getInt64(), q.getColumn(2).getInt64(),
                                             int_or_zero(q.getColumn(3)), int_or_zero(q.getColumn(4)),
                                             parse_lazy(q.getColumn(5), "reservations", [&] {
                                                 return id_key("reservations", q.getColumn(1));
                                             })});
    });
    each(shipments, [](SourcingOrder& o, SQLite::Statement& q) {
        o.new_shipments.push_back(NewShipment{
            q.getColumn(1).getInt64(), int_or_zero(q.getColumn(2)),
            parse_lazy(q.getColumn(3), "shipments", [&] { return id_key("shipments", q.getColumn(1)); })});
    });
    each(shipment_units, [](SourcingOrder& o, SQLite::Statement& q) {
        const bool is_new = q.getColumn(3).getInt64() != 0;
        o.shipment_units.push_back(ShippedUnits{
            q.getColumn(1).getInt64(), int_or_zero(q.getColumn(2)), is_new,
            parse_lazy(q.getColumn(5), "shipment_items", [&] {
                return "shipment_items.shipment_id=" + std::to_string(q.getColumn(4).getInt64()) +
                       ",order_item_id=" + std::to_string(q.getColumn(1).getInt64());
            })});
        o.any_shipment_left = o.any_shipment_left || !is_new;
    });
}

}  // namespace olmd::store
