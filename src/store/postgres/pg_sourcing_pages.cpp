// The PostgreSQL sourcing repository's order reads (pg_sourcing.hpp): pages by id, the SRC-14
// snapshot in a TEMP table of the session and its pages, one order; a page is one query for the
// orders and one query each for their lines, allocations, reservations, New shipments and shipment
// items, the page's ids bound as one bigint[] (as sourcing_pages.cpp does on SQLite).
#include <unordered_map>

#include "store/postgres/pg_ports.hpp"
#include "store/postgres/pg_sourcing.hpp"

namespace olmd::store {

using namespace olmd::domain::sourcing;
using namespace olmd::store::pg_checks;

namespace {

AllocKind alloc_kind(const std::string& s) {
    if (s == "backordered") return AllocKind::backordered;
    if (s == "po_queue") return AllocKind::po_queue;
    if (s == "dropship") return AllocKind::dropship;
    return AllocKind::assigned;
}

std::string id_key(const char* table, RowId id) { return std::string(table) + ".id=" + std::to_string(id); }

const std::string kTemp = "olmd_sourcing_backorders";

}  // namespace

domain::sourcing::BadField pg_checks::parse(const pqxx::field& f, const std::string& table, const std::string& key) {
    BadField b;
    if (f.is_null()) return b;
    const std::string s = f.as<std::string>();
    const auto at = s.find('=');
    if (at == std::string::npos) return b;
    b.field = table + "." + s.substr(0, at) + ":" + key;
    b.value = s.substr(at + 1);
    return b;
}

void prepare_once(pqxx::connection_base& conn, const std::string& name, const std::string& sql) {
    try {
        conn.prepare(name, sql);
    } catch (const pqxx::argument_error&) {
        // Already prepared on this connection by an earlier repository: the same text.
    }
}

const std::string& pg_sourcing_order_columns() {
    // SQLite checks status_id, channel_id, shipping_method_id, is_club and created_at by typeof();
    // on PostgreSQL their types hold, so only the range of grand_total_cents is left to check.
    static const std::string s =
        "o.id, o.order_number, o.status_id, o.channel_id, o.shipping_method_id, " + pg_utc_text("o.created_at") +
        ", o.grand_total_cents, o.ship_country, o.ship_state, o.ship_zip, o.is_club, " +
        first_bad({check("grand_total_cents", "o.grand_total_cents", in_range("o.grand_total_cents", "0", kCents))});
    return s;
}

SourcingOrder pg_sourcing_order_row(const pqxx::row& r) {
    SourcingOrder o;
    o.id = r[0].as<OrderId>();
    o.number = text(r[1]);
    o.status_id = r[2].as<StatusId>();
    o.channel_id = r[3].as<RowId>();
    o.shipping_method_id = opt_id(r[4]);
    o.created_at = text(r[5]);
    o.grand_total_cents = r[6].as<std::int64_t>();
    o.ship_country = text(r[7]);
    o.ship_state = text(r[8]);
    o.ship_zip = text(r[9]);
    o.is_club = r[10].as<bool>();
    o.bad = parse(r[11], "orders", "orders.id=" + std::to_string(o.id));
    return o;
}

PgSourcing::PgSourcing(PgDatabase& db) : db_(db) {}

void PgSourcing::prepare() {
    if (prepared_) return;
    pqxx::connection_base& c = db_.impl().conn;
    const std::string of_page = " = ANY($1::bigint[])";
    prepare_once(c, "olmd_src_count", "SELECT count(*) FROM orders WHERE status_id = ANY($1::bigint[])");
    prepare_once(c, "olmd_src_page",
                 "SELECT " + pg_sourcing_order_columns() +
                     " FROM orders o WHERE o.status_id = ANY($1::bigint[]) AND o.id > $2 ORDER BY o.id LIMIT $3");
    prepare_once(c, "olmd_src_order", "SELECT " + pg_sourcing_order_columns() + " FROM orders o WHERE o.id = $1");
    prepare_once(c, "olmd_src_lines",
                 "SELECT i.order_id, i.id, i.sku_id, i.quantity, i.unit_price_cents, i.parent_item_id, " +
                     first_bad({check("quantity", "i.quantity", in_range("i.quantity", "1", kUnits)),
                                check("unit_price_cents", "i.unit_price_cents",
                                      in_range("i.unit_price_cents", "0", kCents))}) +
                     " FROM order_items i WHERE i.order_id" + of_page + " ORDER BY i.order_id, i.id");
    prepare_once(c, "olmd_src_allocations",
                 "SELECT i.order_id, a.id, a.order_item_id, a.kind, a.quantity, a.warehouse_id, a.vendor_id, "
                 "a.shipment_id, " +
                     first_bad({check("quantity", "a.quantity", in_range("a.quantity", "1", kUnits))}) +
                     " FROM order_items i JOIN allocations a ON a.order_item_id = i.id WHERE i.order_id" + of_page +
                     " ORDER BY a.id");
    prepare_once(c, "olmd_src_reservations",
                 "SELECT i.order_id, r.id, r.order_item_id, r.warehouse_id, r.quantity, " +
                     first_bad({check("quantity", "r.quantity", in_range("r.quantity", "1", kUnits))}) +
                     " FROM order_items i JOIN reservations r ON r.order_item_id = i.id WHERE i.order_id" +
                     of_page + " ORDER BY r.id");
    prepare_once(c, "olmd_src_shipments",
                 "SELECT s.order_id, s.id, s.warehouse_id FROM shipments s WHERE s.order_id" + of_page +
                     " AND s.status = 'New' ORDER BY s.id");
    prepare_once(c, "olmd_src_shipment_units",
                 "SELECT s.order_id, si.order_item_id, si.quantity, s.status = 'New', s.id, " +
                     first_bad({check("quantity", "si.quantity", in_range("si.quantity", "1", kUnits))}) +
                     " FROM shipments s JOIN shipment_items si ON si.shipment_id = s.id WHERE s.order_id" + of_page +
                     " ORDER BY s.id, si.order_item_id");
    prepare_pg_sourcing_stock(c);
    prepare_pg_sourcing_writes(c);
    prepared_ = true;
}

std::vector<SourcingOrder> PgSourcing::orders_of(pqxx::transaction_base& t, const pqxx::result& r) {
    std::vector<SourcingOrder> out;
    out.reserve(r.size());
    for (const auto& row : r) out.push_back(pg_sourcing_order_row(row));
    load_details(t, out);
    return out;
}

void PgSourcing::load_details(pqxx::transaction_base& t, std::vector<SourcingOrder>& orders) {
    if (orders.empty()) return;
    std::unordered_map<OrderId, std::size_t> at;
    std::vector<RowId> ids;
    ids.reserve(orders.size());
    for (std::size_t i = 0; i < orders.size(); ++i) {
        at.emplace(orders[i].id, i);
        ids.push_back(orders[i].id);
    }
    const std::string array = pg_id_array(ids);
    auto each = [&](const char* name, auto&& fn) {
        for (const auto& row : t.exec_prepared(name, array)) {
            auto it = at.find(row[0].as<OrderId>());
            if (it != at.end()) fn(orders[it->second], row);
        }
    };
    each("olmd_src_lines", [](SourcingOrder& o, const pqxx::row& r) {
        const RowId id = r[1].as<RowId>();
        o.lines.push_back(OrderLine{id, r[2].as<RowId>(), r[3].as<std::int64_t>(), r[4].as<std::int64_t>(),
                                    opt_id(r[5]), parse(r[6], "order_items", id_key("order_items", id))});
    });
    each("olmd_src_allocations", [](SourcingOrder& o, const pqxx::row& r) {
        const RowId id = r[1].as<RowId>();
        o.allocations.push_back(Allocation{id, r[2].as<RowId>(), alloc_kind(text(r[3])), r[4].as<std::int64_t>(),
                                           opt_id(r[5]), opt_id(r[6]), opt_id(r[7]),
                                           parse(r[8], "allocations", id_key("allocations", id))});
    });
    each("olmd_src_reservations", [](SourcingOrder& o, const pqxx::row& r) {
        const RowId id = r[1].as<RowId>();
        o.reservations.push_back(Reservation{id, r[2].as<RowId>(), r[3].as<RowId>(), r[4].as<std::int64_t>(),
                                             parse(r[5], "reservations", id_key("reservations", id))});
    });
    each("olmd_src_shipments", [](SourcingOrder& o, const pqxx::row& r) {
        o.new_shipments.push_back(NewShipment{r[1].as<RowId>(), r[2].as<RowId>(), {}});
    });
    each("olmd_src_shipment_units", [](SourcingOrder& o, const pqxx::row& r) {
        const bool is_new = r[3].as<bool>();
        const RowId line = r[1].as<RowId>();
        o.shipment_units.push_back(
            ShippedUnits{line, r[2].as<std::int64_t>(), is_new,
                         parse(r[5], "shipment_items",
                               "shipment_items.shipment_id=" + std::to_string(r[4].as<RowId>()) +
                                   ",order_item_id=" + std::to_string(line))});
        o.any_shipment_left = o.any_shipment_left || !is_new;
    });
}

Result<std::int64_t> PgSourcing::count_in_statuses(const std::vector<StatusId>& statuses) {
    if (statuses.empty()) return std::int64_t{0};
    try {
        prepare();
        return in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
            return t.exec_prepared1("olmd_src_count", pg_id_array(statuses))[0].as<std::int64_t>();
        });
    } catch (const std::exception& e) {
        return pg_error(db_, "sourcing: cannot count the eligible orders", e);
    }
}

Result<std::vector<SourcingOrder>> PgSourcing::page_by_id(const std::vector<StatusId>& statuses, RowId after_id,
                                                          int limit) {
    if (statuses.empty()) return std::vector<SourcingOrder>{};
    try {
        prepare();
        return in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
            return orders_of(t, t.exec_prepared("olmd_src_page", pg_id_array(statuses), after_id, limit));
        });
    } catch (const std::exception& e) {
        return pg_error(db_, "sourcing: cannot read a page of orders", e);
    }
}

Result<std::int64_t> PgSourcing::snapshot_backordered(const std::vector<StatusId>& statuses) {
    try {
        prepare();
        return in_transaction(db_.impl(), [&](pqxx::transaction_base& t) -> std::int64_t {
            // The snapshot lives as long as the session (the connection), as SQLite's TEMP table does.
            // Created only when missing, so that no NOTICE is printed for every run.
            if (t.exec("SELECT to_regclass('pg_temp." + kTemp + "') IS NULL")[0][0].as<bool>())
                t.exec("CREATE TEMP TABLE IF NOT EXISTS " + kTemp +
                       " (created_at text COLLATE \"C\" NOT NULL, id bigint NOT NULL, PRIMARY KEY (created_at, id))");
            t.exec("DELETE FROM pg_temp." + kTemp);
            backorder_statuses_ = pg_id_array(statuses);
            if (statuses.empty()) return 0;
            // SRC-14: backordered units and jit units on the purchase-order queue; SRC-16: drop-ship units
            // of orders none of whose shipments is New any more (the rules decide the rest).
            return static_cast<std::int64_t>(
                t.exec_params("INSERT INTO pg_temp." + kTemp + " (created_at, id) SELECT DISTINCT " +
                                  pg_utc_text("o.created_at") +
                                  ", o.id FROM allocations a JOIN order_items i ON i.id = a.order_item_id "
                                  "JOIN orders o ON o.id = i.order_id JOIN skus k ON k.id = i.sku_id "
                                  "WHERE (a.kind = 'backordered' OR (a.kind = 'po_queue' AND k.fulfillment_method = "
                                  "'jit') OR (a.kind = 'dropship' AND NOT EXISTS (SELECT 1 FROM shipments s WHERE "
                                  "s.order_id = o.id AND s.status = 'New'))) AND o.status_id = ANY($1::bigint[]) "
                                  "ON CONFLICT DO NOTHING",
                              backorder_statuses_)
                    .affected_rows());
        });
    } catch (const std::exception& e) {
        return pg_error(db_, "sourcing: cannot list the orders with backorders", e);
    }
}

Result<std::vector<SourcingOrder>> PgSourcing::page_backordered(const std::string& after_created, RowId after_id,
                                                                int limit) {
    try {
        prepare();
        return in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
            // Not prepared: the TEMP table may not exist when the repository prepares its statements.
            return orders_of(
                t, t.exec_params("SELECT " + pg_sourcing_order_columns() + " FROM pg_temp." + kTemp +
                                     " t JOIN orders o ON o.id = t.id WHERE (t.created_at > $1 OR (t.created_at = $1 "
                                     "AND t.id > $2)) AND o.status_id = ANY($3::bigint[]) ORDER BY t.created_at, t.id "
                                     "LIMIT $4",
                                 after_created, after_id, backorder_statuses_, limit));
        });
    } catch (const std::exception& e) {
        return pg_error(db_, "sourcing: cannot read a page of orders with backorders", e);
    }
}

Result<std::optional<SourcingOrder>> PgSourcing::read_order(OrderId id) {
    try {
        prepare();
        return in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
            auto one = orders_of(t, t.exec_prepared("olmd_src_order", id));
            if (one.empty()) return std::optional<SourcingOrder>{};
            return std::optional<SourcingOrder>{std::move(one.front())};
        });
    } catch (const std::exception& e) {
        return pg_error(db_, "sourcing: cannot read the order", e);
    }
}

std::unique_ptr<domain::SourcingRepository> make_pg_sourcing(PgDatabase& db) {
    return std::make_unique<PgSourcing>(db);
}

}  // namespace olmd::store
