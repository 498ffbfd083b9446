// The row changes of a sourcing plan (see sourcing_plan_rows.hpp).
#include "store/sourcing_plan_rows.hpp"

#include <algorithm>

namespace olmd::store {

using namespace olmd::domain::sourcing;

namespace {

AllocKey key_of(RowId line, AllocKind kind, std::optional<RowId> w, std::optional<RowId> v, std::optional<RowId> s) {
    return {line, static_cast<int>(kind), w.value_or(0), v.value_or(0), s.value_or(0)};
}

}  // namespace

std::vector<RowId> shipment_warehouses(const Plan& plan) {
    std::vector<RowId> out;
    for (const AssignStep& a : plan.assigns)
        if (std::find(out.begin(), out.end(), a.warehouse_id) == out.end()) out.push_back(a.warehouse_id);
    return out;
}

PlanRows plan_rows(const SourcingOrder& order, const Plan& plan, const std::map<RowId, RowId>& shipment_at) {
    PlanRows rows;
    std::map<AllocKey, RowId> existing;          // identity -> row id (the first such row)
    std::map<RowId, std::int64_t> existing_qty;  // row id -> quantity
    for (const Allocation& a : order.allocations) {
        existing.emplace(key_of(a.line_id, a.kind, a.warehouse_id, a.vendor_id, a.shipment_id), a.id);
        existing_qty[a.id] = a.quantity;
    }
    std::map<RowId, std::int64_t> delta;  // existing row id -> change
    std::map<AllocKey, std::int64_t> fresh;
    auto add = [&](const AllocKey& k, std::int64_t n) {
        auto it = existing.find(k);
        if (it != existing.end())
            delta[it->second] += n;
        else
            fresh[k] += n;
    };
    for (const AssignStep& a : plan.assigns) {
        const RowId ship = shipment_at.at(a.warehouse_id);
        add(key_of(a.line_id, AllocKind::assigned, a.warehouse_id, std::nullopt, ship), a.quantity);
        if (a.backorder_id) delta[*a.backorder_id] -= a.quantity;
        if (a.from_kind == AllocKind::po_queue && a.from_vendor) rows.received[{a.line_id, *a.from_vendor}] += a.quantity;
        rows.items[{ship, a.line_id}] += a.quantity;
        if (a.reservation_id)
            rows.reserved[*a.reservation_id] += a.quantity;
        else
            rows.inventory[{a.warehouse_id, a.sku_id}] += a.quantity;
    }
    for (const ReleaseStep& r : plan.releases) delta[r.allocation_id] -= r.quantity;
    for (const BackorderStep& b : plan.backorders)
        add(key_of(b.line_id, AllocKind::backordered, b.warehouse_id, std::nullopt, std::nullopt), b.quantity);
    for (const QueueStep& q : plan.queued)
        add(key_of(q.line_id, q.method == Method::dropship ? AllocKind::dropship : AllocKind::po_queue, std::nullopt,
                   q.vendor_id, std::nullopt),
            q.quantity);
    for (const auto& [id, n] : delta) {
        if (n == 0) continue;
        if (existing_qty[id] + n <= 0)
            rows.remove.push_back(id);
        else
            rows.grow.emplace_back(id, n);
    }
    for (const auto& [k, n] : fresh)
        if (n > 0) rows.fresh.emplace(k, n);
    return rows;
}

std::vector<QueueTake> queue_takes(const std::vector<std::pair<RowId, std::int64_t>>& lines, std::int64_t units) {
    std::vector<QueueTake> out;
    std::int64_t left = units;
    for (const auto& [id, qty] : lines) {
        if (left <= 0) break;
        out.push_back(QueueTake{id, std::min(left, qty), qty <= left});
        left -= std::min(left, qty);
    }
    return out;
}

}  // namespace olmd::store
