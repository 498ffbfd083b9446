// The PostgreSQL sourcing repository's reads of reference data, stock and payments (pg_sourcing.hpp),
// the SQL of sourcing_stock_reads.cpp with PostgreSQL's types: a bad shared row (an inventory,
// vendor_stock or queue row out of range) comes back with its BadField, so that only the orders that
// would use it are bad data.
#include "store/postgres/pg_sourcing.hpp"

namespace olmd::store {

using namespace olmd::domain::sourcing;
using namespace olmd::store::pg_checks;

namespace {

/// sum += v within 0..10^15 cents; false when it would leave the range.
bool add_cents(std::int64_t& sum, std::int64_t v) {
    std::int64_t r = 0;
    if (__builtin_add_overflow(sum, v, &r) || r < 0 || r > kMaxCents) return false;
    sum = r;
    return true;
}

/// Adds one payments row (olmd_src_payments) to the totals; a bad row or sum sets p.bad (as SQLite's).
void add_payment(PaymentTotals& p, const pqxx::row& q) {
    const std::string key = "payments.id=" + std::to_string(q[0].as<RowId>());
    if ((p.bad = parse(q[8], "payments", key))) return;
    const std::string method = text(q[1]), status = text(q[2]);
    const std::int64_t amount = q[3].as<std::int64_t>(), captured = q[4].as<std::int64_t>();
    const bool card = method == "credit_card", open = card && status == "authorized";
    auto past = [&](const char* column, const char* sum) {
        p.bad = BadField{std::string("payments.") + column + ":" + key,
                         std::string("the order's ") + sum + " past 10^15 cents", false};
    };
    if (!add_cents(p.paid_cents, card ? captured : status == "settled" ? amount : 0))
        return past(card ? "captured_cents" : "amount_cents", "paid_cents");
    if (open && !add_cents(p.open_auth_cents, amount - captured)) return past("amount_cents", "open_auth_cents");
    if (open && q[7].as<bool>() && !add_cents(p.valid_open_auth_cents, amount - captured))
        return past("amount_cents", "open_auth_cents");
    if (card && (status == "authorized" || status == "captured")) {  // by id: the last is the most recent
        p.card_payment_id = q[0].as<RowId>();
        p.card_token = text(q[5]);
        p.customer_ref = text(q[6]);
    }
}

VendorStockRow vendor_stock_row(const pqxx::row& q) {
    VendorStockRow r{q[0].as<RowId>(), q[1].as<RowId>(), q[2].as<std::int64_t>(), {}};
    r.bad = parse(q[5], "vendor_stock",
                  "vendor_stock.vendor_id=" + std::to_string(r.vendor_id) + ",sku_id=" + std::to_string(r.sku_id));
    const std::int64_t queued = q[3].as<std::int64_t>();
    if (!r.bad && !q[4].is_null())
        r.bad = BadField{"purchase_order_queue.quantity:purchase_order_queue.id=" + q[4].as<std::string>(), "?",
                         false};
    if (!r.bad && queued > kMaxUnits)
        r.bad = BadField{"purchase_order_queue.quantity:purchase_order_queue.vendor_id=" +
                             std::to_string(r.vendor_id) + ",sku_id=" + std::to_string(r.sku_id),
                         "a sum of " + std::to_string(queued) + " units (past 10^9)", false};
    r.quantity -= queued;
    return r;
}

/// One row per line of the shipping methods, warehouses, ... queries below.
template <class F>
void rows(pqxx::transaction_base& t, const std::string& sql, F&& f) {
    for (const auto& row : t.exec(sql)) f(row);
}

}  // namespace

void prepare_pg_sourcing_stock(pqxx::connection_base& c) {
    prepare_once(c, "olmd_src_inventory",
                 "SELECT sku_id, warehouse_id, on_hand, allocated, " +
                     first_bad({check("on_hand", "on_hand", in_range("on_hand", "0", kUnits)),
                                check("allocated", "allocated", in_range("allocated", "0", kUnits))}) +
                     " FROM inventory WHERE sku_id = ANY($1::bigint[]) ORDER BY sku_id, warehouse_id");
    // SRC-9: what the queue already asks of a vendor is not available any more: the good lines' units
    // and the first line out of range (the queue's (vendor_id, sku_id) index).
    const std::string good = in_range("q.quantity", "1", kUnits);
    prepare_once(c, "olmd_src_vendor_stock",
                 "SELECT vs.sku_id, vs.vendor_id, vs.quantity, "
                 "(SELECT coalesce(sum(q.quantity) FILTER (WHERE " +
                     good +
                     "), 0)::bigint FROM purchase_order_queue q WHERE q.vendor_id = vs.vendor_id AND q.sku_id = "
                     "vs.sku_id), "
                     "(SELECT min(q.id) FILTER (WHERE NOT coalesce(" +
                     good +
                     ", false)) FROM purchase_order_queue q WHERE q.vendor_id = vs.vendor_id AND q.sku_id = "
                     "vs.sku_id), " +
                     first_bad({check("quantity", "vs.quantity", in_range("vs.quantity", "0", kUnits))}) +
                     " FROM vendor_stock vs WHERE vs.sku_id = ANY($1::bigint[]) ORDER BY vs.sku_id, vs.vendor_id");
    prepare_once(c, "olmd_src_zip", "SELECT latitude, longitude FROM zip_codes WHERE zip = $1");
    // Rows by id, summed in C++ with overflow checks. SRC-12: only authorizations dated after $2 (UTC
    // text, compared as text as on SQLite) cover anything.
    prepare_once(c, "olmd_src_payments",
                 "SELECT p.id, p.method, p.status, p.amount_cents, p.captured_cents, p.card_token, p.customer_ref, "
                 "coalesce(" +
                     pg_utc_text("coalesce(p.authorized_at, p.created_at)") + " COLLATE \"C\" > $2, false), " +
                     first_bad({check("amount_cents", "p.amount_cents", in_range("p.amount_cents", "0", kCents)),
                                check("captured_cents", "p.captured_cents",
                                      in_range("p.captured_cents", "0", kCents) +
                                          " AND p.captured_cents <= p.amount_cents")}) +
                     " FROM payments p WHERE p.order_id = $1 ORDER BY p.id");
    prepare_once(c, "olmd_src_rts_payment",
                 "INSERT INTO payments (order_id, method, status, amount_cents, captured_cents, card_token, "
                 "customer_ref, created_at) SELECT order_id, 'credit_card', 'pending', $1, 0, card_token, "
                 "customer_ref, $2::timestamptz FROM payments WHERE id = $3 RETURNING id");
    prepare_once(c, "olmd_src_open_rts",
                 "SELECT EXISTS (SELECT 1 FROM gateway_operations g JOIN payments p ON p.id = g.payment_id "
                 "WHERE p.order_id = $1 AND g.purpose = 'rts_authorize' AND g.state IN ('pending', 'unknown'))");
}

Result<ReferenceData> PgSourcing::load_reference() {
    try {
        prepare();
        return in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
            ReferenceData r;
            // SRC-8: a warehouse's location is its latitude/longitude, else its postal_code's centroid.
            rows(t,
                 "SELECT w.id, w.name, w.priority, "
                 "CASE WHEN w.latitude IS NOT NULL AND w.longitude IS NOT NULL THEN w.latitude ELSE z.latitude END, "
                 "CASE WHEN w.latitude IS NOT NULL AND w.longitude IS NOT NULL THEN w.longitude ELSE z.longitude "
                 "END, w.active, w.latitude IS NULL OR w.longitude IS NULL "
                 "FROM warehouses w LEFT JOIN zip_codes z ON z.zip = substr(trim(w.postal_code), 1, 5) "
                 "ORDER BY w.priority, w.id",
                 [&](const pqxx::row& w) {
                     Warehouse x;
                     x.id = w[0].as<RowId>();
                     x.name = text(w[1]);
                     x.priority = w[2].as<std::int64_t>();
                     if (!w[3].is_null() && !w[4].is_null()) {
                         x.latitude = w[3].as<double>();
                         x.longitude = w[4].as<double>();
                         x.located_by_postal_code = w[6].as<bool>();
                     }
                     x.active = w[5].as<bool>();
                     r.warehouses.push_back(std::move(x));
                 });
            rows(t, "SELECT k.id, k.code, k.kind, k.fulfillment_method, k.default_vendor_id FROM skus k",
                 [&](const pqxx::row& s) {
                     Sku x;
                     x.id = s[0].as<RowId>();
                     x.code = text(s[1]);
                     const std::string kind = text(s[2]);
                     x.kind = kind == "kit"                ? SkuKind::kit
                              : kind == "gift_certificate" ? SkuKind::gift_certificate
                              : kind == "club_membership"  ? SkuKind::club_membership
                                                           : SkuKind::product;
                     const std::string method = text(s[3]);
                     x.method = method == "jit" ? Method::jit : method == "dropship" ? Method::dropship : Method::stock;
                     x.default_vendor = opt_id(s[4]);
                     r.skus.emplace(x.id, std::move(x));
                 });
            rows(t, "SELECT v.id, v.name, v.default_po_method, v.default_po_template, v.active FROM vendors v",
                 [&](const pqxx::row& v) {
                     Vendor x;
                     x.id = v[0].as<RowId>();
                     x.name = text(v[1]);
                     if (!v[2].is_null()) x.po_method = text(v[2]);
                     if (!v[3].is_null()) x.po_template = text(v[3]);
                     x.active = v[4].as<bool>();
                     r.vendors.emplace(x.id, std::move(x));
                 });
            rows(t, "SELECT id FROM order_statuses", [&](const pqxx::row& s) { r.statuses.insert(s[0].as<RowId>()); });
            rows(t, "SELECT id FROM channels", [&](const pqxx::row& c) { r.channels.insert(c[0].as<RowId>()); });
            rows(t, "SELECT m.id, m.is_cod FROM shipping_methods m", [&](const pqxx::row& m) {
                r.shipping_method_is_cod[m[0].as<RowId>()] = m[1].as<bool>();
            });
            return r;
        });
    } catch (const std::exception& e) {
        return pg_error(db_, "sourcing: cannot read the reference tables", e);
    }
}

Result<std::optional<std::int64_t>> PgSourcing::others_commit_counter() {
    auto& impl = db_.impl();
    if (!impl.batch) return std::optional<std::int64_t>{};
    try {
        pqxx::transaction_base& t = *impl.batch;
        t.exec("SET LOCAL olmd.sourcing_batch = 'on'");
        // Writers of the stock still in flight finish first; none starts until this batch ends, so the
        // count read next covers every write of others this batch could miss (SQLite's write lock).
        t.exec("LOCK TABLE inventory, vendor_stock, purchase_order_queue IN SHARE ROW EXCLUSIVE MODE");
        const pqxx::row r =
            t.exec1("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM olmd_stock_changes");
        return std::optional<std::int64_t>{r[0].as<std::int64_t>()};
    } catch (const std::exception& e) {
        return pg_error(db_, "cannot lock the stock tables for the batch", e);
    }
}

Result<std::vector<InventoryRow>> PgSourcing::inventory(const std::vector<RowId>& skus) {
    std::vector<InventoryRow> out;
    if (skus.empty()) return out;
    try {
        prepare();
        in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
            for (const auto& q : t.exec_prepared("olmd_src_inventory", pg_id_array(skus))) {
                InventoryRow r{q[0].as<RowId>(), q[1].as<RowId>(), q[2].as<std::int64_t>(), q[3].as<std::int64_t>(),
                               {}};
                r.bad = parse(q[4], "inventory",
                              "inventory.warehouse_id=" + std::to_string(r.warehouse_id) +
                                  ",sku_id=" + std::to_string(r.sku_id));
                out.push_back(std::move(r));
            }
        });
    } catch (const std::exception& e) {
        return pg_error(db_, "sourcing: cannot read inventory", e);
    }
    return out;
}

Result<std::vector<VendorStockRow>> PgSourcing::vendor_stock(const std::vector<RowId>& skus) {
    std::vector<VendorStockRow> out;
    if (skus.empty()) return out;
    try {
        prepare();
        in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
            for (const auto& q : t.exec_prepared("olmd_src_vendor_stock", pg_id_array(skus)))
                out.push_back(vendor_stock_row(q));
        });
    } catch (const std::exception& e) {
        return pg_error(db_, "sourcing: cannot read vendor_stock", e);
    }
    return out;
}

Result<Centroid> PgSourcing::zip_centroid(const std::string& zip5) {
    try {
        prepare();
        return in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
            Centroid c;
            const auto r = t.exec_prepared("olmd_src_zip", zip5);
            if (!r.empty()) c.at = LatLon{r[0][0].as<double>(), r[0][1].as<double>()};
            return c;
        });
    } catch (const std::exception& e) {
        return pg_error(db_, "sourcing: cannot read zip_codes", e);
    }
}

Result<PaymentTotals> PgSourcing::payment_totals(OrderId id, const std::string& valid_after) {
    try {
        prepare();
        return in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
            PaymentTotals p;
            for (const auto& row : t.exec_prepared("olmd_src_payments", id, valid_after)) {
                if (p.bad) break;
                add_payment(p, row);
            }
            return p;
        });
    } catch (const std::exception& e) {
        return pg_error(db_, "sourcing: cannot read the order's payments", e);
    }
}

Result<RowId> PgSourcing::insert_rts_payment(RowId card_payment, std::int64_t amount_cents,
                                             const std::string& now_text) {
    try {
        prepare();
        const auto id = in_transaction(db_.impl(), [&](pqxx::transaction_base& t) -> std::optional<RowId> {
            const auto r = t.exec_prepared("olmd_src_rts_payment", amount_cents, now_text, card_payment);
            if (r.empty()) return std::nullopt;
            return r[0][0].as<RowId>();
        });
        if (!id) return Error{"payment " + std::to_string(card_payment) + " is gone"};
        return *id;
    } catch (const std::exception& e) {
        return pg_error(db_, "sourcing: cannot insert the ready-to-ship payment", e);
    }
}

Result<bool> PgSourcing::has_open_rts_authorization(OrderId id) {
    try {
        prepare();
        return in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
            return t.exec_prepared1("olmd_src_open_rts", id)[0].as<bool>();
        });
    } catch (const std::exception& e) {
        return pg_error(db_, "sourcing: cannot read the gateway journal", e);
    }
}

}  // namespace olmd::store
