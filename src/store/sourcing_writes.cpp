// The sourcing repository's writes: one order's plan, inside the caller's
// transaction and savepoint (SRC-7..SRC-11, SRC-14, SRC-15). While staging (a
// batch's first attempt, without savepoints) the new rows of every order are
// collected and flush_writes() writes them with multi-row statements, in the
// order apply() would have; changes to rows that exist already (filled
// backorders, reservations, received queue lines) are written at once.
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <map>

#include "store/sourcing_impl.hpp"
#include "store/sourcing_plan_rows.hpp"

namespace olmd::store {

using namespace olmd::domain::sourcing;

namespace {

void bind_opt(SQLite::Statement& q, int i, RowId id) {
    if (id == 0)
        q.bind(i);
    else
        q.bind(i, static_cast<std::int64_t>(id));
}

void bind_opt(SQLite::Statement& q, int i, const std::optional<std::string>& s) {
    if (s)
        q.bind(i, *s);
    else
        q.bind(i);
}

}  // namespace

Status SqliteSourcing::apply(const SourcingOrder& order, const Plan& plan, RunId run,
                                 const std::string& now) {
    if (plan.empty()) return ok_status();
    Impl& m = *impl_;
    try {
        // SRC-11: a new shipment per warehouse units are assigned at in this run; a shipment that
        // already exists is never added to (warehouse staff may be picking it).
        // Staging, the new rows wait for flush_writes(); shipments get placeholder ids until then.
        PlanRows rows;
        if (m.staging) {
            rows = m.staged.stage(order, plan, run, now);
        } else {
            std::map<RowId, RowId> shipment_at;  // warehouse -> shipment id
            for (RowId warehouse : shipment_warehouses(plan)) {
                auto& q = m.insert_shipment;
                q.tryReset();
                q.bind(1, static_cast<std::int64_t>(order.id));
                q.bind(2, static_cast<std::int64_t>(warehouse));
                q.bind(3, static_cast<std::int64_t>(run));
                q.bind(4, now);
                q.exec();
                shipment_at.emplace(warehouse, m.db.getLastInsertRowid());
            }
            // Allocation rows: changes to existing rows by id, new rows by identity.
            rows = plan_rows(order, plan, shipment_at);
        }
        for (const auto& [wk, n] : rows.inventory) {
            auto& q = m.take_inventory;
            q.tryReset();
            q.bind(1, static_cast<std::int64_t>(n));
            q.bind(2, static_cast<std::int64_t>(wk.first));
            q.bind(3, static_cast<std::int64_t>(wk.second));
            if (q.exec() != 1)
                return Error{"inventory of sku " + std::to_string(wk.second) + " at warehouse " +
                             std::to_string(wk.first) + " no longer has " + std::to_string(n) + " available"};
        }
        for (const auto& [id, n] : rows.reserved) {
            auto& q = m.shrink_reservation;
            q.tryReset();
            q.bind(1, static_cast<std::int64_t>(n));
            q.bind(2, static_cast<std::int64_t>(id));
            if (q.exec() == 0) {
                auto& d = m.delete_reservation;
                d.tryReset();
                d.bind(1, static_cast<std::int64_t>(id));
                d.exec();
            }
        }

        for (RowId id : rows.remove) {
            auto& q = m.delete_allocation;
            q.tryReset();
            q.bind(1, static_cast<std::int64_t>(id));
            q.exec();
        }
        for (const auto& [id, n] : rows.grow) {
            auto& q = m.add_allocation;
            q.tryReset();
            q.bind(1, static_cast<std::int64_t>(n));
            q.bind(2, static_cast<std::int64_t>(id));
            q.exec();
        }
        for (const auto& [k, n] : rows.fresh) {
            const auto& [line, kind, warehouse, vendor, shipment] = k;
            auto& q = m.insert_allocation;
            q.tryReset();
            q.bind(1, static_cast<std::int64_t>(line));
            q.bind(2, std::string(to_string(static_cast<AllocKind>(kind))));
            q.bind(3, static_cast<std::int64_t>(n));
            bind_opt(q, 4, warehouse);
            bind_opt(q, 5, vendor);
            bind_opt(q, 6, shipment);
            q.bind(7, static_cast<std::int64_t>(run));
            q.bind(8, now);
            q.exec();
        }
        for (const auto& [sk, n] : rows.items) {
            auto& q = m.upsert_shipment_item;
            q.tryReset();
            q.bind(1, static_cast<std::int64_t>(sk.first));
            q.bind(2, static_cast<std::int64_t>(sk.second));
            q.bind(3, static_cast<std::int64_t>(n));
            q.exec();
        }
        // SRC-14: a jit unit received and assigned shrinks its queue line, or removes it, when the
        // back office has not turned the line into a purchase order yet.
        for (const auto& [lv, n] : rows.received) {
            std::vector<std::pair<RowId, std::int64_t>> found;
            auto& q = m.queue_lines;
            q.tryReset();
            q.bind(1, static_cast<std::int64_t>(lv.first));
            q.bind(2, static_cast<std::int64_t>(lv.second));
            while (q.executeStep()) found.emplace_back(q.getColumn(0).getInt64(), q.getColumn(1).getInt64());
            q.tryReset();
            for (const QueueTake& take : queue_takes(found, n)) {
                auto& u = take.whole ? m.delete_queue_line : m.shrink_queue_line;
                u.tryReset();
                if (take.whole) {
                    u.bind(1, static_cast<std::int64_t>(take.id));
                } else {
                    u.bind(1, static_cast<std::int64_t>(take.units));
                    u.bind(2, static_cast<std::int64_t>(take.id));
                }
                u.exec();
            }
        }
        for (const QueueStep& s : plan.queued) {
            if (m.staging) break;  // staged
            auto& q = m.insert_po;
            q.tryReset();
            q.bind(1, static_cast<std::int64_t>(s.line_id));
            q.bind(2, static_cast<std::int64_t>(s.sku_id));
            q.bind(3, static_cast<std::int64_t>(s.vendor_id));
            q.bind(4, static_cast<std::int64_t>(s.quantity));
            q.bind(5, std::string(to_string(s.method)));
            bind_opt(q, 6, s.po_method);
            bind_opt(q, 7, s.po_template);
            q.bind(8, static_cast<std::int64_t>(run));
            q.bind(9, now);
            q.exec();
        }
    } catch (const std::exception& e) {
        return Error{"cannot write the sourcing of order " + order.number + ": " + e.what()};
    }
    return ok_status();
}

void SqliteSourcing::stage_writes(bool on) {
    impl_->staged.clear();
    impl_->staging = on;
}

Status SqliteSourcing::flush_writes() {
    Impl& m = *impl_;
    if (!m.staging) return ok_status();
    const std::int64_t run = m.staged.run;
    const std::string& now = m.staged.now;
    try {
        if (!m.multi_shipments) {
            m.multi_shipments = std::make_unique<MultiRow>(
                m.db, "INSERT INTO shipments (order_id, warehouse_id, status, run_id, created_at) VALUES ", 5,
                " RETURNING id, order_id, warehouse_id");
            m.multi_allocations = std::make_unique<MultiRow>(
                m.db,
                "INSERT INTO allocations (order_item_id, kind, quantity, warehouse_id, vendor_id, shipment_id, "
                "run_id, created_at) VALUES ",
                8, "");
            m.multi_items = std::make_unique<MultiRow>(
                m.db, "INSERT INTO shipment_items (shipment_id, order_item_id, quantity) VALUES ", 3,
                " ON CONFLICT (shipment_id, order_item_id) DO UPDATE SET quantity = quantity + excluded.quantity");
            // SRC-10: never above on_hand; the batch's units per (warehouse, SKU) at once.
            m.multi_inventory = std::make_unique<MultiRow>(
                m.db, "WITH t(n, w, s) AS (VALUES ", 3,
                ") UPDATE inventory SET allocated = allocated + t.n FROM t WHERE inventory.warehouse_id = t.w "
                "AND inventory.sku_id = t.s AND inventory.on_hand - inventory.allocated >= t.n");
            m.multi_queue = std::make_unique<MultiRow>(
                m.db,
                "INSERT INTO purchase_order_queue (order_item_id, sku_id, vendor_id, quantity, fulfillment_method, "
                "po_method, po_template, run_id, created_at) VALUES ",
                9, "");
        }
        // Shipments first: the placeholders of allocations and items become their ids.
        std::vector<std::tuple<RowId, RowId, RowId>> returned;  // id, order, warehouse
        m.multi_shipments->run(
            m.staged.shipments.size(),
            [&](SQLite::Statement& q, int p, std::size_t i) {
                q.bind(p, static_cast<std::int64_t>(m.staged.shipments[i].order));
                q.bind(p + 1, static_cast<std::int64_t>(m.staged.shipments[i].warehouse));
                q.bind(p + 2, "New");
                q.bind(p + 3, run);
                q.bind(p + 4, now);
            },
            [&](SQLite::Statement& q) {
                returned.emplace_back(q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), q.getColumn(2).getInt64());
            });
        auto ids = m.staged.shipment_ids(std::move(returned));
        if (!ids) {
            m.staged.clear();
            return ids.error();
        }
        const std::vector<RowId> shipment_ids = std::move(*ids);
        auto shipment = [&](RowId s) { return StagedRows::resolve(s, shipment_ids); };
        m.multi_allocations->run(m.staged.allocations.size(), [&](SQLite::Statement& q, int p, std::size_t i) {
            const auto& a = m.staged.allocations[i];
            q.bind(p, static_cast<std::int64_t>(a.line));
            q.bind(p + 1, std::string(to_string(static_cast<AllocKind>(a.kind))));
            q.bind(p + 2, a.quantity);
            bind_opt(q, p + 3, a.warehouse);
            bind_opt(q, p + 4, a.vendor);
            bind_opt(q, p + 5, shipment(a.shipment));
            q.bind(p + 6, run);
            q.bind(p + 7, now);
        });
        m.multi_items->run(m.staged.items.size(), [&](SQLite::Statement& q, int p, std::size_t i) {
            const auto& it = m.staged.items[i];
            q.bind(p, static_cast<std::int64_t>(shipment(it.shipment)));
            q.bind(p + 1, static_cast<std::int64_t>(it.line));
            q.bind(p + 2, it.quantity);
        });
        const std::vector<std::pair<std::pair<RowId, RowId>, std::int64_t>> taken(m.staged.inventory.begin(),
                                                                                  m.staged.inventory.end());
        const long long updated = m.multi_inventory->run(taken.size(), [&](SQLite::Statement& q, int p, std::size_t i) {
            q.bind(p, taken[i].second);
            q.bind(p + 1, static_cast<std::int64_t>(taken[i].first.first));
            q.bind(p + 2, static_cast<std::int64_t>(taken[i].first.second));
        });
        if (updated != static_cast<long long>(taken.size()))
            return Error{"the inventory of the batch's SKUs no longer has the units the batch assigned (" +
                         std::to_string(updated) + " of " + std::to_string(taken.size()) + " rows updated)"};
        m.multi_queue->run(m.staged.queue.size(), [&](SQLite::Statement& q, int p, std::size_t i) {
            const auto& l = m.staged.queue[i];
            q.bind(p, static_cast<std::int64_t>(l.line));
            q.bind(p + 1, static_cast<std::int64_t>(l.sku));
            q.bind(p + 2, static_cast<std::int64_t>(l.vendor));
            q.bind(p + 3, l.quantity);
            q.bind(p + 4, l.method);
            bind_opt(q, p + 5, l.po_method);
            bind_opt(q, p + 6, l.po_template);
            q.bind(p + 7, run);
            q.bind(p + 8, now);
        });
    } catch (const std::exception& e) {
        m.staged.clear();
        return Error{std::string("cannot write the sourcing of a batch: ") + e.what()};
    }
    m.staged.clear();
    return ok_status();
}

}  // namespace olmd::store
