// The PostgreSQL sourcing repository's writes (pg_sourcing.hpp): one order's plan inside the caller's
// batch, row for row what sourcing_writes.cpp writes on SQLite when it is not staging (SRC-7..SRC-11,
// SRC-14, SRC-15): the same shipments, shipment_items, allocations, inventory.allocated (guarded:
// never above on_hand), reservations and purchase-order-queue lines, in the same order.
#include <algorithm>
#include <map>
#include <tuple>

#include "store/postgres/pg_sourcing.hpp"
#include "store/sourcing_plan_rows.hpp"

namespace olmd::store {

using namespace olmd::domain::sourcing;

namespace {

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
            for (RowId w : shipment_warehouses(plan))
                shipment_at.emplace(w, t.exec_prepared1("olmd_src_insert_shipment", order.id, w, run, now)[0].as<RowId>());
            const PlanRows rows = plan_rows(order, plan, shipment_at);
            // SRC-10: inventory.allocated, never above on_hand.
            for (const auto& [wk, n] : rows.inventory)
                if (t.exec_prepared("olmd_src_take_inventory", n, wk.first, wk.second).affected_rows() != 1)
                    return Error{"inventory of sku " + std::to_string(wk.second) + " at warehouse " +
                                 std::to_string(wk.first) + " no longer has " + std::to_string(n) + " available"};
            for (const auto& [id, n] : rows.reserved)
                if (t.exec_prepared("olmd_src_shrink_reservation", n, id).affected_rows() == 0)
                    t.exec_prepared("olmd_src_delete_reservation", id);
            for (RowId id : rows.remove) t.exec_prepared("olmd_src_delete_allocation", id);
            for (const auto& [id, n] : rows.grow) t.exec_prepared("olmd_src_add_allocation", n, id);
            for (const auto& [k, n] : rows.fresh) {
                const auto& [line, kind, warehouse, vendor, shipment] = k;
                t.exec_prepared("olmd_src_insert_allocation", line, std::string(to_string(static_cast<AllocKind>(kind))),
                                n, warehouse, vendor, shipment, run, now);
            }
            for (const auto& [sk, n] : rows.items) t.exec_prepared("olmd_src_upsert_item", sk.first, sk.second, n);
            // SRC-14: a jit unit received and assigned shrinks its queue line, or removes it, when the back
            // office has not turned the line into a purchase order yet.
            for (const auto& [lv, n] : rows.received) {
                std::vector<std::pair<RowId, std::int64_t>> found;
                for (const auto& row : t.exec_prepared("olmd_src_queue_lines", lv.first, lv.second))
                    found.emplace_back(row[0].as<RowId>(), row[1].as<std::int64_t>());
                for (const QueueTake& q : queue_takes(found, n)) {
                    if (q.whole)
                        t.exec_prepared("olmd_src_delete_queue_line", q.id);
                    else
                        t.exec_prepared("olmd_src_shrink_queue_line", q.units, q.id);
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
