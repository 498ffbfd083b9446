// The sourcing job's reads on PostgreSQL (see pg_sourcing.hpp): reference data, keyset pages with their
// details, the SRC-14 backorder snapshot, stock, ZIP centroids and payment totals.
#include <unordered_map>

#include "store/postgres/pg_impl.hpp"
#include "store/postgres/pg_ports.hpp"
#include "store/postgres/pg_sourcing.hpp"

namespace olmd::store {

using namespace olmd::domain::sourcing;

namespace {

std::string text(const pqxx::field& f) { return f.is_null() ? std::string() : f.as<std::string>(); }
std::optional<RowId> opt_id(const pqxx::field& f) {
    return f.is_null() ? std::nullopt : std::optional<RowId>(f.as<RowId>());
}

Error db_error(PgDatabase& db, const char* what, const std::exception& e) {
    return pg_error(db, std::string("sourcing: cannot ") + what, e);
}

AllocKind alloc_kind(const std::string& s) {
    if (s == "backordered") return AllocKind::backordered;
    if (s == "po_queue") return AllocKind::po_queue;
    if (s == "dropship") return AllocKind::dropship;
    return AllocKind::assigned;
}

const std::string kOrderColumns =
    "o.id, o.order_number, o.status_id, o.channel_id, o.shipping_method_id, " + pg_utc_text("o.created_at") +
    ", o.grand_total_cents, o.ship_country, o.ship_state, o.ship_zip, o.is_club";

SourcingOrder order_row(const pqxx::row& r) {
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
    return o;
}

/// Lines, allocations, reservations, New shipments and every shipment's units of orders, one query each.
void load_details(pqxx::transaction_base& t, std::vector<SourcingOrder>& orders) {
    if (orders.empty()) return;
    std::unordered_map<OrderId, std::size_t> at;
    std::vector<RowId> ids;
    for (std::size_t i = 0; i < orders.size(); ++i) {
        at.emplace(orders[i].id, i);
        ids.push_back(orders[i].id);
    }
    const std::string arr = pg_id_array(ids);
    auto each = [&](const std::string& sql, auto&& fn) {
        for (const auto& r : t.exec_params(sql, arr)) {
            auto it = at.find(r[0].as<OrderId>());
            if (it != at.end()) fn(orders[it->second], r);
        }
    };
    each("SELECT i.order_id, i.id, i.sku_id, i.quantity, i.unit_price_cents, i.parent_item_id FROM order_items i "
         "WHERE i.order_id = ANY($1::bigint[]) ORDER BY i.order_id, i.id",
         [](SourcingOrder& o, const pqxx::row& r) {
             o.lines.push_back(OrderLine{r[1].as<RowId>(), r[2].as<RowId>(), r[3].as<std::int64_t>(),
                                         r[4].as<std::int64_t>(), opt_id(r[5]), {}});
         });
    each("SELECT i.order_id, a.id, a.order_item_id, a.kind, a.quantity, a.warehouse_id, a.vendor_id, a.shipment_id "
         "FROM order_items i JOIN allocations a ON a.order_item_id = i.id WHERE i.order_id = ANY($1::bigint[]) "
         "ORDER BY a.id",
         [](SourcingOrder& o, const pqxx::row& r) {
             o.allocations.push_back(Allocation{r[1].as<RowId>(), r[2].as<RowId>(), alloc_kind(text(r[3])),
                                                r[4].as<std::int64_t>(), opt_id(r[5]), opt_id(r[6]), opt_id(r[7]), {}});
         });
    each("SELECT i.order_id, r.id, r.order_item_id, r.warehouse_id, r.quantity FROM order_items i JOIN "
         "reservations r ON r.order_item_id = i.id WHERE i.order_id = ANY($1::bigint[]) ORDER BY r.id",
         [](SourcingOrder& o, const pqxx::row& r) {
             o.reservations.push_back(
                 Reservation{r[1].as<RowId>(), r[2].as<RowId>(), r[3].as<RowId>(), r[4].as<std::int64_t>(), {}});
         });
    each("SELECT s.order_id, s.id, s.warehouse_id FROM shipments s WHERE s.order_id = ANY($1::bigint[]) AND "
         "s.status = 'New' ORDER BY s.id",
         [](SourcingOrder& o, const pqxx::row& r) {
             o.new_shipments.push_back(NewShipment{r[1].as<RowId>(), r[2].as<RowId>(), {}});
         });
    each("SELECT s.order_id, si.order_item_id, si.quantity, s.status = 'New', s.id FROM shipments s JOIN "
         "shipment_items si ON si.shipment_id = s.id WHERE s.order_id = ANY($1::bigint[]) ORDER BY s.id",
         [](SourcingOrder& o, const pqxx::row& r) {
             const bool is_new = r[3].as<bool>();
             o.shipment_units.push_back(ShippedUnits{r[1].as<RowId>(), r[2].as<std::int64_t>(), is_new, {}});
             o.any_shipment_left = o.any_shipment_left || !is_new;
         });
}

bool add_cents(std::int64_t& sum, std::int64_t v) {
    std::int64_t r = 0;
    if (__builtin_add_overflow(sum, v, &r) || r < 0 || r > kMaxCents) return false;
    sum = r;
    return true;
}

}  // namespace

Result<ReferenceData> PgSourcing::load_reference() {
    ReferenceData r;
    try {
        in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
            for (const auto& w : t.exec(
                     "SELECT w.id, w.name, w.priority, CASE WHEN w.latitude IS NOT NULL AND w.longitude IS NOT NULL "
                     "THEN w.latitude ELSE z.latitude END, CASE WHEN w.latitude IS NOT NULL AND w.longitude IS NOT "
                     "NULL THEN w.longitude ELSE z.longitude END, w.active, w.latitude IS NULL OR w.longitude IS NULL "
                     "FROM warehouses w LEFT JOIN zip_codes z ON z.zip = substr(trim(w.postal_code), 1, 5) "
                     "ORDER BY w.priority, w.id")) {
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
            }
            for (const auto& s : t.exec("SELECT id, code, kind, fulfillment_method, default_vendor_id FROM skus")) {
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
            }
            for (const auto& v : t.exec("SELECT id, name, default_po_method, default_po_template, active FROM vendors")) {
                Vendor x;
                x.id = v[0].as<RowId>();
                x.name = text(v[1]);
                if (!v[2].is_null()) x.po_method = text(v[2]);
                if (!v[3].is_null()) x.po_template = text(v[3]);
                x.active = v[4].as<bool>();
                r.vendors.emplace(x.id, std::move(x));
            }
            for (const auto& row : t.exec("SELECT id FROM order_statuses")) r.statuses.insert(row[0].as<RowId>());
            for (const auto& row : t.exec("SELECT id FROM channels")) r.channels.insert(row[0].as<RowId>());
            for (const auto& m : t.exec("SELECT id, is_cod FROM shipping_methods"))
                r.shipping_method_is_cod[m[0].as<RowId>()] = m[1].as<bool>();
        });
    } catch (const std::exception& e) {
        return db_error(db_, "read the reference tables", e);
    }
    return r;
}

Result<std::int64_t> PgSourcing::count_in_statuses(const std::vector<StatusId>& statuses) {
    if (statuses.empty()) return std::int64_t{0};
    try {
        return in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
            return t.exec_params1("SELECT count(*) FROM orders WHERE status_id = ANY($1::bigint[])",
                                  pg_id_array(statuses))[0]
                .as<std::int64_t>();
        });
    } catch (const std::exception& e) {
        return db_error(db_, "count the eligible orders", e);
    }
}

Result<std::vector<SourcingOrder>> PgSourcing::page_by_id(const std::vector<StatusId>& statuses, RowId after_id,
                                                          int limit) {
    std::vector<SourcingOrder> out;
    if (statuses.empty() || limit <= 0) return out;
    try {
        in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
            // Each status through orders_status (status_id, id) with its own LIMIT, then the first `limit`.
            for (const auto& r : t.exec_params(
                     "SELECT " + kOrderColumns + " FROM (SELECT e.id FROM unnest($1::bigint[]) AS s(st) CROSS JOIN "
                     "LATERAL (SELECT id FROM orders WHERE status_id = s.st AND id > $2 ORDER BY id LIMIT $3) e "
                     "ORDER BY e.id LIMIT $3) ids JOIN orders o ON o.id = ids.id ORDER BY o.id",
                     pg_id_array(statuses), after_id, limit))
                out.push_back(order_row(r));
            load_details(t, out);
        });
    } catch (const std::exception& e) {
        return db_error(db_, "read a page of orders", e);
    }
    return out;
}

Result<std::int64_t> PgSourcing::snapshot_backordered(const std::vector<StatusId>& statuses) {
    try {
        backorder_statuses_ = pg_id_array(statuses);
        return in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
            t.exec("CREATE TEMP TABLE IF NOT EXISTS olmd_sourcing_backorders (created_at text COLLATE \"C\" NOT NULL, "
                   "id bigint NOT NULL, PRIMARY KEY (created_at, id))");
            t.exec("DELETE FROM olmd_sourcing_backorders");
            if (statuses.empty()) return std::int64_t{0};
            return static_cast<std::int64_t>(
                t.exec_params("INSERT INTO olmd_sourcing_backorders (created_at, id) SELECT DISTINCT " +
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
        return db_error(db_, "list the orders with backorders", e);
    }
}

Result<std::vector<SourcingOrder>> PgSourcing::page_backordered(const std::string& after_created, RowId after_id,
                                                                int limit) {
    std::vector<SourcingOrder> out;
    try {
        in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
            for (const auto& r : t.exec_params(
                     "SELECT " + kOrderColumns + " FROM olmd_sourcing_backorders b JOIN orders o ON o.id = b.id "
                     "WHERE (b.created_at > $1 OR (b.created_at = $1 AND b.id > $2)) AND o.status_id = "
                     "ANY($4::bigint[]) ORDER BY b.created_at, b.id LIMIT $3",
                     after_created, after_id, limit, backorder_statuses_))
                out.push_back(order_row(r));
            load_details(t, out);
        });
    } catch (const std::exception& e) {
        return db_error(db_, "read a page of orders with backorders", e);
    }
    return out;
}

Result<std::optional<SourcingOrder>> PgSourcing::read_order(OrderId id) {
    try {
        return in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
            std::vector<SourcingOrder> one;
            for (const auto& r : t.exec_params("SELECT " + kOrderColumns + " FROM orders o WHERE o.id = $1", id))
                one.push_back(order_row(r));
            if (one.empty()) return std::optional<SourcingOrder>{};
            load_details(t, one);
            return std::optional<SourcingOrder>{std::move(one.front())};
        });
    } catch (const std::exception& e) {
        return db_error(db_, "read the order", e);
    }
}

Result<std::vector<InventoryRow>> PgSourcing::inventory(const std::vector<RowId>& skus) {
    std::vector<InventoryRow> out;
    if (skus.empty()) return out;
    try {
        in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
            for (const auto& r : t.exec_params("SELECT sku_id, warehouse_id, on_hand, allocated FROM inventory WHERE "
                                               "sku_id = ANY($1::bigint[])",
                                               pg_id_array(skus)))
                out.push_back(InventoryRow{r[0].as<RowId>(), r[1].as<RowId>(), r[2].as<std::int64_t>(),
                                           r[3].as<std::int64_t>(), {}});
        });
    } catch (const std::exception& e) {
        return db_error(db_, "read inventory", e);
    }
    return out;
}

Result<std::vector<VendorStockRow>> PgSourcing::vendor_stock(const std::vector<RowId>& skus) {
    std::vector<VendorStockRow> out;
    if (skus.empty()) return out;
    try {
        in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
            for (const auto& r : t.exec_params(
                     "SELECT vs.sku_id, vs.vendor_id, vs.quantity, (SELECT coalesce(sum(q.quantity), 0) FROM "
                     "purchase_order_queue q WHERE q.vendor_id = vs.vendor_id AND q.sku_id = vs.sku_id) FROM "
                     "vendor_stock vs WHERE vs.sku_id = ANY($1::bigint[]) ORDER BY vs.sku_id, vs.vendor_id",
                     pg_id_array(skus))) {
                VendorStockRow row{r[0].as<RowId>(), r[1].as<RowId>(), r[2].as<std::int64_t>(), {}};
                const std::int64_t queued = r[3].as<std::int64_t>();
                if (queued > kMaxUnits)
                    row.bad = BadField{"purchase_order_queue.quantity:purchase_order_queue.vendor_id=" +
                                           std::to_string(row.vendor_id) + ",sku_id=" + std::to_string(row.sku_id),
                                       "a sum of " + std::to_string(queued) + " units (past 10^9)", false};
                else
                    row.quantity -= queued;
                out.push_back(std::move(row));
            }
        });
    } catch (const std::exception& e) {
        return db_error(db_, "read vendor_stock", e);
    }
    return out;
}

Result<Centroid> PgSourcing::zip_centroid(const std::string& zip5) {
    try {
        return in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
            Centroid c;
            const pqxx::result r = t.exec_params("SELECT latitude, longitude FROM zip_codes WHERE zip = $1", zip5);
            if (!r.empty()) c.at = LatLon{r[0][0].as<double>(), r[0][1].as<double>()};
            return c;
        });
    } catch (const std::exception& e) {
        return db_error(db_, "read zip_codes", e);
    }
}

Result<PaymentTotals> PgSourcing::payment_totals(OrderId id, const std::string& valid_after) {
    try {
        return in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
            PaymentTotals p;
            for (const auto& r : t.exec_params(
                     "SELECT id, method, status, amount_cents, captured_cents, card_token, customer_ref, "
                     "coalesce(coalesce(authorized_at, created_at) > $2::timestamptz, false) FROM payments WHERE "
                     "order_id = $1 ORDER BY id",
                     id, valid_after)) {
                const std::string key = "payments.id=" + r[0].as<std::string>();
                const std::string method = text(r[1]), status = text(r[2]);
                const std::int64_t amount = r[3].as<std::int64_t>(), captured = r[4].as<std::int64_t>();
                const bool card = method == "credit_card", open = card && status == "authorized";
                auto past = [&](const char* column, const char* sum) {
                    p.bad = BadField{std::string("payments.") + column + ":" + key,
                                     std::string("the order's ") + sum + " past 10^15 cents", false};
                };
                if (amount > kMaxCents) {
                    p.bad = BadField{"payments.amount_cents:" + key, std::to_string(amount), false};
                    break;
                }
                if (!add_cents(p.paid_cents, card ? captured : status == "settled" ? amount : 0)) {
                    past(card ? "captured_cents" : "amount_cents", "paid_cents");
                    break;
                }
                if (open && !add_cents(p.open_auth_cents, amount - captured)) {
                    past("amount_cents", "open_auth_cents");
                    break;
                }
                if (open && r[7].as<bool>() && !add_cents(p.valid_open_auth_cents, amount - captured)) {
                    past("amount_cents", "open_auth_cents");
                    break;
                }
                if (card && (status == "authorized" || status == "captured")) {
                    p.card_payment_id = r[0].as<RowId>();
                    p.card_token = text(r[5]);
                    p.customer_ref = text(r[6]);
                }
            }
            return p;
        });
    } catch (const std::exception& e) {
        return db_error(db_, "read the order's payments", e);
    }
}

Result<RowId> PgSourcing::insert_rts_payment(RowId card_payment, std::int64_t amount_cents, const std::string& now_text) {
    try {
        return in_transaction(db_.impl(), [&](pqxx::transaction_base& t) -> Result<RowId> {
            const pqxx::result r = t.exec_params(
                "INSERT INTO payments (order_id, method, status, amount_cents, captured_cents, card_token, "
                "customer_ref, created_at) SELECT order_id, 'credit_card', 'pending', $1, 0, card_token, customer_ref, "
                "$2::timestamptz FROM payments WHERE id = $3 RETURNING id",
                amount_cents, now_text, card_payment);
            if (r.empty()) return Error{"payment " + std::to_string(card_payment) + " is gone"};
            return r[0][0].as<RowId>();
        });
    } catch (const std::exception& e) {
        return db_error(db_, "insert the ready-to-ship payment", e);
    }
}

Result<bool> PgSourcing::has_open_rts_authorization(OrderId id) {
    try {
        return in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
            return t.exec_params1("SELECT EXISTS (SELECT 1 FROM gateway_operations g JOIN payments p ON p.id = "
                                  "g.payment_id WHERE p.order_id = $1 AND g.purpose = 'rts_authorize' AND g.state IN "
                                  "('pending', 'unknown'))",
                                  id)[0]
                .as<bool>();
        });
    } catch (const std::exception& e) {
        return db_error(db_, "read the gateway journal", e);
    }
}

std::unique_ptr<domain::SourcingRepository> make_pg_sourcing(PgDatabase& db) { return std::make_unique<PgSourcing>(db); }

}  // namespace olmd::store
