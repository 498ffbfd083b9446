// The sourcing repository's reads. A page is one query for the orders (their
// ids from the orders_status (status_id, id) index, one LIMITed range per
// status merged by id) and one query each for the page's lines, allocations,
// reservations and New shipments, the page's ids bound as one JSON array.
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <unordered_map>

#include "store/sourcing_checks.hpp"
#include "store/sourcing_impl.hpp"

namespace olmd::store {

using namespace olmd::domain::sourcing;
using namespace olmd::store::checks;

namespace {

// created_at in the contract's form whichever form the back office wrote (SQLite's own
// "YYYY-MM-DD HH:MM:SS" too), so that SRC-14's oldest-first order is right.
#define OLMD_CREATED_AT "coalesce(strftime('%Y-%m-%dT%H:%M:%SZ', o.created_at), o.created_at)"
// Every orders column sourcing reads, with its bad-data checks (sourcing_checks.hpp) last. Ids
// are checked against the reference data in C++ (order_bad_data), a hash lookup, not a subquery.
const std::string& order_columns() {
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

std::string id_key(const char* table, const SQLite::Column& id) {
    return std::string(table) + ".id=" + std::to_string(id.getInt64());
}

SourcingOrder order_row(SQLite::Statement& q) {
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

AllocKind alloc_kind(const std::string& s) {
    if (s == "backordered") return AllocKind::backordered;
    if (s == "po_queue") return AllocKind::po_queue;
    if (s == "dropship") return AllocKind::dropship;
    return AllocKind::assigned;
}

/// Fills lines, allocations, reservations and New shipments of the orders (one query each).
void load_details(SqliteSourcing::Impl& m, std::vector<SourcingOrder>& orders) {
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
    each(m.lines, [](SourcingOrder& o, SQLite::Statement& q) {
        o.lines.push_back(
            OrderLine{q.getColumn(1).getInt64(), int_or_zero(q.getColumn(2)), int_or_zero(q.getColumn(3)),
                      int_or_zero(q.getColumn(4)), opt_id(q.getColumn(5)),
                      parse_lazy(q.getColumn(6), "order_items", [&] { return id_key("order_items", q.getColumn(1)); })});
    });
    each(m.allocations, [](SourcingOrder& o, SQLite::Statement& q) {
        o.allocations.push_back(
            Allocation{q.getColumn(1).getInt64(), q.getColumn(2).getInt64(), alloc_kind(text(q.getColumn(3))),
                       int_or_zero(q.getColumn(4)), opt_id(q.getColumn(5)), opt_id(q.getColumn(6)),
                       opt_id(q.getColumn(7)),
                       parse_lazy(q.getColumn(8), "allocations", [&] { return id_key("allocations", q.getColumn(1)); })});
    });
    each(m.reservations, [](SourcingOrder& o, SQLite::Statement& q) {
        o.reservations.push_back(
            Reservation{q.getColumn(1).getInt64(), q.getColumn(2).getInt64(), int_or_zero(q.getColumn(3)),
                        int_or_zero(q.getColumn(4)),
                        parse_lazy(q.getColumn(5), "reservations", [&] { return id_key("reservations", q.getColumn(1)); })});
    });
    each(m.shipments, [](SourcingOrder& o, SQLite::Statement& q) {
        o.new_shipments.push_back(
            NewShipment{q.getColumn(1).getInt64(), int_or_zero(q.getColumn(2)),
                        parse_lazy(q.getColumn(3), "shipments", [&] { return id_key("shipments", q.getColumn(1)); })});
    });
    each(m.shipment_units, [](SourcingOrder& o, SQLite::Statement& q) {
        const bool is_new = q.getColumn(3).getInt64() != 0;
        o.shipment_units.push_back(
            ShippedUnits{q.getColumn(1).getInt64(), int_or_zero(q.getColumn(2)), is_new,
                         parse_lazy(q.getColumn(5), "shipment_items", [&] {
                             return "shipment_items.shipment_id=" + std::to_string(q.getColumn(4).getInt64()) +
                                    ",order_item_id=" + std::to_string(q.getColumn(1).getInt64());
                         })});
        o.any_shipment_left = o.any_shipment_left || !is_new;
    });
}

std::string status_key(const std::vector<StatusId>& statuses) {
    return sql_ids(statuses);
}

}  // namespace

std::string json_ids(const std::vector<RowId>& ids) {
    std::string s = "[";
    for (RowId id : ids) {
        if (s.size() > 1) s += ',';
        s += std::to_string(id);
    }
    return s + "]";
}

std::string sql_ids(const std::vector<RowId>& ids) {
    std::string s;
    for (RowId id : ids) {
        if (!s.empty()) s += ", ";
        s += std::to_string(id);
    }
    return s.empty() ? "NULL" : s;
}

SqliteSourcing::Impl::Impl(SQLite::Database& d)
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
                         "WHERE s.order_id IN (SELECT value FROM json_each(?1)) ORDER BY s.id"),
      inventory(d, inventory_sql()),
      vendor_stock(d, vendor_stock_sql()),
      zip(d, "SELECT latitude, longitude, " +
                 first_bad({check("latitude", "latitude", number("latitude")),
                            check("longitude", "longitude", number("longitude"))}) +
                 " FROM zip_codes WHERE zip = ?1"),
      payments(d, payments_sql()),
      insert_shipment(d,
                      "INSERT INTO shipments (order_id, warehouse_id, status, run_id, created_at) "
                      "VALUES (?1, ?2, 'New', ?3, ?4)"),
      upsert_shipment_item(
          d,
          "INSERT INTO shipment_items (shipment_id, order_item_id, quantity) VALUES (?1, ?2, ?3) "
          "ON CONFLICT (shipment_id, order_item_id) DO UPDATE SET quantity = quantity + "
          "excluded.quantity"),
      insert_allocation(
          d,
          "INSERT INTO allocations (order_item_id, kind, quantity, warehouse_id, vendor_id, shipment_id, "
          "run_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
      add_allocation(d, "UPDATE allocations SET quantity = quantity + ?1 WHERE id = ?2"),
      delete_allocation(d, "DELETE FROM allocations WHERE id = ?1"),
      take_inventory(d,
                     "UPDATE inventory SET allocated = allocated + ?1 "
                     "WHERE warehouse_id = ?2 AND sku_id = ?3 AND on_hand - allocated >= ?1"),
      shrink_reservation(d,
                         "UPDATE reservations SET quantity = quantity - ?1 WHERE id = ?2 AND quantity > ?1"),
      delete_reservation(d, "DELETE FROM reservations WHERE id = ?1"),
      insert_po(
          d,
          "INSERT INTO purchase_order_queue (order_item_id, sku_id, vendor_id, quantity, fulfillment_method, "
          "po_method, po_template, run_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
      queue_lines(d,
                  "SELECT id, quantity FROM purchase_order_queue WHERE order_item_id = ?1 AND vendor_id = ?2 "
                  "ORDER BY id"),
      shrink_queue_line(d, "UPDATE purchase_order_queue SET quantity = quantity - ?1 WHERE id = ?2"),
      delete_queue_line(d, "DELETE FROM purchase_order_queue WHERE id = ?1") {
    saved_cache_size = d.execAndGet("PRAGMA cache_size").getInt();
    saved_temp_store = d.execAndGet("PRAGMA temp_store").getInt();
    d.exec("PRAGMA cache_size = -" + std::to_string(kSourcingCacheKiB));
    d.exec("PRAGMA temp_store = MEMORY");
}

SqliteSourcing::Impl::~Impl() {
    try {
        db.exec("PRAGMA cache_size = " + std::to_string(saved_cache_size));
        db.exec("PRAGMA temp_store = " + std::to_string(saved_temp_store));
    } catch (...) {
        // the connection is closing: nothing to restore
    }
}

SqliteSourcing::SqliteSourcing(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteSourcing::~SqliteSourcing() = default;

Result<std::unique_ptr<SqliteSourcing>> SqliteSourcing::open(Database& db) {
    try {
        return std::unique_ptr<SqliteSourcing>(new SqliteSourcing(std::make_unique<Impl>(db.raw())));
    } catch (const std::exception& e) {
        return Error{
            std::string(
                "sourcing: cannot prepare the queries (schema not initialised? run `olmd init-db`): ") +
            e.what()};
    }
}

Result<std::int64_t> SqliteSourcing::count_in_statuses(const std::vector<StatusId>& statuses) {
    if (statuses.empty()) return std::int64_t{0};
    try {
        auto& q = impl_->counts[status_key(statuses)];
        if (!q)
            q = std::make_unique<SQLite::Statement>(
                impl_->db, "SELECT count(*) FROM orders WHERE status_id IN (" + sql_ids(statuses) + ")");
        q->tryReset();
        q->executeStep();
        const std::int64_t n = q->getColumn(0).getInt64();
        q->tryReset();
        return n;
    } catch (const std::exception& e) {
        return db_error("count the eligible orders", e);
    }
}

Result<std::vector<SourcingOrder>> SqliteSourcing::page_by_id(const std::vector<StatusId>& statuses,
                                                                  RowId after_id, int limit) {
    std::vector<SourcingOrder> out;
    if (statuses.empty()) return out;
    try {
        auto& q = impl_->pages[status_key(statuses)];
        if (!q) {
            std::string ids;
            for (StatusId st : statuses) {
                if (!ids.empty()) ids += " UNION ALL ";
                ids += "SELECT id FROM (SELECT id FROM orders WHERE status_id = " + std::to_string(st) +
                       " AND id > ?1 ORDER BY id LIMIT ?2)";
            }
            q = std::make_unique<SQLite::Statement>(impl_->db, std::string("SELECT ") + order_columns() +
                                                                   " FROM orders o WHERE o.id IN (" + ids +
                                                                   ") ORDER BY o.id LIMIT ?2");
        }
        q->tryReset();
        q->bind(1, static_cast<std::int64_t>(after_id));
        q->bind(2, limit);
        while (q->executeStep()) out.push_back(order_row(*q));
        q->tryReset();
        load_details(*impl_, out);
    } catch (const std::exception& e) {
        return db_error("read a page of orders", e);
    }
    return out;
}

Result<std::int64_t> SqliteSourcing::snapshot_backordered(const std::vector<StatusId>& statuses) {
    try {
        SQLite::Database& d = impl_->db;
        d.exec(
            "CREATE TEMP TABLE IF NOT EXISTS olmd_sourcing_backorders (created_at TEXT NOT NULL, "
            "id INTEGER NOT NULL, PRIMARY KEY (created_at, id)) WITHOUT ROWID");
        d.exec("DELETE FROM temp.olmd_sourcing_backorders");
        impl_->backorder_statuses = sql_ids(statuses);
        if (statuses.empty()) return std::int64_t{0};
        return static_cast<std::int64_t>(d.exec(
            "INSERT OR IGNORE INTO temp.olmd_sourcing_backorders (created_at, id) "
            // SRC-14: backordered units and jit units on the purchase-order queue; SRC-16: drop-ship
            // units of orders none of whose shipments is New any more (the rules decide the rest).
            "SELECT " OLMD_CREATED_AT
            ", o.id FROM allocations a JOIN order_items i ON i.id = a.order_item_id "
            "JOIN orders o ON o.id = i.order_id JOIN skus k ON k.id = i.sku_id "
            "WHERE (a.kind = 'backordered' OR (a.kind = 'po_queue' AND k.fulfillment_method = 'jit') OR "
            "(a.kind = 'dropship' AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id AND "
            "s.status = 'New'))) AND o.status_id IN (" +
            impl_->backorder_statuses + ")"));
    } catch (const std::exception& e) {
        return db_error("list the orders with backorders", e);
    }
}

Result<std::vector<SourcingOrder>> SqliteSourcing::page_backordered(const std::string& after_created,
                                                                        RowId after_id, int limit) {
    std::vector<SourcingOrder> out;
    try {
        auto& q = impl_->backorder_pages[impl_->backorder_statuses];
        if (!q)
            q = std::make_unique<SQLite::Statement>(
                impl_->db,
                std::string("SELECT ") + order_columns() +
                    " FROM temp.olmd_sourcing_backorders t JOIN orders o ON o.id = t.id "
                    "WHERE (t.created_at > ?1 OR (t.created_at = ?1 AND t.id > ?2)) AND o.status_id IN (" +
                    impl_->backorder_statuses + ") ORDER BY t.created_at, t.id LIMIT ?3");
        q->tryReset();
        q->bind(1, after_created);
        q->bind(2, static_cast<std::int64_t>(after_id));
        q->bind(3, limit);
        while (q->executeStep()) out.push_back(order_row(*q));
        q->tryReset();
        load_details(*impl_, out);
    } catch (const std::exception& e) {
        return db_error("read a page of orders with backorders", e);
    }
    return out;
}

Result<std::optional<SourcingOrder>> SqliteSourcing::read_order(OrderId id) {
    try {
        SQLite::Statement q(impl_->db,
                            std::string("SELECT ") + order_columns() + " FROM orders o WHERE o.id = ?1");
        q.bind(1, static_cast<std::int64_t>(id));
        if (!q.executeStep()) return std::optional<SourcingOrder>{};
        std::vector<SourcingOrder> one;
        one.push_back(order_row(q));
        q.tryReset();
        load_details(*impl_, one);
        return std::optional<SourcingOrder>{std::move(one.front())};
    } catch (const std::exception& e) {
        return db_error("read the order", e);
    }
}

}  // namespace olmd::store
