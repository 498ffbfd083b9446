// The sourcing repository's reads of reference data, stock and payments, each
// with its bad-data checks folded into the same set-based statement
// (sourcing_checks.hpp): a bad shared row (an inventory, vendor_stock or queue
// row, a SKU, warehouse, vendor or shipping method) is returned with its
// BadField, so that only the orders that would use it are bad data.
#include <SQLiteCpp/SQLiteCpp.h>

#include "store/sourcing_checks.hpp"
#include "store/sourcing_impl.hpp"

namespace olmd::store {

using namespace olmd::domain::sourcing;
using namespace olmd::store::checks;

namespace {

VendorStockRow vendor_stock_row(SQLite::Statement& q) {
    VendorStockRow r{q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), int_or_zero(q.getColumn(2)), {}};
    const std::string key =
        "vendor_stock.vendor_id=" + std::to_string(r.vendor_id) + ",sku_id=" + std::to_string(r.sku_id);
    r.bad = parse(q.getColumn(4), "vendor_stock", key);
    // "<units queued by good lines>:<id of the first queue line that cannot be interpreted, or ''>"
    const std::string queue = text(q.getColumn(3));
    const auto colon = queue.find(':');
    const std::int64_t queued =
        colon == 0 || colon == std::string::npos ? 0 : std::stoll(queue.substr(0, colon));
    if (!r.bad && colon != std::string::npos && colon + 1 < queue.size())
        r.bad = BadField{"purchase_order_queue.quantity:purchase_order_queue.id=" + queue.substr(colon + 1),
                         "?", false};
    if (!r.bad && queued > kMaxUnits)
        r.bad = BadField{"purchase_order_queue.quantity:purchase_order_queue.vendor_id=" +
                             std::to_string(r.vendor_id) + ",sku_id=" + std::to_string(r.sku_id),
                         "a sum of " + std::to_string(queued) + " units (past 10^9)", false};
    r.quantity -= queued;  // both within 0..10^9
    return r;
}

/// sum += v within 0..10^15 cents; false when it would leave the range.
bool add_cents(std::int64_t& sum, std::int64_t v) {
    std::int64_t r = 0;
    if (__builtin_add_overflow(sum, v, &r) || r < 0 || r > kMaxCents) return false;
    sum = r;
    return true;
}

/// Adds one payments row (see payments_sql) to the totals; a bad row or sum sets p.bad.
void add_payment(PaymentTotals& p, SQLite::Statement& q) {
    const std::string key = "payments.id=" + std::to_string(q.getColumn(0).getInt64());
    if ((p.bad = parse(q.getColumn(8), "payments", key))) return;
    const std::string method = text(q.getColumn(1)), status = text(q.getColumn(2));
    const std::int64_t amount = q.getColumn(3).getInt64(), captured = q.getColumn(4).getInt64();
    const bool card = method == "credit_card", open = card && status == "authorized";
    auto past = [&](const char* column, const char* sum) {
        p.bad = BadField{std::string("payments.") + column + ":" + key,
                         std::string("the order's ") + sum + " past 10^15 cents", false};
    };
    if (!add_cents(p.paid_cents, card ? captured : status == "settled" ? amount : 0))
        return past(card ? "captured_cents" : "amount_cents", "paid_cents");
    if (open && !add_cents(p.open_auth_cents, amount - captured))
        return past("amount_cents", "open_auth_cents");
    if (open && q.getColumn(7).getInt() != 0 && !add_cents(p.valid_open_auth_cents, amount - captured))
        return past("amount_cents", "open_auth_cents");
    if (card &&
        (status == "authorized" || status == "captured")) {  // rows come by id: the last is the most recent
        p.card_payment_id = q.getColumn(0).getInt64();
        p.card_token = text(q.getColumn(5));
        p.customer_ref = text(q.getColumn(6));
    }
}

}  // namespace

std::string inventory_sql() {
    return "SELECT sku_id, warehouse_id, on_hand, allocated, " +
           first_bad({check("on_hand", "on_hand", int_in("on_hand", "0", kUnits)),
                      check("allocated", "allocated", int_in("allocated", "0", kUnits))}) +
           " FROM inventory WHERE sku_id IN (SELECT value FROM json_each(?1))";
}

std::string vendor_stock_sql() {
    // SRC-9: what the queue already asks of a vendor is not available any more; one correlated
    // aggregate (the queue's (vendor_id, sku_id) index) yields the good lines' units and the first bad line.
    const std::string good = int_in("q.quantity", "1", kUnits);
    return "SELECT vs.sku_id, vs.vendor_id, vs.quantity, "
           "(SELECT coalesce(sum(iif(" +
           good + ", q.quantity, 0)), 0) || ':' || coalesce(min(iif(" + good +
           ", NULL, q.id)), '') FROM purchase_order_queue q WHERE q.vendor_id = vs.vendor_id AND q.sku_id = "
           "vs.sku_id), " +
           first_bad({check("vendor_id", "vs.vendor_id", is_int("vs.vendor_id")),
                      check("vendor_id", "vs.vendor_id", names_row("vs.vendor_id", "vendors"), true),
                      check("quantity", "vs.quantity", int_in("vs.quantity", "0", kUnits))}) +
           " FROM vendor_stock vs WHERE vs.sku_id IN (SELECT value FROM json_each(?1)) "
           "ORDER BY vs.sku_id, vs.vendor_id";
}

std::string payments_sql() {
    // Rows by id, summed in C++ with overflow checks (rules.md paid_cents, open_auth_cents). SRC-12: only
    // authorizations still valid cover anything; the card is the most recent live one.
    return "SELECT p.id, p.method, p.status, p.amount_cents, p.captured_cents, p.card_token, p.customer_ref, "
           "coalesce(strftime('%Y-%m-%dT%H:%M:%SZ', coalesce(p.authorized_at, p.created_at)) > ?2, 0), " +
           first_bad(
               {check("method", "p.method",
                      one_of("p.method",
                             "'credit_card', 'gift_certificate', 'customer_credit', 'paypal', 'check', "
                             "'cash', 'cod'")),
                check("status", "p.status",
                      one_of("p.status",
                             "'authorized', 'captured', 'voided', 'declined', 'settled', 'pending'")),
                check("amount_cents", "p.amount_cents", int_in("p.amount_cents", "0", kCents)),
                check("captured_cents", "p.captured_cents",
                      int_in("p.captured_cents", "0", kCents) + " AND p.captured_cents <= p.amount_cents")}) +
           " FROM payments p WHERE p.order_id = ?1 ORDER BY p.id";
}

Result<ReferenceData> SqliteSourcing::load_reference() {
    ReferenceData r;
    try {
        SQLite::Database& d = impl_->db;
        // SRC-8: a warehouse's location is its latitude/longitude, else its postal_code's centroid.
        SQLite::Statement w(
            d,
            "SELECT w.id, w.name, w.priority, "
            "iif(w.latitude IS NOT NULL AND w.longitude IS NOT NULL, w.latitude, z.latitude), "
            "iif(w.latitude IS NOT NULL AND w.longitude IS NOT NULL, w.longitude, z.longitude), w.active, "
            "w.latitude IS NULL OR w.longitude IS NULL, " +
                // SRC-8: one located by its postal_code's centroid needs zip_codes to hold numbers.
                first_bad({check("priority", "w.priority", is_int("w.priority")),
                           check("active", "w.active", flag("w.active")),
                           check("latitude", "w.latitude", opt_real("w.latitude")),
                           check("longitude", "w.longitude", opt_real("w.longitude")),
                           check("postal_code", "w.postal_code",
                                 "(w.latitude IS NOT NULL AND w.longitude IS NOT NULL) OR z.zip IS NULL OR (" +
                                     number("z.latitude") + " AND " + number("z.longitude") + ")")}) +
                " FROM warehouses w LEFT JOIN zip_codes z ON z.zip = substr(trim(w.postal_code), 1, 5) "
                "ORDER BY w.priority, w.id");
        while (w.executeStep()) {
            Warehouse x;
            x.id = w.getColumn(0).getInt64();
            x.name = text(w.getColumn(1));
            x.priority = int_or_zero(w.getColumn(2));
            if (!w.getColumn(3).isNull() && !w.getColumn(4).isNull()) {
                x.latitude = w.getColumn(3).getDouble();
                x.longitude = w.getColumn(4).getDouble();
                x.located_by_postal_code = w.getColumn(6).getInt64() != 0;
            }
            x.active = w.getColumn(5).getInt64() != 0;
            x.bad = parse(w.getColumn(7), "warehouses", "warehouses.id=" + std::to_string(x.id));
            r.warehouses.push_back(std::move(x));
        }
        SQLite::Statement s(
            d,
            "SELECT k.id, k.code, k.kind, k.fulfillment_method, k.default_vendor_id, " +
                first_bad({check("kind", "k.kind",
                                 one_of("k.kind", "'product', 'kit', 'gift_certificate', 'club_membership'")),
                           check("fulfillment_method", "k.fulfillment_method",
                                 one_of("k.fulfillment_method", "'stock', 'jit', 'dropship'")),
                           check("default_vendor_id", "k.default_vendor_id", opt_int("k.default_vendor_id")),
                           check("default_vendor_id", "k.default_vendor_id",
                                 names_row("k.default_vendor_id", "vendors"), true)}) +
                " FROM skus k");
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
            x.bad = parse(s.getColumn(5), "skus", "skus.id=" + std::to_string(x.id));
            r.skus.emplace(x.id, std::move(x));
        }
        SQLite::Statement v(d, "SELECT v.id, v.name, v.default_po_method, v.default_po_template, v.active, " +
                                   first_bad({check("active", "v.active", flag("v.active"))}) +
                                   " FROM vendors v");
        while (v.executeStep()) {
            Vendor x;
            x.id = v.getColumn(0).getInt64();
            x.name = text(v.getColumn(1));
            if (!v.getColumn(2).isNull()) x.po_method = text(v.getColumn(2));
            if (!v.getColumn(3).isNull()) x.po_template = text(v.getColumn(3));
            x.active = v.getColumn(4).getInt64() != 0;
            x.bad = parse(v.getColumn(5), "vendors", "vendors.id=" + std::to_string(x.id));
            r.vendors.emplace(x.id, std::move(x));
        }
        for (const char* t : {"order_statuses", "channels"}) {
            SQLite::Statement ids(d, std::string("SELECT id FROM ") + t);
            auto& into = std::string(t) == "channels" ? r.channels : r.statuses;
            while (ids.executeStep()) into.insert(ids.getColumn(0).getInt64());
        }
        SQLite::Statement m(d, "SELECT m.id, m.is_cod, " +
                                   first_bad({check("is_cod", "m.is_cod", flag("m.is_cod"))}) +
                                   " FROM shipping_methods m");
        while (m.executeStep()) {
            const RowId id = m.getColumn(0).getInt64();
            r.shipping_method_is_cod[id] = m.getColumn(1).getInt64() != 0;
            if (auto bad =
                    parse(m.getColumn(2), "shipping_methods", "shipping_methods.id=" + std::to_string(id)))
                r.shipping_method_bad.emplace(id, std::move(bad));
        }
    } catch (const std::exception& e) {
        return db_error("read the reference tables", e);
    }
    return r;
}

Result<std::vector<InventoryRow>> SqliteSourcing::inventory(const std::vector<RowId>& skus) {
    std::vector<InventoryRow> out;
    if (skus.empty()) return out;
    try {
        auto& q = impl_->inventory;
        q.tryReset();
        q.bind(1, json_ids(skus));
        while (q.executeStep()) {
            InventoryRow r{q.getColumn(0).getInt64(),
                           q.getColumn(1).getInt64(),
                           int_or_zero(q.getColumn(2)),
                           int_or_zero(q.getColumn(3)),
                           {}};
            r.bad = parse(q.getColumn(4), "inventory",
                          "inventory.warehouse_id=" + std::to_string(r.warehouse_id) +
                              ",sku_id=" + std::to_string(r.sku_id));
            out.push_back(std::move(r));
        }
        q.tryReset();
    } catch (const std::exception& e) {
        return db_error("read inventory", e);
    }
    return out;
}

Result<std::optional<std::int64_t>> SqliteSourcing::others_commit_counter() {
    try {
        return std::optional<std::int64_t>{impl_->db.execAndGet("PRAGMA data_version").getInt64()};
    } catch (const std::exception& e) {
        return Error{std::string("cannot read PRAGMA data_version: ") + e.what(), exit_code::database};
    }
}

Result<std::vector<VendorStockRow>> SqliteSourcing::vendor_stock(const std::vector<RowId>& skus) {
    std::vector<VendorStockRow> out;
    if (skus.empty()) return out;
    try {
        auto& q = impl_->vendor_stock;
        q.tryReset();
        q.bind(1, json_ids(skus));
        while (q.executeStep()) out.push_back(vendor_stock_row(q));
        q.tryReset();
    } catch (const std::exception& e) {
        return db_error("read vendor_stock", e);
    }
    return out;
}

Result<Centroid> SqliteSourcing::zip_centroid(const std::string& zip5) {
    try {
        auto& q = impl_->zip;
        q.tryReset();
        q.bind(1, zip5);
        Centroid c;
        if (q.executeStep()) {
            c.at = LatLon{q.getColumn(0).getDouble(), q.getColumn(1).getDouble()};
            c.bad = parse(q.getColumn(2), "zip_codes", "zip_codes.zip=" + zip5);
        }
        q.tryReset();
        return c;
    } catch (const std::exception& e) {
        return db_error("read zip_codes", e);
    }
}

Result<PaymentTotals> SqliteSourcing::payment_totals(OrderId id, const std::string& valid_after) {
    try {
        auto& q = impl_->payments;
        q.tryReset();
        q.bind(1, static_cast<std::int64_t>(id));
        q.bind(2, valid_after);
        PaymentTotals p;
        while (q.executeStep() && !p.bad) add_payment(p, q);
        q.tryReset();
        return p;
    } catch (const std::exception& e) {
        return db_error("read the order's payments", e);
    }
}

Result<RowId> SqliteSourcing::insert_rts_payment(RowId card_payment, std::int64_t amount_cents,
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

Result<bool> SqliteSourcing::has_open_rts_authorization(OrderId id) {
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
