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

PlanRows StagedRows::stage(const SourcingOrder& order, const Plan& plan, RunId run_id, const std::string& now_text) {
    run = run_id;
    now = now_text;
    std::map<RowId, RowId> shipment_at;  // warehouse -> placeholder
    for (RowId warehouse : shipment_warehouses(plan)) {
        shipments.push_back({order.id, warehouse});
        shipment_at.emplace(warehouse, -static_cast<RowId>(shipments.size()));
    }
    PlanRows rows = plan_rows(order, plan, shipment_at);
    for (const auto& [wk, n] : rows.inventory) inventory[wk] += n;
    for (const auto& [k, n] : rows.fresh) {
        const auto& [line, kind, warehouse, vendor, shipment] = k;
        allocations.push_back({line, kind, n, warehouse, vendor, shipment});
    }
    for (const auto& [sk, n] : rows.items) items.push_back({sk.first, sk.second, n});
    for (const QueueStep& s : plan.queued)
        queue.push_back({s.line_id, s.sku_id, s.vendor_id, s.quantity, std::string(to_string(s.method)), s.po_method,
                         s.po_template});
    rows.inventory.clear();
    rows.fresh.clear();
    rows.items.clear();
    return rows;
}

Result<std::vector<RowId>> StagedRows::shipment_ids(std::vector<std::tuple<RowId, RowId, RowId>> returned) const {
    std::map<std::pair<RowId, RowId>, std::vector<std::size_t>> waiting;  // (order, warehouse) -> indexes, last first
    for (std::size_t i = shipments.size(); i-- > 0;)
        waiting[{shipments[i].order, shipments[i].warehouse}].push_back(i);
    std::sort(returned.begin(), returned.end());
    std::vector<RowId> ids(shipments.size(), 0);
    for (const auto& [id, order, warehouse] : returned) {
        auto it = waiting.find({order, warehouse});
        if (it == waiting.end() || it->second.empty())
            return Error{"the store returned shipment " + std::to_string(id) + " that was not staged"};
        ids[it->second.back()] = id;
        it->second.pop_back();
    }
    if (returned.size() != shipments.size())
        return Error{"the store inserted " + std::to_string(returned.size()) + " of " +
                     std::to_string(shipments.size()) + " staged shipments"};
    return ids;
}

void StagedRows::clear() {
    shipments.clear();
    allocations.clear();
    items.clear();
    inventory.clear();
    queue.clear();
}

}  // namespace olmd::store
