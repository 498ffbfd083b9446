// The sourcing repository's reads: pages (sourcing_pages.cpp, read ahead on a
// second connection where one can be opened), the SRC-14 snapshot, one order.
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include "store/sourcing_checks.hpp"
#include "store/sourcing_impl.hpp"

namespace olmd::store {

using namespace olmd::domain::sourcing;
using namespace olmd::store::checks;

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
      pages(d),
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
    saved_autocheckpoint = d.execAndGet("PRAGMA wal_autocheckpoint").getInt();
    d.exec("PRAGMA cache_size = -" + std::to_string(kSourcingCacheKiB));
    d.exec("PRAGMA temp_store = MEMORY");
    d.exec("PRAGMA wal_autocheckpoint = " + std::to_string(kSourcingAutocheckpointPages));
}

SqliteSourcing::Impl::~Impl() {
    try {
        db.exec("PRAGMA cache_size = " + std::to_string(saved_cache_size));
        db.exec("PRAGMA temp_store = " + std::to_string(saved_temp_store));
        db.exec("PRAGMA wal_autocheckpoint = " + std::to_string(saved_autocheckpoint));
    } catch (...) {
        // the connection is closing: nothing to restore
    }
}

SqliteSourcing::SqliteSourcing(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteSourcing::~SqliteSourcing() = default;

Result<std::unique_ptr<SqliteSourcing>> SqliteSourcing::open(Database& db) {
    try {
        auto impl = std::make_unique<Impl>(db.raw());
        impl->ahead = SourcingReadAhead::open(db);
        return std::unique_ptr<SqliteSourcing>(new SqliteSourcing(std::move(impl)));
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
        auto& q = impl_->counts[sql_ids(statuses)];
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
    if (statuses.empty()) return std::vector<SourcingOrder>{};
    try {
        Impl& m = *impl_;
        std::optional<std::vector<SourcingOrder>> page;
        std::int64_t version = 0;
        if (m.ahead) {
            version = m.db.execAndGet("PRAGMA data_version").getInt64();
            page = m.ahead->take(statuses, after_id, limit, version);
        }
        if (!page) page = m.pages.page_by_id(statuses, after_id, limit);
        // A full page may have a next one: read it while this one is decided and written.
        if (m.ahead && page->size() == static_cast<std::size_t>(limit))
            m.ahead->start(statuses, page->back().id, limit, version);
        return std::move(*page);
    } catch (const std::exception& e) {
        return db_error("read a page of orders", e);
    }
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
                std::string("SELECT ") + sourcing_order_columns() +
                    " FROM temp.olmd_sourcing_backorders t JOIN orders o ON o.id = t.id "
                    "WHERE (t.created_at > ?1 OR (t.created_at = ?1 AND t.id > ?2)) AND o.status_id IN (" +
                    impl_->backorder_statuses + ") ORDER BY t.created_at, t.id LIMIT ?3");
        q->tryReset();
        q->bind(1, after_created);
        q->bind(2, static_cast<std::int64_t>(after_id));
        q->bind(3, limit);
        while (q->executeStep()) out.push_back(sourcing_order_row(*q));
        q->tryReset();
        impl_->pages.load_details(out);
    } catch (const std::exception& e) {
        return db_error("read a page of orders with backorders", e);
    }
    return out;
}

Result<std::optional<SourcingOrder>> SqliteSourcing::read_order(OrderId id) {
    try {
        SQLite::Statement q(impl_->db,
                            std::string("SELECT ") + sourcing_order_columns() + " FROM orders o WHERE o.id = ?1");
        q.bind(1, static_cast<std::int64_t>(id));
        if (!q.executeStep()) return std::optional<SourcingOrder>{};
        std::vector<SourcingOrder> one;
        one.push_back(sourcing_order_row(q));
        q.tryReset();
        impl_->pages.load_details(one);
        return std::optional<SourcingOrder>{std::move(one.front())};
    } catch (const std::exception& e) {
        return db_error("read the order", e);
    }
}

}  // namespace olmd::store
