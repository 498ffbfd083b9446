// The PostgreSQL sourcing repository's writes (pg_sourcing.hpp): one order's plan inside the caller's
// batch, row for row what sourcing_writes.cpp writes on SQLite (SRC-7..SRC-11, SRC-14, SRC-15): the
// same shipments, shipment_items, allocations, inventory.allocated (guarded: never above on_hand),
// reservations and purchase-order-queue lines, in the same order. While staging (a batch's first
// attempt) the new rows of every order wait in StagedRows and flush_writes() sends each table's in one
// statement of arrays (unnest), as SQLite's multi-row statements do: one round trip per table per
// batch instead of one per row.
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
    // The staged rows of a batch, one array per column, in staging order (WITH ORDINALITY: ids are
    // given in the order SQLite's multi-row statements give them).
    prepare_once(c, "olmd_src_insert_shipments",
                 "INSERT INTO shipments (order_id, warehouse_id, status, run_id, created_at) "
                 "SELECT t.o, t.w, 'New', $3, $4::timestamptz FROM unnest($1::bigint[], $2::bigint[]) "
                 "WITH ORDINALITY AS t(o, w, n) ORDER BY t.n RETURNING id, order_id, warehouse_id");
    prepare_once(c, "olmd_src_insert_allocations",
                 "INSERT INTO allocations (order_item_id, kind, quantity, warehouse_id, vendor_id, shipment_id, "
                 "run_id, created_at) SELECT t.l, t.k, t.q, NULLIF(t.w, 0), NULLIF(t.v, 0), NULLIF(t.s, 0), $7, "
                 "$8::timestamptz FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], "
                 "$6::bigint[]) WITH ORDINALITY AS t(l, k, q, w, v, s, n) ORDER BY t.n");
    prepare_once(c, "olmd_src_upsert_items",
                 "INSERT INTO shipment_items (shipment_id, order_item_id, quantity) SELECT t.s, t.l, t.q "
                 "FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) WITH ORDINALITY AS t(s, l, q, n) ORDER BY t.n "
                 "ON CONFLICT (shipment_id, order_item_id) DO UPDATE SET quantity = shipment_items.quantity + "
                 "excluded.quantity");
    // SRC-10: never above on_hand; the batch's units per (warehouse, SKU) at once.
    prepare_once(c, "olmd_src_take_inventories",
                 "UPDATE inventory SET allocated = allocated + t.q FROM unnest($1::bigint[], $2::bigint[], "
                 "$3::bigint[]) AS t(q, w, s) WHERE inventory.warehouse_id = t.w AND inventory.sku_id = t.s "
                 "AND inventory.on_hand - inventory.allocated >= t.q");
    prepare_once(c, "olmd_src_insert_pos",
                 "INSERT INTO purchase_order_queue (order_item_id, sku_id, vendor_id, quantity, fulfillment_method, "
                 "po_method, po_template, run_id, created_at) SELECT t.l, t.k, t.v, t.q, t.m, t.pm, t.pt, $8, "
                 "$9::timestamptz FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[], "
                 "$6::text[], $7::text[]) WITH ORDINALITY AS t(l, k, v, q, m, pm, pt, n) ORDER BY t.n");
}

Status PgSourcing::apply(const SourcingOrder& order, const Plan& plan, RunId run, const std::string& now) {
    if (plan.empty()) return ok_status();
    try {
        prepare();
        return in_transaction(db_.impl(), [&](pqxx::transaction_base& t) -> Status {
            // SRC-11: a new shipment per warehouse units are assigned at in this run; staging, it waits
            // for flush_writes() with a placeholder id, as do the other new rows.
            PlanRows rows;
            if (staging_) {
                rows = staged_.stage(order, plan, run, now);
            } else {
                std::map<RowId, RowId> shipment_at;  // warehouse -> shipment id
                for (RowId w : shipment_warehouses(plan))
                    shipment_at.emplace(
                        w, t.exec_prepared1("olmd_src_insert_shipment", order.id, w, run, now)[0].as<RowId>());
                rows = plan_rows(order, plan, shipment_at);
            }
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
            if (!staging_)
                for (const QueueStep& s : plan.queued)
                    t.exec_prepared("olmd_src_insert_po", s.line_id, s.sku_id, s.vendor_id, s.quantity,
                                    std::string(to_string(s.method)), opt_text(s.po_method), opt_text(s.po_template),
                                    run, now);
            return ok_status();
        });
    } catch (const std::exception& e) {
        return pg_error(db_, "cannot write the sourcing of order " + order.number, e);
    }
}

void PgSourcing::stage_writes(bool on) {
    staged_.clear();
    staging_ = on;
}

Status PgSourcing::flush_writes() {
    if (!staging_) return ok_status();
    const StagedRows& st = staged_;
    auto column = [](const auto& rows, auto field) {
        std::vector<std::decay_t<decltype(field(rows.front()))>> out;
        out.reserve(rows.size());
        for (const auto& r : rows) out.push_back(field(r));
        return out;
    };
    try {
        prepare();
        Status out = in_transaction(db_.impl(), [&](pqxx::transaction_base& t) -> Status {
            // Shipments first: the placeholders of allocations and items become their ids.
            std::vector<std::tuple<RowId, RowId, RowId>> returned;  // id, order, warehouse
            if (!st.shipments.empty())
                for (const auto& row : t.exec_prepared(
                         "olmd_src_insert_shipments", pg_id_array(column(st.shipments, [](auto& s) { return s.order; })),
                         pg_id_array(column(st.shipments, [](auto& s) { return s.warehouse; })), st.run, st.now))
                    returned.emplace_back(row[0].as<RowId>(), row[1].as<RowId>(), row[2].as<RowId>());
            auto got = st.shipment_ids(std::move(returned));
            if (!got) return got.error();
            const std::vector<RowId> ids = std::move(*got);
            if (!st.allocations.empty())
                t.exec_prepared(
                    "olmd_src_insert_allocations", pg_id_array(column(st.allocations, [](auto& a) { return a.line; })),
                    pg_text_array(column(st.allocations,
                                         [](auto& a) { return std::string(to_string(static_cast<AllocKind>(a.kind))); })),
                    pg_id_array(column(st.allocations, [](auto& a) { return a.quantity; })),
                    pg_id_array(column(st.allocations, [](auto& a) { return a.warehouse; })),
                    pg_id_array(column(st.allocations, [](auto& a) { return a.vendor; })),
                    pg_id_array(column(st.allocations, [&](auto& a) { return StagedRows::resolve(a.shipment, ids); })),
                    st.run, st.now);
            if (!st.items.empty()) {
                // One row per (shipment, line): ON CONFLICT may not touch a row twice in one statement.
                std::map<std::pair<RowId, RowId>, std::int64_t> merged;
                std::vector<std::pair<RowId, RowId>> order;
                for (const auto& it : st.items) {
                    const auto key = std::make_pair(StagedRows::resolve(it.shipment, ids), it.line);
                    if (merged.emplace(key, 0).second) order.push_back(key);
                    merged[key] += it.quantity;
                }
                t.exec_prepared("olmd_src_upsert_items", pg_id_array(column(order, [](auto& k) { return k.first; })),
                                pg_id_array(column(order, [](auto& k) { return k.second; })),
                                pg_id_array(column(order, [&](auto& k) { return merged.at(k); })));
            }
            if (!st.inventory.empty()) {
                const std::vector<std::pair<std::pair<RowId, RowId>, std::int64_t>> taken(st.inventory.begin(),
                                                                                          st.inventory.end());
                const auto updated =
                    t.exec_prepared("olmd_src_take_inventories",
                                    pg_id_array(column(taken, [](auto& w) { return w.second; })),
                                    pg_id_array(column(taken, [](auto& w) { return w.first.first; })),
                                    pg_id_array(column(taken, [](auto& w) { return w.first.second; })))
                        .affected_rows();
                if (updated != taken.size())
                    return Error{"the inventory of the batch's SKUs no longer has the units the batch assigned (" +
                                 std::to_string(updated) + " of " + std::to_string(taken.size()) + " rows updated)"};
            }
            if (!st.queue.empty())
                t.exec_prepared("olmd_src_insert_pos", pg_id_array(column(st.queue, [](auto& l) { return l.line; })),
                                pg_id_array(column(st.queue, [](auto& l) { return l.sku; })),
                                pg_id_array(column(st.queue, [](auto& l) { return l.vendor; })),
                                pg_id_array(column(st.queue, [](auto& l) { return l.quantity; })),
                                pg_text_array(column(st.queue, [](auto& l) { return l.method; })),
                                pg_text_array(column(st.queue, [](auto& l) { return l.po_method; })),
                                pg_text_array(column(st.queue, [](auto& l) { return l.po_template; })), st.run,
                                st.now);
            return ok_status();
        });
        staged_.clear();
        return out;
    } catch (const std::exception& e) {
        staged_.clear();
        return pg_error(db_, "cannot write the sourcing of a batch", e);
    }
}

}  // namespace olmd::store
