// The PostgreSQL sourcing repository's writes (pg_sourcing.hpp): one order's plan inside the caller's
// batch, row for row what sourcing_writes.cpp writes on SQLite when it is not staging (SRC-7..SRC-11,
// SRC-14, SRC-15): the same shipments, shipment_items, allocations, inventory.allocated (guarded:
// never above on_hand), reservations and purchase-order-queue lines, in the same order.
#include <algorithm>
#include <map>
#include <tuple>

#include "store/postgres/pg_sourcing.hpp"

namespace olmd::store {

using namespace olmd::domain::sourcing;

namespace {

/// One allocations row's identity: line, kind, warehouse, vendor, shipment (0 = NULL).
using AllocKey = std::tuple<RowId, int, RowId, RowId, RowId>;

AllocKey key_of(RowId line, AllocKind kind, std::optional<RowId> w, std::optional<RowId> v, std::optional<RowId> s) {
    return {line, static_cast<int>(kind), w.value_or(0), v.value_or(0), s.value_or(0)};
}

/// An optional text as a parameter (null pointer: NULL).
const char* opt_text(const std::optional<std::string>& s) { return s ? s->c_str() : nullptr; }

}  // namespace

void prepare_pg_sourcing_writes(pqxx::connection_base& c) {
    prepare_once(c, "olmd_src_insert_shipment",
                 "INSERT INTO shipments (order_id, warehouse_id, status, run_id, created_at) "
                 "VALUES ($1, $2, 'New', $3, $4::timestamptz) RETURNING id");
    prepare_once(c, "olmd_src_upsert_item",
                 "INSERT INTO shipment_items (shipment_id, order_item_id, quantity) VALUES ($1, $2, $3) "
                 "ON CONFLICT (shipment_id, order_item_id) DO UPDATE SET quantity = shipment_items.quantity + "
                 "excluded.quantity");
    // Ids 0 are NULL (AllocKey's spelling).
    prepare_once(c, "olmd_src_insert_allocation",
                 "INSERT INTO allocations (order_item_id, kind, quantity, warehouse_id, vendor_id, shipment_id, "
                 "run_id, created_at) VALUES ($1, $2, $3, NULLIF($4::bigint, 0), NULLIF($5::bigint, 0), "
                 "NULLIF($6::bigint, 0), $7, $8::timestamptz)");
    prepare_once(c, "olmd_src_add_allocation", "UPDATE allocations SET quantity = quantity + $1 WHERE id = $2");
    prepare_once(c, "olmd_src_delete_allocation", "DELETE FROM allocations WHERE id = $1");
    // SRC-10: never above on_hand.
    prepare_once(c, "olmd_src_take_inventory",
                 "UPDATE inventory SET allocated = allocated + $1 "
                 "WHERE warehouse_id = $2 AND sku_id = $3 AND on_hand - allocated >= $1");
    prepare_once(c, "olmd_src_shrink_reservation",
                 "UPDATE reservations SET quantity = quantity - $1 WHERE id = $2 AND quantity > $1");
    prepare_once(c, "olmd_src_delete_reservation", "DELETE FROM reservations WHERE id = $1");
    prepare_once(c, "olmd_src_insert_po",
                 "INSERT INTO purchase_order_queue (order_item_id, sku_id, vendor_id, quantity, fulfillment_method, "
                 "po_method, po_template, run_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::timestamptz)");
    prepare_once(c, "olmd_src_queue_lines",
                 "SELECT id, quantity FROM purchase_order_queue WHERE order_item_id = $1 AND vendor_id = $2 ORDER BY id");
    prepare_once(c, "olmd_src_shrink_queue_line", "UPDATE purchase_order_queue SET quantity = quantity - $1 WHERE id = $2");
    prepare_once(c, "olmd_src_delete_queue_line", "DELETE FROM purchase_order_queue WHERE id = $1");
}

Status PgSourcing::apply(const SourcingOrder& order, const Plan& plan, RunId run, const std::string& now) {
    if (plan.empty()) return ok_status();
    try {
        prepare();
        return in_transaction(db_.impl(), [&](pqxx::transaction_base& t) -> Status {
            // SRC-11: a new shipment per warehouse units are assigned at in this run.
            std::map<RowId, RowId> shipment_at;  // warehouse -> shipment id
            for (const AssignStep& a : plan.assigns) {
                if (shipment_at.count(a.warehouse_id)) continue;
                shipment_at.emplace(a.warehouse_id,
                                    t.exec_prepared1("olmd_src_insert_shipment", order.id, a.warehouse_id, run, now)[0]
                                        .as<RowId>());
            }

            // Allocation rows: changes to existing rows by id, new rows by identity.
            std::map<AllocKey, RowId> existing;
            std::map<RowId, std::int64_t> existing_qty;
            for (const Allocation& a : order.allocations) {
                existing.emplace(key_of(a.line_id, a.kind, a.warehouse_id, a.vendor_id, a.shipment_id), a.id);
                existing_qty[a.id] = a.quantity;
            }
            std::map<RowId, std::int64_t> delta;
            std::map<AllocKey, std::int64_t> fresh;  // written in a stable order
            auto add = [&](const AllocKey& k, std::int64_t n) {
                auto it = existing.find(k);
                if (it != existing.end())
                    delta[it->second] += n;
                else
                    fresh[k] += n;
            };
            std::map<std::pair<RowId, RowId>, std::int64_t> items;      // (shipment, line) -> units
            std::map<std::pair<RowId, RowId>, std::int64_t> inventory;  // (warehouse, sku) -> units
            std::map<RowId, std::int64_t> reserved;                     // reservation -> units consumed
            std::map<std::pair<RowId, RowId>, std::int64_t> received;   // (line, vendor) -> jit units received
            for (const AssignStep& a : plan.assigns) {
                const RowId ship = shipment_at.at(a.warehouse_id);
                add(key_of(a.line_id, AllocKind::assigned, a.warehouse_id, std::nullopt, ship), a.quantity);
                if (a.backorder_id) delta[*a.backorder_id] -= a.quantity;
                if (a.from_kind == AllocKind::po_queue && a.from_vendor) received[{a.line_id, *a.from_vendor}] += a.quantity;
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

            // SRC-10: inventory.allocated, never above on_hand.
            for (const auto& [wk, n] : inventory)
                if (t.exec_prepared("olmd_src_take_inventory", n, wk.first, wk.second).affected_rows() != 1)
                    return Error{"inventory of sku " + std::to_string(wk.second) + " at warehouse " +
                                 std::to_string(wk.first) + " no longer has " + std::to_string(n) + " available"};
            for (const auto& [id, n] : reserved)
                if (t.exec_prepared("olmd_src_shrink_reservation", n, id).affected_rows() == 0)
                    t.exec_prepared("olmd_src_delete_reservation", id);

            for (const auto& [id, n] : delta) {
                if (n == 0) continue;
                if (existing_qty[id] + n <= 0)
                    t.exec_prepared("olmd_src_delete_allocation", id);
                else
                    t.exec_prepared("olmd_src_add_allocation", n, id);
            }
            for (const auto& [k, n] : fresh) {
                if (n <= 0) continue;
                const auto& [line, kind, warehouse, vendor, shipment] = k;
                t.exec_prepared("olmd_src_insert_allocation", line, std::string(to_string(static_cast<AllocKind>(kind))),
                                n, warehouse, vendor, shipment, run, now);
            }
            for (const auto& [sk, n] : items) t.exec_prepared("olmd_src_upsert_item", sk.first, sk.second, n);
            // SRC-14: a jit unit received and assigned shrinks its queue line, or removes it, when the back
            // office has not turned the line into a purchase order yet.
            for (const auto& [lv, n] : received) {
                std::vector<std::pair<RowId, std::int64_t>> found;
                for (const auto& row : t.exec_prepared("olmd_src_queue_lines", lv.first, lv.second))
                    found.emplace_back(row[0].as<RowId>(), row[1].as<std::int64_t>());
                std::int64_t left = n;
                for (const auto& [id, qty] : found) {
                    if (left <= 0) break;
                    if (qty <= left)
                        t.exec_prepared("olmd_src_delete_queue_line", id);
                    else
                        t.exec_prepared("olmd_src_shrink_queue_line", left, id);
                    left -= std::min(left, qty);
                }
            }
            for (const QueueStep& s : plan.queued)
                t.exec_prepared("olmd_src_insert_po", s.line_id, s.sku_id, s.vendor_id, s.quantity,
                                std::string(to_string(s.method)), opt_text(s.po_method), opt_text(s.po_template), run,
                                now);
            return ok_status();
        });
    } catch (const std::exception& e) {
        return pg_error(db_, "cannot write the sourcing of order " + order.number, e);
    }
}

}  // namespace olmd::store
