// The sourcing repository's writes: one order's plan, inside the caller's
// transaction and savepoint (SRC-7..SRC-11, SRC-14, SRC-15).
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "store/sourcing_impl.hpp"

namespace olmd::store {

using namespace olmd::domain::sourcing;

namespace {

/// One allocations row's identity: line, kind, warehouse, vendor, shipment (0 = NULL).
using AllocKey = std::tuple<RowId, int, RowId, RowId, RowId>;

AllocKey key_of(RowId line, AllocKind kind, std::optional<RowId> w, std::optional<RowId> v,
                std::optional<RowId> s) {
    return {line, static_cast<int>(kind), w.value_or(0), v.value_or(0), s.value_or(0)};
}

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
        std::map<RowId, RowId> shipment_at;  // warehouse -> shipment id
        for (const AssignStep& a : plan.assigns) {
            if (shipment_at.count(a.warehouse_id)) continue;
            auto& q = m.insert_shipment;
            q.tryReset();
            q.bind(1, static_cast<std::int64_t>(order.id));
            q.bind(2, static_cast<std::int64_t>(a.warehouse_id));
            q.bind(3, static_cast<std::int64_t>(run));
            q.bind(4, now);
            q.exec();
            shipment_at.emplace(a.warehouse_id, m.db.getLastInsertRowid());
        }

        // Allocation rows: changes to existing rows by id, new rows by identity.
        std::map<AllocKey, RowId> existing;          // identity -> row id (the first such row)
        std::map<RowId, std::int64_t> existing_qty;  // row id -> quantity
        for (const Allocation& a : order.allocations) {
            existing.emplace(key_of(a.line_id, a.kind, a.warehouse_id, a.vendor_id, a.shipment_id), a.id);
            existing_qty[a.id] = a.quantity;
        }
        std::map<RowId, std::int64_t> delta;     // existing row id -> change
        std::map<AllocKey, std::int64_t> fresh;  // new rows (std::map: written in a stable order)
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
        std::map<std::pair<RowId, RowId>, std::int64_t> received;  // (line, vendor) -> jit units received
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
            add(key_of(b.line_id, AllocKind::backordered, b.warehouse_id, std::nullopt, std::nullopt),
                b.quantity);
        for (const QueueStep& q : plan.queued)
            add(key_of(q.line_id, q.method == Method::dropship ? AllocKind::dropship : AllocKind::po_queue,
                       std::nullopt, q.vendor_id, std::nullopt),
                q.quantity);

        // SRC-10: inventory.allocated, never above on_hand.
        for (const auto& [wk, n] : inventory) {
            auto& q = m.take_inventory;
            q.tryReset();
            q.bind(1, static_cast<std::int64_t>(n));
            q.bind(2, static_cast<std::int64_t>(wk.first));
            q.bind(3, static_cast<std::int64_t>(wk.second));
            if (q.exec() != 1)
                return Error{"inventory of sku " + std::to_string(wk.second) + " at warehouse " +
                             std::to_string(wk.first) + " no longer has " + std::to_string(n) + " available"};
        }
        for (const auto& [id, n] : reserved) {
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

        for (const auto& [id, n] : delta) {
            if (n == 0) continue;
            if (existing_qty[id] + n <= 0) {
                auto& q = m.delete_allocation;
                q.tryReset();
                q.bind(1, static_cast<std::int64_t>(id));
                q.exec();
            } else {
                auto& q = m.add_allocation;
                q.tryReset();
                q.bind(1, static_cast<std::int64_t>(n));
                q.bind(2, static_cast<std::int64_t>(id));
                q.exec();
            }
        }
        for (const auto& [k, n] : fresh) {
            if (n <= 0) continue;
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
        for (const auto& [sk, n] : items) {
            auto& q = m.upsert_shipment_item;
            q.tryReset();
            q.bind(1, static_cast<std::int64_t>(sk.first));
            q.bind(2, static_cast<std::int64_t>(sk.second));
            q.bind(3, static_cast<std::int64_t>(n));
            q.exec();
        }
        // SRC-14: a jit unit received and assigned shrinks its queue line, or removes it, when the
        // back office has not turned the line into a purchase order yet.
        for (const auto& [lv, n] : received) {
            std::vector<std::pair<RowId, std::int64_t>> found;
            auto& q = m.queue_lines;
            q.tryReset();
            q.bind(1, static_cast<std::int64_t>(lv.first));
            q.bind(2, static_cast<std::int64_t>(lv.second));
            while (q.executeStep()) found.emplace_back(q.getColumn(0).getInt64(), q.getColumn(1).getInt64());
            q.tryReset();
            std::int64_t left = n;
            for (const auto& [id, qty] : found) {
                if (left <= 0) break;
                auto& u = qty <= left ? m.delete_queue_line : m.shrink_queue_line;
                u.tryReset();
                if (qty <= left) {
                    u.bind(1, static_cast<std::int64_t>(id));
                } else {
                    u.bind(1, static_cast<std::int64_t>(left));
                    u.bind(2, static_cast<std::int64_t>(id));
                }
                u.exec();
                left -= std::min(left, qty);
            }
        }
        for (const QueueStep& s : plan.queued) {
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

}  // namespace olmd::store
