// The sourcing repository's reads. A page is one query for the orders (their
// ids from the orders_status (status_id, id) index, one LIMITed range per
// status merged by id) and one query each for the page's lines, allocations,
// reservations and New shipments, the page's ids bound as one JSON array.
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <unordered_map>

#include "store/sourcing_impl.hpp"

namespace olmd::store {

using namespace olmd::jobs::sourcing;

namespace {

// created_at in the contract's form whichever form the back office wrote (SQLite's own
// "YYYY-MM-DD HH:MM:SS" too), so that SRC-14's oldest-first order is right.
#define OLMD_CREATED_AT "coalesce(strftime('%Y-%m-%dT%H:%M:%SZ', o.created_at), o.created_at)"
constexpr const char* kOrderColumns =
    "o.id, o.order_number, o.status_id, o.channel_id, o.shipping_method_id, " OLMD_CREATED_AT ", "
    "o.grand_total_cents, "
    "o.ship_country, o.ship_state, o.ship_zip, o.is_club";

std::string text(const SQLite::Column& c) {
    return c.isNull() ? std::string() : std::string(c.getText());
}

std::optional<RowId> opt_id(const SQLite::Column& c) {
    if (c.isNull()) return std::nullopt;
    return c.getInt64();
}

SourcingOrder order_row(SQLite::Statement& q) {
    SourcingOrder o;
    o.id = q.getColumn(0).getInt64();
    o.number = text(q.getColumn(1));
    o.status_id = q.getColumn(2).getInt64();
    o.channel_id = q.getColumn(3).getInt64();
    o.shipping_method_id = opt_id(q.getColumn(4));
    o.created_at = text(q.getColumn(5));
    o.grand_total_cents = q.getColumn(6).getInt64();
    o.ship_country = text(q.getColumn(7));
    o.ship_state = text(q.getColumn(8));
    o.ship_zip = text(q.getColumn(9));
    o.is_club = q.getColumn(10).getType() == SQLITE_INTEGER && q.getColumn(10).getInt64() == 1;
    return o;
}

AllocKind alloc_kind(const std::string& s) {
    if (s == "backordered") return AllocKind::backordered;
    if (s == "po_queue") return AllocKind::po_queue;
    if (s == "dropship") return AllocKind::dropship;
    return AllocKind::assigned;
}

Error db_error(const char* what, const std::exception& e) {
    return Error{std::string("sourcing: cannot ") + what + ": " + e.what()};
}

/// Fills lines, allocations, reservations and New shipments of the orders (one query each).
void load_details(SourcingRepository::Impl& m, std::vector<SourcingOrder>& orders) {
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
    each(m.lines, [](SourcingOrder& o, SQLite::Statement& q) {
        o.lines.push_back(OrderLine{q.getColumn(1).getInt64(), q.getColumn(2).getInt64(),
                                    q.getColumn(3).getInt64(), q.getColumn(4).getInt64(),
                                    opt_id(q.getColumn(5))});
    });
    each(m.allocations, [](SourcingOrder& o, SQLite::Statement& q) {
        o.allocations.push_back(Allocation{q.getColumn(1).getInt64(), q.getColumn(2).getInt64(),
                                           alloc_kind(text(q.getColumn(3))), q.getColumn(4).getInt64(),
                                           opt_id(q.getColumn(5)), opt_id(q.getColumn(6)),
                                           opt_id(q.getColumn(7))});
    });
    each(m.reservations, [](SourcingOrder& o, SQLite::Statement& q) {
        o.reservations.push_back(Reservation{q.getColumn(1).getInt64(), q.getColumn(2).getInt64(),
                                             q.getColumn(3).getInt64(), q.getColumn(4).getInt64()});
    });
    each(m.shipments, [](SourcingOrder& o, SQLite::Statement& q) {
        o.new_shipments.push_back(
            NewShipment{q.getColumn(1).getInt64(), q.getColumn(2).getInt64()});
    });
    each(m.shipment_units, [](SourcingOrder& o, SQLite::Statement& q) {
        const bool is_new = q.getColumn(3).getInt64() != 0;
        o.shipment_units.push_back(ShippedUnits{q.getColumn(1).getInt64(), q.getColumn(2).getInt64(), is_new});
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

SourcingRepository::Impl::Impl(SQLite::Database& d)
    : db(d),
      lines(d,
            "SELECT i.order_id, i.id, i.sku_id, i.quantity, i.unit_price_cents, i.parent_item_id FROM "
            "order_items i "
            "WHERE i.order_id IN (SELECT value FROM json_each(?1)) ORDER BY i.order_id, i.id"),
      allocations(
          d,
          "SELECT i.order_id, a.id, a.order_item_id, a.kind, a.quantity, a.warehouse_id, a.vendor_id, "
          "a.shipment_id FROM order_items i JOIN allocations a ON a.order_item_id = i.id "
          "WHERE i.order_id IN (SELECT value FROM json_each(?1)) ORDER BY a.id"),
      reservations(d,
                   "SELECT i.order_id, r.id, r.order_item_id, r.warehouse_id, r.quantity FROM order_items i "
                   "JOIN reservations r ON r.order_item_id = i.id "
                   "WHERE i.order_id IN (SELECT value FROM json_each(?1)) ORDER BY r.id"),
      shipments(d,
                "SELECT s.order_id, s.id, s.warehouse_id FROM shipments s "
                "WHERE s.order_id IN (SELECT value FROM json_each(?1)) AND s.status = 'New' ORDER BY s.id"),
      shipment_units(d,
                     "SELECT s.order_id, si.order_item_id, si.quantity, s.status = 'New' FROM shipments s "
                     "JOIN shipment_items si ON si.shipment_id = s.id "
                     "WHERE s.order_id IN (SELECT value FROM json_each(?1)) ORDER BY s.id"),
      inventory(d,
                "SELECT sku_id, warehouse_id, on_hand, allocated FROM inventory "
                "WHERE sku_id IN (SELECT value FROM json_each(?1))"),
      vendor_stock(d,
                   // SRC-9: what the queue already asks of a vendor is not available any more.
                   "SELECT vs.sku_id, vs.vendor_id, vs.quantity - coalesce((SELECT sum(q.quantity) FROM "
                   "purchase_order_queue q WHERE q.vendor_id = vs.vendor_id AND q.sku_id = vs.sku_id), 0) "
                   "FROM vendor_stock vs WHERE vs.sku_id IN (SELECT value FROM json_each(?1)) "
                   "ORDER BY vs.sku_id, vs.vendor_id"),
      zip(d, "SELECT latitude, longitude FROM zip_codes WHERE zip = ?1"),
      payments(d,
               "SELECT coalesce(sum(CASE WHEN method = 'credit_card' THEN captured_cents "
               "                         WHEN status = 'settled' THEN amount_cents ELSE 0 END), 0), "
               "       coalesce(sum(CASE WHEN method = 'credit_card' AND status = 'authorized' "
               "                         THEN amount_cents - captured_cents ELSE 0 END), 0), "
               // SRC-12: only authorizations still valid cover anything; the card is the most recent live one.
               "       coalesce(sum(CASE WHEN method = 'credit_card' AND status = 'authorized' AND "
               "                         strftime('%Y-%m-%dT%H:%M:%SZ', coalesce(authorized_at, created_at)) > ?2 "
               "                         THEN amount_cents - captured_cents ELSE 0 END), 0), "
               "       (SELECT id FROM payments WHERE order_id = ?1 AND method = 'credit_card' AND "
               "        status IN ('authorized', 'captured') ORDER BY id DESC LIMIT 1), "
               "       (SELECT card_token FROM payments WHERE order_id = ?1 AND method = 'credit_card' AND "
               "        status IN ('authorized', 'captured') ORDER BY id DESC LIMIT 1), "
               "       (SELECT customer_ref FROM payments WHERE order_id = ?1 AND method = 'credit_card' AND "
               "        status IN ('authorized', 'captured') ORDER BY id DESC LIMIT 1) "
               "FROM payments WHERE order_id = ?1"),
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

SourcingRepository::Impl::~Impl() {
    try {
        db.exec("PRAGMA cache_size = " + std::to_string(saved_cache_size));
        db.exec("PRAGMA temp_store = " + std::to_string(saved_temp_store));
    } catch (...) {
        // the connection is closing: nothing to restore
    }
}

SourcingRepository::SourcingRepository(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SourcingRepository::~SourcingRepository() = default;

Result<std::unique_ptr<SourcingRepository>> SourcingRepository::open(Database& db) {
    try {
        return std::unique_ptr<SourcingRepository>(new SourcingRepository(std::make_unique<Impl>(db.raw())));
    } catch (const std::exception& e) {
        return Error{
            std::string(
                "sourcing: cannot prepare the queries (schema not initialised? run `olmd init-db`): ") +
            e.what()};
    }
}

Result<ReferenceData> SourcingRepository::load_reference() {
    ReferenceData r;
    try {
        SQLite::Database& d = impl_->db;
        // SRC-8: a warehouse's location is its latitude/longitude, else its postal_code's centroid.
        SQLite::Statement w(
            d,
            "SELECT w.id, w.name, w.priority, "
            "iif(w.latitude IS NOT NULL AND w.longitude IS NOT NULL, w.latitude, z.latitude), "
            "iif(w.latitude IS NOT NULL AND w.longitude IS NOT NULL, w.longitude, z.longitude), w.active, "
            "w.latitude IS NULL OR w.longitude IS NULL "
            "FROM warehouses w LEFT JOIN zip_codes z ON z.zip = substr(trim(w.postal_code), 1, 5) "
            "ORDER BY w.priority, w.id");
        while (w.executeStep()) {
            Warehouse x;
            x.id = w.getColumn(0).getInt64();
            x.name = text(w.getColumn(1));
            x.priority = w.getColumn(2).getInt64();
            if (!w.getColumn(3).isNull() && !w.getColumn(4).isNull()) {
                x.latitude = w.getColumn(3).getDouble();
                x.longitude = w.getColumn(4).getDouble();
                x.located_by_postal_code = w.getColumn(6).getInt64() != 0;
            }
            x.active = w.getColumn(5).getInt64() != 0;
            r.warehouses.push_back(std::move(x));
        }
        SQLite::Statement s(d, "SELECT id, code, kind, fulfillment_method, default_vendor_id FROM skus");
        while (s.executeStep()) {
            Sku x;
            x.id = s.getColumn(0).getInt64();
            x.code = text(s.getColumn(1));
            const std::string kind = text(s.getColumn(2));
            x.kind = kind == "kit"                ? SkuKind::kit
                     : kind == "gift_certificate" ? SkuKind::gift_certificate
                     : kind == "club_membership"  ? SkuKind::club_membership
                                                  : SkuKind::product;
            const std::string method = text(s.getColumn(3));
            x.method = method == "jit"        ? Method::jit
                       : method == "dropship" ? Method::dropship
                                              : Method::stock;
            x.default_vendor = opt_id(s.getColumn(4));
            r.skus.emplace(x.id, std::move(x));
        }
        SQLite::Statement v(d,
                            "SELECT id, name, default_po_method, default_po_template, active FROM vendors");
        while (v.executeStep()) {
            Vendor x;
            x.id = v.getColumn(0).getInt64();
            x.name = text(v.getColumn(1));
            if (!v.getColumn(2).isNull()) x.po_method = text(v.getColumn(2));
            if (!v.getColumn(3).isNull()) x.po_template = text(v.getColumn(3));
            x.active = v.getColumn(4).getInt64() != 0;
            r.vendors.emplace(x.id, std::move(x));
        }
        SQLite::Statement m(d, "SELECT id, is_cod FROM shipping_methods");
        while (m.executeStep())
            r.shipping_method_is_cod[m.getColumn(0).getInt64()] = m.getColumn(1).getInt64() != 0;
    } catch (const std::exception& e) {
        return db_error("read the reference tables", e);
    }
    return r;
}

Result<std::int64_t> SourcingRepository::count_in_statuses(const std::vector<StatusId>& statuses) {
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

Result<std::vector<SourcingOrder>> SourcingRepository::page_by_id(const std::vector<StatusId>& statuses,
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
            q = std::make_unique<SQLite::Statement>(impl_->db, std::string("SELECT ") + kOrderColumns +
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

Result<std::int64_t> SourcingRepository::snapshot_backordered(const std::vector<StatusId>& statuses) {
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
            "SELECT " OLMD_CREATED_AT ", o.id FROM allocations a JOIN order_items i ON i.id = a.order_item_id "
            "JOIN orders o ON o.id = i.order_id JOIN skus k ON k.id = i.sku_id "
            "WHERE (a.kind = 'backordered' OR (a.kind = 'po_queue' AND k.fulfillment_method = 'jit') OR "
            "(a.kind = 'dropship' AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id AND "
            "s.status = 'New'))) AND o.status_id IN (" +
            impl_->backorder_statuses + ")"));
    } catch (const std::exception& e) {
        return db_error("list the orders with backorders", e);
    }
}

Result<std::vector<SourcingOrder>> SourcingRepository::page_backordered(const std::string& after_created,
                                                                        RowId after_id, int limit) {
    std::vector<SourcingOrder> out;
    try {
        auto& q = impl_->backorder_pages[impl_->backorder_statuses];
        if (!q)
            q = std::make_unique<SQLite::Statement>(
                impl_->db,
                std::string("SELECT ") + kOrderColumns +
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

Result<std::optional<SourcingOrder>> SourcingRepository::read_order(OrderId id) {
    try {
        SQLite::Statement q(impl_->db,
                            std::string("SELECT ") + kOrderColumns + " FROM orders o WHERE o.id = ?1");
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

Result<std::vector<InventoryRow>> SourcingRepository::inventory(const std::vector<RowId>& skus) {
    std::vector<InventoryRow> out;
    if (skus.empty()) return out;
    try {
        auto& q = impl_->inventory;
        q.tryReset();
        q.bind(1, json_ids(skus));
        while (q.executeStep())
            out.push_back(InventoryRow{q.getColumn(0).getInt64(), q.getColumn(1).getInt64(),
                                       q.getColumn(2).getInt64(), q.getColumn(3).getInt64()});
        q.tryReset();
    } catch (const std::exception& e) {
        return db_error("read inventory", e);
    }
    return out;
}

Result<std::vector<VendorStockRow>> SourcingRepository::vendor_stock(const std::vector<RowId>& skus) {
    std::vector<VendorStockRow> out;
    if (skus.empty()) return out;
    try {
        auto& q = impl_->vendor_stock;
        q.tryReset();
        q.bind(1, json_ids(skus));
        while (q.executeStep())
            out.push_back(VendorStockRow{q.getColumn(0).getInt64(), q.getColumn(1).getInt64(),
                                         q.getColumn(2).getInt64()});
        q.tryReset();
    } catch (const std::exception& e) {
        return db_error("read vendor_stock", e);
    }
    return out;
}

Result<std::optional<LatLon>> SourcingRepository::zip_centroid(const std::string& zip5) {
    try {
        auto& q = impl_->zip;
        q.tryReset();
        q.bind(1, zip5);
        if (!q.executeStep()) {
            q.tryReset();
            return std::optional<LatLon>{};
        }
        LatLon p{q.getColumn(0).getDouble(), q.getColumn(1).getDouble()};
        q.tryReset();
        return std::optional<LatLon>{p};
    } catch (const std::exception& e) {
        return db_error("read zip_codes", e);
    }
}

Result<PaymentTotals> SourcingRepository::payment_totals(OrderId id, const std::string& valid_after) {
    try {
        auto& q = impl_->payments;
        q.tryReset();
        q.bind(1, static_cast<std::int64_t>(id));
        q.bind(2, valid_after);
        PaymentTotals p;
        if (q.executeStep()) {
            p.paid_cents = q.getColumn(0).getInt64();
            p.open_auth_cents = q.getColumn(1).getInt64();
            p.valid_open_auth_cents = q.getColumn(2).getInt64();
            p.card_payment_id = opt_id(q.getColumn(3));
            p.card_token = text(q.getColumn(4));
            p.customer_ref = text(q.getColumn(5));
        }
        q.tryReset();
        return p;
    } catch (const std::exception& e) {
        return db_error("read the order's payments", e);
    }
}

Result<RowId> SourcingRepository::insert_rts_payment(RowId card_payment, std::int64_t amount_cents,
                                                     const std::string& now_text) {
    try {
        SQLite::Statement q(
            impl_->db,
            "INSERT INTO payments (order_id, method, status, amount_cents, captured_cents, card_token, "
            "customer_ref, created_at) SELECT order_id, 'credit_card', 'pending', ?1, 0, card_token, "
            "customer_ref, ?2 FROM payments WHERE id = ?3");
        q.bind(1, static_cast<std::int64_t>(amount_cents));
        q.bind(2, now_text);
        q.bind(3, static_cast<std::int64_t>(card_payment));
        if (q.exec() != 1) return Error{"payment " + std::to_string(card_payment) + " is gone"};
        return static_cast<RowId>(impl_->db.getLastInsertRowid());
    } catch (const std::exception& e) {
        return db_error("insert the ready-to-ship payment", e);
    }
}

Result<bool> SourcingRepository::has_open_rts_authorization(OrderId id) {
    try {
        SQLite::Statement q(
            impl_->db,
            "SELECT EXISTS (SELECT 1 FROM gateway_operations g JOIN payments p ON p.id = g.payment_id "
            "WHERE p.order_id = ?1 AND g.purpose = 'rts_authorize' AND g.state IN ('pending', 'unknown'))");
        q.bind(1, static_cast<std::int64_t>(id));
        q.executeStep();
        return q.getColumn(0).getInt64() != 0;
    } catch (const std::exception& e) {
        return db_error("read the gateway journal", e);
    }
}

}  // namespace olmd::store
