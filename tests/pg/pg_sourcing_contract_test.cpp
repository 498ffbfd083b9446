// PG-1: the PostgreSQL sourcing repository (make_pg_sourcing) behaves exactly like SqliteSourcing. The
// same rows (explicit ids, the sequences then moved past them) go into a SQLite test database and a
// fresh PostgreSQL one; every read is compared field by field, the same plans are applied on both and
// the tables they write are compared row by row (SRC-7..SRC-11, SRC-14, SRC-15); SRC-10's guard keeps
// inventory.allocated within on_hand; writes inside an open batch go with its rollback.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "olmd/store/pg_database.hpp"
#include "olmd/store/pg_migrations.hpp"
#include "olmd/store/sourcing_repository.hpp"
#include "pg/pg_test_server.hpp"
#include "store/postgres/pg_impl.hpp"
#include "store/postgres/pg_ports.hpp"
#include "support/test_db.hpp"

namespace olmd::test {
namespace {

using namespace olmd::domain::sourcing;

const char* const kNow = "2026-11-22T12:00:00Z";
constexpr RunId kRun = 2;

/// Rows both stores get, in SQL both accept (TRUE/FALSE are 1/0 on SQLite; UTC text timestamps).
const std::vector<std::string> kRows = {
    "INSERT INTO shipping_methods (id, name, is_cod) VALUES (101, 'Ground', FALSE), (102, 'COD Ground', TRUE)",
    "INSERT INTO zip_codes (zip, state, latitude, longitude) VALUES ('12866', 'NY', 43.0812, -73.7845), "
    "('10001', 'NY', 40.7506, -73.9972)",
    "INSERT INTO warehouses (id, name, priority, postal_code, latitude, longitude, active) VALUES "
    "(1, 'East', 0, NULL, 42.5, -73.5, TRUE), (2, 'ByZip', 1, ' 12866-4321', NULL, NULL, TRUE), "
    "(3, 'Closed', 2, NULL, NULL, NULL, FALSE), (4, 'Nowhere', 1, '99999', 41.0, NULL, TRUE)",
    "INSERT INTO vendors (id, name, default_po_method, default_po_template, active) VALUES "
    "(1, 'Acme', 'email', 'standard_po', TRUE), (2, 'Idle', NULL, NULL, FALSE)",
    "INSERT INTO skus (id, code, kind, fulfillment_method, default_vendor_id) VALUES "
    "(1, 'P1', 'product', 'stock', NULL), (2, 'J1', 'product', 'jit', 1), (3, 'D1', 'product', 'dropship', 1), "
    "(4, 'K1', 'kit', 'stock', NULL), (5, 'C1', 'product', 'stock', NULL), (6, 'G1', 'gift_certificate', 'stock', "
    "NULL), (7, 'M1', 'club_membership', 'stock', NULL)",
    // (2, 5): on_hand past 10^9 (bad data on both: the range is checked by value).
    "INSERT INTO inventory (warehouse_id, sku_id, on_hand, allocated) VALUES (1, 1, 10, 3), (2, 1, 5, 0), "
    "(1, 5, 4, 1), (2, 5, 2000000000, 0), (1, 2, 5, 0), (4, 6, 1, 0)",
    "INSERT INTO vendor_stock (vendor_id, sku_id, quantity) VALUES (1, 2, 50), (1, 3, 7), (2, 3, 2000000000), "
    "(2, 2, 4)",
    "INSERT INTO automation_runs (id, fire_at, started_at, jobs, outcome, \"trigger\", host) VALUES "
    "(1, '2026-11-21T12:00:00Z', '2026-11-21T12:00:00Z', 'sourcing', 'succeeded', 'manual', 'test'), "
    "(2, '2026-11-22T12:00:00Z', '2026-11-22T12:00:00Z', 'sourcing', 'running', 'manual', 'test')",
    "INSERT INTO orders (id, order_number, channel_id, status_id, shipping_method_id, created_at, "
    "grand_total_cents, is_club, ship_country, ship_state, ship_zip, updated_at) VALUES "
    "(1, 'S-1', (SELECT id FROM channels WHERE name = 'Website'), (SELECT id FROM order_statuses WHERE name = 'Ready to Source'), 101, '2026-11-20T10:00:00Z', 10000, FALSE, 'US', 'NY', '12866', '2026-11-20T10:00:00Z'), "
    "(2, 'S-2', (SELECT id FROM channels WHERE name = 'Website'), (SELECT id FROM order_statuses WHERE name = 'Ready to Source'), NULL, '2026-11-19T09:00:00Z', 500, TRUE, NULL, NULL, NULL, '2026-11-19T09:00:00Z'), "
    "(3, 'S-3', (SELECT id FROM channels WHERE name = 'Website'), (SELECT id FROM order_statuses WHERE name = 'Awaiting Inventory'), 102, '2026-11-18T08:00:00Z', 4000, FALSE, 'US', 'NY', '10001', '2026-11-18T08:00:00Z'), "
    "(4, 'S-4', (SELECT id FROM channels WHERE name = 'Website'), (SELECT id FROM order_statuses WHERE name = 'Awaiting Inventory'), 101, '2026-11-18T08:00:00Z', 2000, FALSE, 'CA', 'ON', 'K1A', '2026-11-18T08:00:00Z'), "
    "(5, 'S-5', (SELECT id FROM channels WHERE name = 'Website'), (SELECT id FROM order_statuses WHERE name = 'Awaiting Drop-ship Confirmation'), 101, '2026-11-17T08:00:00Z', 100, FALSE, 'US', 'NY', '12866', '2026-11-17T08:00:00Z'), "
    "(6, 'S-6', (SELECT id FROM channels WHERE name = 'Website'), (SELECT id FROM order_statuses WHERE name = 'Ready to Source'), 101, '2026-11-21T08:00:00Z', 2000000000000000, FALSE, 'US', 'NY', '12866', '2026-11-21T08:00:00Z'), "
    "(7, 'S-7', (SELECT id FROM channels WHERE name = 'Website'), (SELECT id FROM order_statuses WHERE name = 'On Hold'), 101, '2026-11-16T08:00:00Z', 0, FALSE, 'US', 'NY', '12866', '2026-11-16T08:00:00Z')",
    "INSERT INTO order_items (id, order_id, sku_id, quantity, unit_price_cents, parent_item_id) VALUES "
    "(1, 1, 1, 3, 1000, NULL), (2, 1, 4, 1, 5000, NULL), (3, 1, 5, 2, 0, 2), (4, 2, 2, 2, 700, NULL), "
    "(5, 3, 1, 4, 100, NULL), (6, 4, 2, 2, 100, NULL), (7, 5, 3, 1, 100, NULL), (8, 6, 1, 2000000000, 1, NULL), "
    "(9, 7, 6, 1, 2000000000000000, NULL), (10, 1, 3, 1, 300, NULL)",
    "INSERT INTO reservations (id, order_item_id, warehouse_id, quantity) VALUES (1, 1, 1, 2), (2, 8, 2, 3)",
    "INSERT INTO shipments (id, order_id, warehouse_id, status, run_id, created_at) VALUES "
    "(1, 5, 1, 'Shipped', 1, '2026-11-21T12:00:00Z'), (2, 7, 1, 'New', 1, '2026-11-21T12:00:00Z'), "
    "(3, 1, 2, 'New', 1, '2026-11-21T12:00:00Z')",
    "INSERT INTO shipment_items (shipment_id, order_item_id, quantity) VALUES (1, 7, 1), (2, 9, 1)",
    "INSERT INTO allocations (id, order_item_id, kind, quantity, warehouse_id, vendor_id, shipment_id, run_id, "
    "created_at) VALUES (1, 5, 'backordered', 4, 1, NULL, NULL, 1, '2026-11-21T12:00:00Z'), "
    "(2, 6, 'po_queue', 2, NULL, 1, NULL, 1, '2026-11-21T12:00:00Z'), "
    "(3, 7, 'dropship', 1, NULL, 1, NULL, 1, '2026-11-21T12:00:00Z'), "
    "(5, 9, 'assigned', 1, 1, NULL, 2, 1, '2026-11-21T12:00:00Z'), "
    "(900, 9, 'backordered', 3000000000, 2, NULL, NULL, 1, '2026-11-21T12:00:00Z')",
    // Line 3: 2 * 10^9 units queued for (Acme, J1): vendor_stock (1, 2) names it.
    "INSERT INTO purchase_order_queue (id, order_item_id, sku_id, vendor_id, quantity, fulfillment_method, "
    "po_method, po_template, run_id, created_at) VALUES "
    "(1, 6, 2, 1, 2, 'jit', 'email', 'standard_po', 1, '2026-11-21T12:00:00Z'), "
    "(2, 7, 3, 1, 1, 'dropship', NULL, NULL, 1, '2026-11-21T12:00:00Z'), "
    "(3, 4, 2, 1, 2000000000, 'jit', NULL, NULL, 1, '2026-11-21T12:00:00Z'), "
    "(4, 6, 2, 1, 1, 'jit', NULL, NULL, 1, '2026-11-21T12:00:00Z')",
    "INSERT INTO payments (id, order_id, method, status, amount_cents, captured_cents, card_token, customer_ref, "
    "created_at, authorized_at) VALUES "
    "(1, 1, 'credit_card', 'authorized', 5000, 1000, 'tok1', 'cus1', '2026-11-20T10:00:00Z', '2026-11-20T10:00:05Z'), "
    "(2, 1, 'credit_card', 'captured', 3000, 3000, 'tok2', NULL, '2026-11-10T10:00:00Z', NULL), "
    "(3, 1, 'check', 'settled', 700, 0, NULL, NULL, '2026-11-20T10:00:00Z', NULL), "
    "(4, 1, 'credit_card', 'voided', 100, 0, 'tok4', 'cus4', '2026-11-21T10:00:00Z', NULL), "
    "(5, 1, 'credit_card', 'authorized', 900, 0, 'tok5', 'cus5', '2026-11-01T10:00:00Z', '2026-11-01T10:00:00Z'), "
    "(6, 2, 'credit_card', 'authorized', 2000000000000000, 0, 'tok6', NULL, '2026-11-20T10:00:00Z', NULL), "
    "(7, 3, 'paypal', 'settled', 100, 0, NULL, NULL, '2026-11-20T10:00:00Z', NULL)",
    "INSERT INTO gateway_operations (id, payment_id, operation, amount_cents, idempotency_key, state, run_id, "
    "created_at, purpose) VALUES (1, 1, 'authorize', 5000, 'k1', 'pending', 2, '2026-11-22T12:00:00Z', "
    "'rts_authorize'), (2, 7, 'authorize', 100, 'k2', 'succeeded', 2, '2026-11-22T12:00:00Z', 'rts_authorize')",
};

const std::vector<std::string> kIdTables = {"shipping_methods", "warehouses", "vendors", "skus", "automation_runs",
                                            "orders", "order_items", "reservations", "shipments", "allocations",
                                            "purchase_order_queue", "payments", "gateway_operations"};

/// A table as both stores hold it, rows in a fixed order; ts: columns holding timestamps.
struct TableSpec {
    std::string table, columns, order_by;
    std::vector<std::string> ts;
};

const std::vector<TableSpec> kTables = {
    {"allocations", "id, order_item_id, kind, quantity, warehouse_id, vendor_id, shipment_id, run_id, created_at", "id",
     {"created_at"}},
    {"shipments", "id, order_id, warehouse_id, status, run_id, created_at", "id", {"created_at"}},
    {"shipment_items", "shipment_id, order_item_id, quantity", "shipment_id, order_item_id", {}},
    {"inventory", "warehouse_id, sku_id, on_hand, allocated", "warehouse_id, sku_id", {}},
    {"reservations", "id, order_item_id, warehouse_id, quantity", "id", {}},
    {"purchase_order_queue",
     "id, order_item_id, sku_id, vendor_id, quantity, fulfillment_method, po_method, po_template, run_id, created_at",
     "id",
     {"created_at"}},
    {"payments", "id, order_id, method, status, amount_cents, captured_cents, card_token, customer_ref, created_at",
     "id",
     {"created_at"}},
};

std::string dbl(double v) {
    char b[64];
    std::snprintf(b, sizeof b, "%.17g", v);
    return b;
}
template <class T>
std::string opt(const std::optional<T>& v) {
    if (!v) return "null";
    if constexpr (std::is_same_v<T, double>)
        return dbl(*v);
    else if constexpr (std::is_same_v<T, std::string>)
        return *v;
    else
        return std::to_string(*v);
}
std::string bad(const BadField& b) { return b ? "[" + b.field + "=" + b.value + (b.dangling ? "#" : "") + "]" : ""; }

std::string dump(const ReferenceData& r) {
    std::ostringstream s;
    for (const auto& w : r.warehouses)
        s << "W " << w.id << ' ' << w.name << ' ' << w.priority << ' ' << opt(w.latitude) << ' ' << opt(w.longitude)
          << ' ' << w.located_by_postal_code << ' ' << w.active << bad(w.bad) << '\n';
    std::vector<RowId> ids;
    for (const auto& [id, k] : r.skus) ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    for (RowId id : ids) {
        const Sku& k = r.skus.at(id);
        s << "K " << k.id << ' ' << k.code << ' ' << int(k.kind) << ' ' << int(k.method) << ' '
          << opt(k.default_vendor) << bad(k.bad) << '\n';
    }
    ids.clear();
    for (const auto& [id, v] : r.vendors) ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    for (RowId id : ids) {
        const Vendor& v = r.vendors.at(id);
        s << "V " << v.id << ' ' << v.name << ' ' << opt(v.po_method) << ' ' << opt(v.po_template) << ' ' << v.active
          << bad(v.bad) << '\n';
    }
    std::vector<std::pair<RowId, bool>> cod(r.shipping_method_is_cod.begin(), r.shipping_method_is_cod.end());
    std::sort(cod.begin(), cod.end());
    for (const auto& [id, c] : cod) s << "M " << id << ' ' << c << '\n';
    s << "Mbad " << r.shipping_method_bad.size() << '\n';
    for (const auto* set : {&r.statuses, &r.channels}) {
        std::vector<RowId> v(set->begin(), set->end());
        std::sort(v.begin(), v.end());
        s << "S";
        for (RowId id : v) s << ' ' << id;
        s << '\n';
    }
    return s.str();
}

std::string dump(const SourcingOrder& o) {
    std::ostringstream s;
    s << "O " << o.id << ' ' << o.number << ' ' << o.status_id << ' ' << o.channel_id << ' '
      << opt(o.shipping_method_id) << ' ' << o.created_at << ' ' << o.grand_total_cents << ' ' << o.is_club << " ["
      << o.ship_country << '|' << o.ship_state << '|' << o.ship_zip << "] left=" << o.any_shipment_left << bad(o.bad)
      << '\n';
    for (const auto& l : o.lines)
        s << " L " << l.id << ' ' << l.sku_id << ' ' << l.quantity << ' ' << l.unit_price_cents << ' '
          << opt(l.parent_id) << bad(l.bad) << '\n';
    for (const auto& a : o.allocations)
        s << " A " << a.id << ' ' << a.line_id << ' ' << int(a.kind) << ' ' << a.quantity << ' ' << opt(a.warehouse_id)
          << ' ' << opt(a.vendor_id) << ' ' << opt(a.shipment_id) << bad(a.bad) << '\n';
    for (const auto& r : o.reservations)
        s << " R " << r.id << ' ' << r.line_id << ' ' << r.warehouse_id << ' ' << r.quantity << bad(r.bad) << '\n';
    for (const auto& n : o.new_shipments) s << " N " << n.id << ' ' << n.warehouse_id << bad(n.bad) << '\n';
    for (const auto& u : o.shipment_units)
        s << " U " << u.line_id << ' ' << u.quantity << ' ' << u.is_new << bad(u.bad) << '\n';
    return s.str();
}

std::string dump(const InventoryRow& r) {
    return "I " + std::to_string(r.sku_id) + ' ' + std::to_string(r.warehouse_id) + ' ' + std::to_string(r.on_hand) +
           ' ' + std::to_string(r.allocated) + bad(r.bad) + '\n';
}
std::string dump(const VendorStockRow& r) {
    return "VS " + std::to_string(r.sku_id) + ' ' + std::to_string(r.vendor_id) + ' ' + std::to_string(r.quantity) +
           bad(r.bad) + '\n';
}
std::string dump(const Centroid& c) {
    return c.at ? dbl(c.at->lat) + ',' + dbl(c.at->lon) + bad(c.bad) : "none" + bad(c.bad);
}
std::string dump(const PaymentTotals& p) {
    return std::to_string(p.paid_cents) + ' ' + std::to_string(p.open_auth_cents) + ' ' +
           std::to_string(p.valid_open_auth_cents) + ' ' + opt(p.card_payment_id) + ' ' + p.card_token + ' ' +
           p.customer_ref + bad(p.bad);
}

template <class T>
std::string dump_all(const std::vector<T>& v) {
    std::string s;
    for (const auto& x : v) s += dump(x);
    return s;
}

template <class T>
T must(Result<T> r) {
    if (!r) throw std::runtime_error(r.error().message);
    return std::move(*r);
}

class PgSourcingContract : public ::testing::Test {
protected:
    void SetUp() override {
        sqlite.allow_bad_rows();  // the out-of-range values SQLite's CHECKs refuse; PostgreSQL's bound only >= 0
        for (const auto& sql : kRows) sqlite.exec(sql);
        store::PgOpenOptions o;
        o.password_file = write_password_file(dir, "pgpass", pg_server().password);
        pg = must(store::PgDatabase::open(pgdb.uri(), o));
        ASSERT_TRUE(store::migrate_pg(*pg).ok());
        std::string all;
        for (const auto& sql : kRows) all += sql + ";\n";
        for (const auto& t : kIdTables)
            all += "SELECT setval(pg_get_serial_sequence('" + t + "', 'id'), (SELECT max(id) FROM " + t + "));\n";
        const Status loaded = pg->exec(all);
        ASSERT_TRUE(loaded.ok()) << loaded.error().message;
        lite_repo = must(store::SqliteSourcing::open(sqlite.db()));
        pg_repo = store::make_pg_sourcing(*pg);
        ASSERT_EQ(ids("SELECT id || ':' || name FROM order_statuses ORDER BY id"),
                  pg_ids("SELECT id || ':' || name FROM order_statuses ORDER BY id"));
    }
    std::string ids(const std::string& sql) {
        std::string s;
        SQLite::Statement q(sqlite.db().raw(), sql);
        while (q.executeStep()) s += q.getColumn(0).getString() + '\n';
        return s;
    }
    std::string pg_ids(const std::string& sql) {
        pqxx::work w(pg->impl().conn);
        std::string s;
        for (const auto& r : w.exec(sql)) s += r[0].as<std::string>() + '\n';
        return s;
    }
    StatusId status(const std::string& name) { return sqlite.status_id(name); }
    /// Every row of the written tables, as SQLite holds them.
    std::string lite_tables() {
        std::string s;
        for (const auto& t : kTables) {
            SQLite::Statement q(sqlite.db().raw(), "SELECT " + t.columns + " FROM " + t.table + " ORDER BY " + t.order_by);
            s += t.table + ":\n";
            while (q.executeStep()) {
                for (int i = 0; i < q.getColumnCount(); ++i)
                    s += (i ? "|" : "") + (q.getColumn(i).isNull() ? std::string("NULL") : q.getColumn(i).getString());
                s += '\n';
            }
        }
        return s;
    }
    /// The same on PostgreSQL (timestamps as UTC text), inside the open batch when there is one.
    std::string pg_tables() {
        return store::in_transaction(pg->impl(), [&](pqxx::transaction_base& w) {
            std::string s;
            for (const auto& t : kTables) {
                std::string cols = t.columns;
                for (const auto& c : t.ts) cols.replace(cols.find(c), c.size(), store::pg_utc_text(c));
                s += t.table + ":\n";
                for (const auto& r : w.exec("SELECT " + cols + " FROM " + t.table + " ORDER BY " + t.order_by)) {
                    for (pqxx::row::size_type i = 0; i < r.size(); ++i)
                        s += (i ? "|" : "") + (r[i].is_null() ? std::string("NULL") : r[i].as<std::string>());
                    s += '\n';
                }
            }
            return s;
        });
    }
    /// Applies plan to order id on both stores (each reading the order itself), expecting the same outcome.
    void apply_both(OrderId id, const Plan& plan, const std::string& expect_error = "") {
        const auto lo = must(lite_repo->read_order(id));
        const auto po = must(pg_repo->read_order(id));
        ASSERT_TRUE(lo && po);
        ASSERT_EQ(dump(*lo), dump(*po));
        const Status ls = lite_repo->apply(*lo, plan, kRun, kNow);
        const Status ps = pg_repo->apply(*po, plan, kRun, kNow);
        ASSERT_EQ(ls.ok(), ps.ok()) << (ls ? "" : ls.error().message) << " / " << (ps ? "" : ps.error().message);
        if (!ls) {
            EXPECT_EQ(ls.error().message, ps.error().message);
            EXPECT_NE(ls.error().message.find(expect_error), std::string::npos) << ls.error().message;
        }
    }

    TempDir dir;
    TestDb sqlite;
    PgTestDatabase pgdb;
    std::unique_ptr<store::PgDatabase> pg;
    std::unique_ptr<store::SqliteSourcing> lite_repo;
    std::unique_ptr<domain::SourcingRepository> pg_repo;
};

TEST_F(PgSourcingContract, PG1_SourcingReferenceAndStockReadsMatchSqlite) {
    EXPECT_EQ(dump(must(lite_repo->load_reference())), dump(must(pg_repo->load_reference())));
    const std::vector<RowId> skus = {1, 2, 3, 5, 6, 99};
    auto sorted = [](std::vector<InventoryRow> v) {  // SQLite names no order for inventory rows
        std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
            return std::pair(a.sku_id, a.warehouse_id) < std::pair(b.sku_id, b.warehouse_id);
        });
        return dump_all(v);
    };
    const std::string inv = sorted(must(lite_repo->inventory(skus)));
    EXPECT_NE(inv.find("inventory.on_hand:inventory.warehouse_id=2,sku_id=5"), std::string::npos) << inv;
    EXPECT_EQ(inv, sorted(must(pg_repo->inventory(skus))));
    const std::string vs = dump_all(must(lite_repo->vendor_stock(skus)));
    EXPECT_NE(vs.find("purchase_order_queue.id=3"), std::string::npos) << vs;
    EXPECT_EQ(vs, dump_all(must(pg_repo->vendor_stock(skus))));
    EXPECT_EQ(dump_all(must(lite_repo->inventory({}))), dump_all(must(pg_repo->inventory({}))));
    for (const char* zip : {"12866", "10001", "99999"})
        EXPECT_EQ(dump(must(lite_repo->zip_centroid(zip))), dump(must(pg_repo->zip_centroid(zip)))) << zip;
    for (OrderId id : {1, 2, 3, 4, 42}) {
        for (const char* after : {"2026-11-15T00:00:00Z", "2026-11-20T10:00:05Z", ""}) {
            const std::string l = dump(must(lite_repo->payment_totals(id, after)));
            EXPECT_EQ(l, dump(must(pg_repo->payment_totals(id, after)))) << id << " " << after;
        }
    }
    for (OrderId id : {1, 2, 3, 42}) {
        EXPECT_EQ(must(lite_repo->has_open_rts_authorization(id)), must(pg_repo->has_open_rts_authorization(id))) << id;
    }
    EXPECT_TRUE(must(pg_repo->has_open_rts_authorization(1)));
}

TEST_F(PgSourcingContract, PG1_SourcingPagesMatchSqlite) {
    const std::vector<std::vector<StatusId>> lists = {
        {status("Ready to Source")},
        {status("Ready to Source"), status("Awaiting Inventory"), status("Awaiting Drop-ship Confirmation"),
         status("On Hold")},
        {}};
    for (const auto& st : lists) {
        EXPECT_EQ(must(lite_repo->count_in_statuses(st)), must(pg_repo->count_in_statuses(st)));
        for (int limit : {1, 2, 3, 100}) {
            RowId after = 0;
            for (int pages = 0; pages < 20; ++pages) {
                const auto l = must(lite_repo->page_by_id(st, after, limit));
                const auto p = must(pg_repo->page_by_id(st, after, limit));
                ASSERT_EQ(dump_all(l), dump_all(p)) << "limit " << limit << " after " << after;
                if (l.empty()) break;
                after = l.back().id;
            }
        }
    }
    for (OrderId id : {1, 2, 3, 4, 5, 6, 7, 42}) {
        const auto l = must(lite_repo->read_order(id));
        const auto p = must(pg_repo->read_order(id));
        ASSERT_EQ(l.has_value(), p.has_value()) << id;
        if (l) {
            EXPECT_EQ(dump(*l), dump(*p)) << id;
        }
    }
    const std::string six = dump(*must(pg_repo->read_order(6)));
    EXPECT_NE(six.find("orders.grand_total_cents:orders.id=6=2000000000000000"), std::string::npos) << six;
    EXPECT_NE(six.find("order_items.quantity:order_items.id=8=2000000000"), std::string::npos) << six;
}

TEST_F(PgSourcingContract, SRC14_PgBackorderSnapshotPagesMatchSqlite) {
    for (const auto& st : std::vector<std::vector<StatusId>>{
             {status("Awaiting Inventory"), status("Awaiting Drop-ship Confirmation"), status("On Hold")},
             {status("Awaiting Inventory")},
             {}}) {
        const auto n = must(lite_repo->snapshot_backordered(st));
        EXPECT_EQ(n, must(pg_repo->snapshot_backordered(st)));
        for (int limit : {1, 2, 100}) {
            std::string after_created;
            RowId after = 0;
            std::string all;
            for (int pages = 0; pages < 20; ++pages) {
                const auto l = must(lite_repo->page_backordered(after_created, after, limit));
                const auto p = must(pg_repo->page_backordered(after_created, after, limit));
                ASSERT_EQ(dump_all(l), dump_all(p)) << "limit " << limit;
                if (l.empty()) break;
                all += dump_all(l);
                after_created = l.back().created_at;
                after = l.back().id;
            }
            if (st.size() == 3) {
                EXPECT_NE(all.find("S-5"), std::string::npos) << all;  // SRC-16
            }
        }
    }
}

/// The plans of the write tests: stock (with a reservation), a kit backorder, drop-ship queue lines, a
/// filled backorder, a jit receipt and a released drop-ship allocation.
void apply_plans(const std::function<void(OrderId, const Plan&)>& apply) {
    Plan one;
    one.assigns = {AssignStep{1, 1, 1, 2, RowId{1}, std::nullopt, AllocKind::backordered, std::nullopt},
                   AssignStep{1, 1, 1, 1, std::nullopt, std::nullopt, AllocKind::backordered, std::nullopt},
                   AssignStep{3, 5, 2, 2, std::nullopt, std::nullopt, AllocKind::backordered, std::nullopt}};
    one.backorders = {BackorderStep{2, 1, 1}};
    one.queued = {QueueStep{10, 3, 1, 1, Method::dropship, std::string("email"), std::string("standard_po")}};
    apply(1, one);
    Plan three;  // fills backorder 1 entirely: it goes
    three.assigns = {AssignStep{5, 1, 1, 4, std::nullopt, RowId{1}, AllocKind::backordered, std::nullopt}};
    apply(3, three);
    Plan four;  // a jit receipt: po_queue allocation 2 shrinks, queue lines 1 goes and 4 shrinks... (3 units)
    four.assigns = {AssignStep{6, 2, 1, 2, std::nullopt, RowId{2}, AllocKind::po_queue, RowId{1}}};
    four.queued = {QueueStep{6, 2, 2, 1, Method::jit, std::nullopt, std::nullopt}};
    apply(4, four);
    Plan five;
    five.releases = {ReleaseStep{3, 7, AllocKind::dropship, 1}};
    five.backorders = {BackorderStep{7, 2, 1}};
    apply(5, five);
    Plan one_again;  // a second assignment at warehouse 1 gets its own new shipment
    one_again.assigns = {AssignStep{1, 1, 2, 1, std::nullopt, std::nullopt, AllocKind::backordered, std::nullopt}};
    one_again.backorders = {BackorderStep{2, 1, 2}};
    apply(1, one_again);
}

TEST_F(PgSourcingContract, PG1_SourcingApplyWritesTheSameRows) {
    ASSERT_EQ(lite_tables(), pg_tables());
    apply_plans([&](OrderId id, const Plan& p) { apply_both(id, p); });
    const std::string rows = lite_tables();
    EXPECT_EQ(rows, pg_tables());
    // SRC-15: the new rows name the run.
    EXPECT_EQ(pgdb.value("SELECT count(*) FROM allocations WHERE id > 900 AND run_id = 2"), "9") << rows;
    EXPECT_EQ(pgdb.value("SELECT count(*) FROM shipments WHERE id > 3 AND run_id = 2"), "5") << rows;
    EXPECT_EQ(pgdb.value("SELECT count(*) FROM purchase_order_queue WHERE id > 4 AND run_id = 2"), "2") << rows;
    // Afterwards both stores read the same orders again.
    for (OrderId id : {1, 3, 4, 5}) EXPECT_EQ(dump(*must(lite_repo->read_order(id))), dump(*must(pg_repo->read_order(id))));
    // SRC-12's payment row.
    const auto l = must(lite_repo->insert_rts_payment(1, 1234, kNow));
    const auto p = must(pg_repo->insert_rts_payment(1, 1234, kNow));
    EXPECT_EQ(l, p);
    EXPECT_FALSE(lite_repo->insert_rts_payment(77, 1, kNow).ok());
    EXPECT_FALSE(pg_repo->insert_rts_payment(77, 1, kNow).ok());
    EXPECT_EQ(lite_tables(), pg_tables());
}

TEST_F(PgSourcingContract, PG1_SourcingApplyInsideABatchWritesTheSameRows) {
    SQLite::Transaction lt(sqlite.db().raw());
    pg->impl().batch = std::make_unique<pqxx::work>(pg->impl().conn);
    apply_plans([&](OrderId id, const Plan& p) { apply_both(id, p); });
    lt.commit();
    pg->impl().batch->commit();
    pg->impl().batch.reset();
    EXPECT_EQ(lite_tables(), pg_tables());
}

TEST_F(PgSourcingContract, PG1_StagedSourcingWritesTheSameRowsAsSqliteStaged) {
    // A batch's first attempt: every new row waits for flush_writes(), one statement per table; order 1
    // is planned twice, so two staged shipments share (order, warehouse) and must still get their own ids.
    SQLite::Transaction lt(sqlite.db().raw());
    pg->impl().batch = std::make_unique<pqxx::work>(pg->impl().conn);
    lite_repo->stage_writes(true);
    pg_repo->stage_writes(true);
    apply_plans([&](OrderId id, const Plan& p) { apply_both(id, p); });
    ASSERT_EQ(pgdb.value("SELECT count(*) FROM shipments"), "3");  // nothing new sent before the flush
    const Status ls = lite_repo->flush_writes();
    const Status ps = pg_repo->flush_writes();
    ASSERT_TRUE(ls.ok()) << ls.error().message;
    ASSERT_TRUE(ps.ok()) << ps.error().message;
    lt.commit();
    pg->impl().batch->commit();
    pg->impl().batch.reset();
    const std::string rows = lite_tables();
    EXPECT_EQ(rows, pg_tables());
    EXPECT_EQ(pgdb.value("SELECT count(*) FROM shipments WHERE id > 3 AND run_id = 2"), "5") << rows;
    EXPECT_EQ(pgdb.value("SELECT count(*) FROM allocations WHERE kind = 'assigned' AND shipment_id IS NULL"), "0")
        << rows;
    // Every item and assigned allocation is on a shipment of its own order.
    EXPECT_EQ(pgdb.value("SELECT count(*) FROM shipment_items si JOIN shipments s ON s.id = si.shipment_id "
                         "JOIN order_items i ON i.id = si.order_item_id WHERE i.order_id <> s.order_id"),
              "0");
    EXPECT_EQ(pgdb.value("SELECT count(DISTINCT shipment_id) FROM allocations WHERE kind = 'assigned' AND run_id = 2"),
              "5")
        << rows;
}

TEST_F(PgSourcingContract, SRC10_PgStagedInventoryGuardRefusesTheBatch) {
    // (1, 1): on_hand 10, allocated 3. Two orders take 4 units each: each fits alone, the batch does not.
    // Staged, the guard is checked once per (warehouse, SKU) at the flush, and the whole batch is refused.
    Plan four;
    four.assigns = {AssignStep{5, 1, 1, 4, std::nullopt, std::nullopt, AllocKind::backordered, std::nullopt}};
    Plan four_more = four;
    four_more.assigns[0].line_id = 1;
    const std::string before = pg_tables();
    {
        SQLite::Transaction lt(sqlite.db().raw());
        pg->impl().batch = std::make_unique<pqxx::work>(pg->impl().conn);
        lite_repo->stage_writes(true);
        pg_repo->stage_writes(true);
        apply_both(3, four);
        apply_both(1, four_more);
        const Status ls = lite_repo->flush_writes();
        const Status ps = pg_repo->flush_writes();
        ASSERT_FALSE(ls.ok());
        ASSERT_FALSE(ps.ok());
        EXPECT_EQ(ls.error().message, ps.error().message);
        EXPECT_NE(ps.error().message.find("(0 of 1 rows updated)"), std::string::npos) << ps.error().message;
        pg->impl().batch.reset();  // the caller's rollback
    }
    EXPECT_EQ(pg_tables(), before);
    EXPECT_EQ(pgdb.value("SELECT allocated FROM inventory WHERE warehouse_id = 1 AND sku_id = 1"), "3");
}

TEST_F(PgSourcingContract, SRC9_PgInventoryGuardNeverAboveOnHand) {
    // (1, 1): on_hand 10, allocated 3: 8 units cannot be taken, 7 can, then 1 more cannot.
    Plan too_many;
    too_many.assigns = {AssignStep{5, 1, 1, 8, std::nullopt, std::nullopt, AllocKind::backordered, std::nullopt}};
    {
        SQLite::Transaction lt(sqlite.db().raw());
        pg->impl().batch = std::make_unique<pqxx::work>(pg->impl().conn);
        apply_both(3, too_many, "inventory of sku 1 at warehouse 1 no longer has 8 available");
        pg->impl().batch.reset();  // the caller's rollback
    }
    // A sequence is not rolled back on PostgreSQL: move it back so that both stores give the next id.
    pgdb.exec("SELECT setval(pg_get_serial_sequence('shipments', 'id'), (SELECT max(id) FROM shipments))");
    EXPECT_EQ(lite_tables(), pg_tables());
    Plan seven = too_many;
    seven.assigns[0].quantity = 7;
    apply_both(3, seven);
    Plan one_more = too_many;
    one_more.assigns[0].quantity = 1;
    one_more.assigns[0].line_id = 1;
    apply_both(1, one_more, "no longer has 1 available");
    EXPECT_EQ(pgdb.value("SELECT count(*) FROM inventory WHERE allocated > on_hand"), "0");
    EXPECT_EQ(pgdb.value("SELECT allocated FROM inventory WHERE warehouse_id = 1 AND sku_id = 1"), "10");
    EXPECT_EQ(lite_tables(), pg_tables());
}

TEST_F(PgSourcingContract, PG1_SourcingWritesInABatchVanishOnAbort) {
    const std::string before = pg_tables();
    pg->impl().batch = std::make_unique<pqxx::work>(pg->impl().conn);
    apply_plans([&](OrderId id, const Plan& p) { ASSERT_TRUE(pg_repo->apply(*must(pg_repo->read_order(id)), p, kRun, kNow).ok()); });
    ASSERT_TRUE(pg_repo->insert_rts_payment(1, 1234, kNow).ok());
    const std::string inside = pg_tables();
    EXPECT_NE(inside, before);
    EXPECT_NE(dump(*must(pg_repo->read_order(1))).find(" A 901 1 0 3 1 null"), std::string::npos)
        << dump(*must(pg_repo->read_order(1)));
    // Another session does not see them.
    EXPECT_EQ(pgdb.value("SELECT count(*) FROM shipments"), "3");
    pg->impl().batch->abort();
    pg->impl().batch.reset();
    EXPECT_EQ(pg_tables(), before);
    EXPECT_EQ(pgdb.value("SELECT count(*) FROM allocations WHERE run_id = 2"), "0");
}

}  // namespace
}  // namespace olmd::test
