// The sourcing job's writes on PostgreSQL: one order's plan, exactly as SqliteSourcing::apply writes it
// (sourcing_writes.cpp): a New shipment per warehouse the plan assigns from, allocations
// merged by identity, the guarded inventory update (never above on_hand), consumed reservations, jit
// receipts shrinking their queue lines, new queue lines; every row naming the run (SRC-15).
#include <map>
#include <tuple>

#include "store/postgres/pg_impl.hpp"
#include "store/postgres/pg_sourcing.hpp"

namespace olmd::store {

using namespace olmd::domain::sourcing;

namespace {

using AllocKey = std::tuple<RowId, int, RowId, RowId, RowId>;

AllocKey key_of(RowId line, AllocKind kind, std::optional<RowId> w, std::optional<RowId> v, std::optional<RowId> s) {
    return {line, static_cast<int>(kind), w.value_or(0), v.value_or(0), s.value_or(0)};
}

/// An id parameter where 0 means NULL (use with nullif($n, 0)).
std::int64_t id_or_zero(RowId id) { return static_cast<std::int64_t>(id); }

}  // namespace

Status PgSourcing::apply(const SourcingOrder& order, const Plan& plan, RunId run, const std::string& now) {
    if (plan.empty()) return ok_status();
    try {
        return in_transaction(db_.impl(), [&](pqxx::transaction_base& t) -> Status {
            std::map<RowId, RowId> shipment_at;  // warehouse -> shipment id
            for (const AssignStep& a : plan.assigns) {
                if (shipment_at.count(a.warehouse_id)) continue;
                shipment_at.emplace(a.warehouse_id,
                                    t.exec_params1("INSERT INTO shipments (order_id, warehouse_id, status, run_id, "
                                                   "created_at) VALUES ($1, $2, 'New', $3, $4::timestamptz) RETURNING id",
                                                   order.id, a.warehouse_id, run, now)[0]
                                        .as<RowId>());
            }
            std::map<AllocKey, RowId> existing;
            std::map<RowId, std::int64_t> existing_qty;
            for (const Allocation& a : order.allocations) {
                existing.emplace(key_of(a.line_id, a.kind, a.warehouse_id, a.vendor_id, a.shipment_id), a.id);
                existing_qty[a.id] = a.quantity;
            }
            std::map<RowId, std::int64_t> delta;
            std::map<AllocKey, std::int64_t> fresh;
            auto add = [&](const AllocKey& k, std::int64_t n) {
                auto it = existing.find(k);
                if (it != existing.end())
                    delta[it->second] += n;
                else
                    fresh[k] += n;
            };
            std::map<std::pair<RowId, RowId>, std::int64_t> items, inventory, received;
            std::map<RowId, std::int64_t> reserved;
            for (const AssignStep& a : plan.assigns) {
                const RowId ship = shipment_at.at(a.warehouse_id);
                add(key_of(a.line_id, AllocKind::assigned, a.warehouse_id, std::nullopt, ship), a.quantity);
                if (a.backorder_id) delta[*a.backorder_id] -= a.quantity;
                if (a.from_kind == AllocKind::po_queue && a.from_vendor)
                    received[{a.line_id, *a.from_vendor}] += a.quantity;
                items[{ship, a.line_id}] += a.quantity;
                if (a.reservation_id)
                    reserved[*a.reservation_id] += a.quantity;
                else
                    inventory[{a.warehouse_id, a.sku_id}] += a.quantity;
            }
            for (const ReleaseStep& r : plan.releases) delta[r.allocation_id] -= r.quantity;
            for (const BackorderStep& b : plan.backorders)
                add(key_of(b.line_id, AllocKind::backordered, b.warehouse_id, std::nullopt, std::nullopt), b.quantity);
            for (const QueueStep& q : plan.queued)
                add(key_of(q.line_id, q.method == Method::dropship ? AllocKind::dropship : AllocKind::po_queue,
                           std::nullopt, q.vendor_id, std::nullopt),
                    q.quantity);
            for (const auto& [wk, n] : inventory) {
                if (t.exec_params("UPDATE inventory SET allocated = allocated + $1 WHERE warehouse_id = $2 AND "
                                  "sku_id = $3 AND on_hand - allocated >= $1",
                                  n, wk.first, wk.second)
                        .affected_rows() != 1)
                    return Error{"inventory of sku " + std::to_string(wk.second) + " at warehouse " +
                                 std::to_string(wk.first) + " no longer has " + std::to_string(n) + " available"};
            }
            for (const auto& [id, n] : reserved) {
                if (t.exec_params("UPDATE reservations SET quantity = quantity - $1 WHERE id = $2 AND quantity > $1",
                                  n, id)
                        .affected_rows() == 0)
                    t.exec_params("DELETE FROM reservations WHERE id = $1", id);
            }
            for (const auto& [id, n] : delta) {
                if (n == 0) continue;
                if (existing_qty[id] + n <= 0)
                    t.exec_params("DELETE FROM allocations WHERE id = $1", id);
                else
                    t.exec_params("UPDATE allocations SET quantity = quantity + $1 WHERE id = $2", n, id);
            }
            for (const auto& [k, n] : fresh) {
                if (n <= 0) continue;
                const auto& [line, kind, warehouse, vendor, shipment] = k;
                t.exec_params("INSERT INTO allocations (order_item_id, kind, quantity, warehouse_id, vendor_id, "
                              "shipment_id, run_id, created_at) VALUES ($1, $2, $3, nullif($4, 0), nullif($5, 0), "
                              "nullif($6, 0), $7, $8::timestamptz)",
                              line, std::string(to_string(static_cast<AllocKind>(kind))), n, id_or_zero(warehouse),
                              id_or_zero(vendor), id_or_zero(shipment), run, now);
            }
            for (const auto& [sk, n] : items)
                t.exec_params("INSERT INTO shipment_items (shipment_id, order_item_id, quantity) VALUES ($1, $2, $3) "
                              "ON CONFLICT (shipment_id, order_item_id) DO UPDATE SET quantity = "
                              "shipment_items.quantity + excluded.quantity",
                              sk.first, sk.second, n);
            for (const auto& [lv, n] : received) {
                std::int64_t left = n;
                for (const auto& row : t.exec_params("SELECT id, quantity FROM purchase_order_queue WHERE "
                                                     "order_item_id = $1 AND vendor_id = $2 ORDER BY id",
                                                     lv.first, lv.second)) {
                    if (left <= 0) break;
                    const RowId id = row[0].as<RowId>();
                    const std::int64_t qty = row[1].as<std::int64_t>();
                    if (qty <= left)
                        t.exec_params("DELETE FROM purchase_order_queue WHERE id = $1", id);
                    else
                        t.exec_params("UPDATE purchase_order_queue SET quantity = quantity - $1 WHERE id = $2", left, id);
                    left -= std::min(left, qty);
                }
            }
            for (const QueueStep& s : plan.queued)
                t.exec_params("INSERT INTO purchase_order_queue (order_item_id, sku_id, vendor_id, quantity, "
                              "fulfillment_method, po_method, po_template, run_id, created_at) VALUES ($1, $2, $3, $4, "
                              "$5, CASE WHEN $6 THEN $7 END, CASE WHEN $8 THEN $9 END, $10, $11::timestamptz)",
                              s.line_id, s.sku_id, s.vendor_id, s.quantity, std::string(to_string(s.method)),
                              s.po_method.has_value(), s.po_method.value_or(""), s.po_template.has_value(),
                              s.po_template.value_or(""), run, now);
            return ok_status();
        });
    } catch (const std::exception& e) {
        return pg_error(db_, "cannot write the sourcing of order " + order.number, e);
    }
}

}  // namespace olmd::store
