// The in-memory sourcing ports (memory_sourcing.hpp): the reads and the plan writes of
// store::SqliteSourcing (src/store/sourcing_*.cpp) over plain vectors and maps, and the run
// store; the status writer is support/memory_snapshot_writer.hpp.
#include "support/memory_sourcing.hpp"

#include <algorithm>


namespace olmd::test {

using namespace olmd::domain::sourcing;

namespace {

bool in(const std::vector<StatusId>& v, StatusId id) {
    return std::find(v.begin(), v.end(), id) != v.end();
}

/// allocations' identity: line, kind, warehouse, vendor, shipment (0 = NULL), as the SQLite writes use it.
using AllocKey = std::tuple<RowId, int, RowId, RowId, RowId>;

AllocKey key_of(RowId line, AllocKind kind, std::optional<RowId> w, std::optional<RowId> v,
                std::optional<RowId> s) {
    return {line, static_cast<int>(kind), w.value_or(0), v.value_or(0), s.value_or(0)};
}

}  // namespace

// --- MemorySourcingData -------------------------------------------------------------------

SourcingOrder* MemorySourcingData::order(OrderId id) {
    for (auto& o : orders)
        if (o.id == id) return &o;
    return nullptr;
}

const SourcingOrder* MemorySourcingData::order(OrderId id) const {
    for (const auto& o : orders)
        if (o.id == id) return &o;
    return nullptr;
}

OrderId MemorySourcingData::order_of_line(RowId line) const {
    for (const auto& o : orders)
        for (const auto& l : o.lines)
            if (l.id == line) return o.id;
    return 0;
}

SourcingOrder MemorySourcingData::with_details(const SourcingOrder& head) const {
    SourcingOrder o = head;
    o.allocations.clear();
    o.reservations.clear();
    o.new_shipments.clear();
    o.shipment_units.clear();
    o.any_shipment_left = false;
    std::sort(o.lines.begin(), o.lines.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    auto mine = [&](RowId line) { return o.line(line) != nullptr; };
    for (const auto& a : allocations)  // every table is kept in id order
        if (mine(a.row.line_id)) o.allocations.push_back(a.row);
    for (const auto& r : reservations)
        if (mine(r.line_id)) o.reservations.push_back(r);
    for (const auto& s : shipments) {
        if (s.order != o.id) continue;
        const bool is_new = s.status == "New";
        if (is_new) o.new_shipments.push_back(NewShipment{s.id, s.warehouse, {}});
        for (const auto& i : shipment_items)
            if (i.shipment == s.id) o.shipment_units.push_back(ShippedUnits{i.line, i.quantity, is_new, {}});
        o.any_shipment_left = o.any_shipment_left || !is_new;
    }
    return o;
}

// --- MemorySourcing: reads --------------------------------------------------------------------

Result<ReferenceData> MemorySourcing::load_reference() {
    ReferenceData r;
    r.warehouses = d_.warehouses;
    std::stable_sort(r.warehouses.begin(), r.warehouses.end(), [](const Warehouse& a, const Warehouse& b) {
        return a.priority != b.priority ? a.priority < b.priority : a.id < b.id;
    });
    for (const auto& [id, s] : d_.skus) r.skus.emplace(id, s);
    for (const auto& [id, v] : d_.vendors) r.vendors.emplace(id, v);
    for (const auto& [id, cod] : d_.shipping_method_is_cod) r.shipping_method_is_cod.emplace(id, cod);
    const domain::Catalog c = seeded_catalog();
    for (RowId id : c.statuses.ids()) r.statuses.insert(id);
    for (RowId id : c.channels.ids()) r.channels.insert(id);
    return r;
}

Result<std::int64_t> MemorySourcing::count_in_statuses(const std::vector<StatusId>& statuses) {
    return static_cast<std::int64_t>(std::count_if(d_.orders.begin(), d_.orders.end(),
                                                   [&](const auto& o) { return in(statuses, o.status_id); }));
}

Result<std::vector<SourcingOrder>> MemorySourcing::page_by_id(const std::vector<StatusId>& statuses,
                                                              RowId after_id, int limit) {
    std::vector<const SourcingOrder*> heads;
    for (const auto& o : d_.orders)
        if (o.id > after_id && in(statuses, o.status_id)) heads.push_back(&o);
    std::sort(heads.begin(), heads.end(), [](const auto* a, const auto* b) { return a->id < b->id; });
    std::vector<SourcingOrder> out;
    for (const auto* o : heads) {
        if (static_cast<int>(out.size()) >= limit) break;
        out.push_back(d_.with_details(*o));
    }
    return out;
}

Result<std::int64_t> MemorySourcing::snapshot_backordered(const std::vector<StatusId>& statuses) {
    // SRC-14: backordered units and jit units on the queue; SRC-16: drop-ship units of orders none of
    // whose shipments is New any more.
    snapshot_.clear();
    snapshot_statuses_ = statuses;
    for (const auto& head : d_.orders) {
        if (!in(statuses, head.status_id)) continue;
        const SourcingOrder o = d_.with_details(head);
        bool holds = false;
        for (const auto& a : o.allocations) {
            const OrderLine* l = o.line(a.line_id);
            auto sku = l ? d_.skus.find(l->sku_id) : d_.skus.end();
            const bool jit = sku != d_.skus.end() && sku->second.method == Method::jit;
            holds = holds || a.kind == AllocKind::backordered || (a.kind == AllocKind::po_queue && jit) ||
                    (a.kind == AllocKind::dropship && o.new_shipments.empty());
        }
        if (holds) snapshot_.emplace(o.created_at, o.id);
    }
    return static_cast<std::int64_t>(snapshot_.size());
}

Result<std::vector<SourcingOrder>> MemorySourcing::page_backordered(const std::string& after_created,
                                                                    RowId after_id, int limit) {
    std::vector<SourcingOrder> out;
    for (const auto& [created, id] : snapshot_) {
        if (static_cast<int>(out.size()) >= limit) break;
        if (created < after_created || (created == after_created && id <= after_id)) continue;
        const SourcingOrder* o = d_.order(id);
        if (o != nullptr && in(snapshot_statuses_, o->status_id)) out.push_back(d_.with_details(*o));
    }
    return out;
}

Result<std::optional<SourcingOrder>> MemorySourcing::read_order(OrderId id) {
    const SourcingOrder* o = d_.order(id);
    if (o == nullptr) return std::optional<SourcingOrder>{};
    return std::optional<SourcingOrder>{d_.with_details(*o)};
}

Result<std::vector<InventoryRow>> MemorySourcing::inventory(const std::vector<RowId>& skus) {
    std::vector<InventoryRow> out;
    for (const auto& [key, row] : d_.inventory)
        if (in(skus, key.second)) out.push_back(row);
    return out;
}

Result<std::vector<VendorStockRow>> MemorySourcing::vendor_stock(const std::vector<RowId>& skus) {
    // SRC-9: a vendor's units less what the queue already asks of it, by SKU then vendor.
    std::vector<VendorStockRow> out;
    for (const auto& [key, qty] : d_.vendor_stock) {
        const auto [vendor, sku] = key;
        if (!in(skus, sku)) continue;
        std::int64_t queued = 0;
        for (const auto& q : d_.queue)
            if (q.vendor == vendor && q.sku == sku) queued += q.quantity;
        out.push_back(VendorStockRow{sku, vendor, qty - queued, {}});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return std::tie(a.sku_id, a.vendor_id) < std::tie(b.sku_id, b.vendor_id);
    });
    return out;
}

Result<Centroid> MemorySourcing::zip_centroid(const std::string& zip5) {
    Centroid c;
    auto it = d_.zips.find(zip5);
    if (it != d_.zips.end()) c.at = it->second;
    return c;
}

Result<PaymentTotals> MemorySourcing::payment_totals(OrderId id, const std::string& valid_after) {
    // rules.md paid_cents and open_auth_cents; SRC-12: only holds still valid cover anything.
    PaymentTotals p;
    for (const auto& r : d_.payments) {
        if (r.order != id) continue;
        const bool card = r.method == "credit_card", open = card && r.status == "authorized";
        p.paid_cents += card ? r.captured : r.status == "settled" ? r.amount : 0;
        if (open) p.open_auth_cents += r.amount - r.captured;
        if (open && r.created_at > valid_after) p.valid_open_auth_cents += r.amount - r.captured;
        if (card && (r.status == "authorized" || r.status == "captured")) {
            p.card_payment_id = r.id;
            p.card_token = r.card_token;
            p.customer_ref = r.customer_ref;
        }
    }
    return p;
}

Result<RowId> MemorySourcing::insert_rts_payment(RowId card_payment, std::int64_t amount_cents,
                                                 const std::string& now_text) {
    for (const auto& r : d_.payments) {
        if (r.id != card_payment) continue;
        MemPayment p{d_.new_id(), r.order, "credit_card", "pending", amount_cents, 0, r.card_token,
                     r.customer_ref, now_text};
        d_.payments.push_back(p);
        return p.id;
    }
    return Error{"no payment " + std::to_string(card_payment)};
}

// --- MemorySourcing: one order's plan -------------------------------------------------------

Status MemorySourcing::apply(const SourcingOrder& order, const Plan& plan, RunId run, const std::string&) {
    if (plan.empty()) return ok_status();
    // SRC-11: a new shipment per warehouse units are assigned at; an existing one is never added to.
    std::map<RowId, RowId> shipment_at;
    for (const AssignStep& a : plan.assigns) {
        if (shipment_at.count(a.warehouse_id)) continue;
        const RowId id = d_.new_id();
        d_.shipments.push_back(MemShipment{id, order.id, a.warehouse_id, "New", run});
        shipment_at.emplace(a.warehouse_id, id);
    }

    // Changes to the order's allocations (as it was read) by id, new rows by identity.
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
    std::map<std::pair<RowId, RowId>, std::int64_t> items, taken, received;
    std::map<RowId, std::int64_t> reserved;
    for (const AssignStep& a : plan.assigns) {
        const RowId ship = shipment_at.at(a.warehouse_id);
        add(key_of(a.line_id, AllocKind::assigned, a.warehouse_id, std::nullopt, ship), a.quantity);
        if (a.backorder_id) delta[*a.backorder_id] -= a.quantity;
        if (a.from_kind == AllocKind::po_queue && a.from_vendor) received[{a.line_id, *a.from_vendor}] += a.quantity;
        items[{ship, a.line_id}] += a.quantity;
        if (a.reservation_id)
            reserved[*a.reservation_id] += a.quantity;
        else
            taken[{a.warehouse_id, a.sku_id}] += a.quantity;
    }
    for (const ReleaseStep& r : plan.releases) delta[r.allocation_id] -= r.quantity;
    for (const BackorderStep& b : plan.backorders)
        add(key_of(b.line_id, AllocKind::backordered, b.warehouse_id, std::nullopt, std::nullopt), b.quantity);
    for (const QueueStep& q : plan.queued)
        add(key_of(q.line_id, q.method == Method::dropship ? AllocKind::dropship : AllocKind::po_queue,
                   std::nullopt, q.vendor_id, std::nullopt),
            q.quantity);

    // SRC-10: inventory.allocated, guarded: never above on_hand.
    for (const auto& [wk, n] : taken) {
        auto it = d_.inventory.find(wk);
        if (it == d_.inventory.end() || it->second.on_hand - it->second.allocated < n)
            return Error{"inventory of sku " + std::to_string(wk.second) + " at warehouse " +
                         std::to_string(wk.first) + " no longer has " + std::to_string(n) + " available"};
        it->second.allocated += n;
    }
    // SRC-7: a consumed reservation shrinks, or goes when every unit of it is used.
    for (const auto& [id, n] : reserved) {
        auto it = std::find_if(d_.reservations.begin(), d_.reservations.end(), [&](auto& r) { return r.id == id; });
        if (it == d_.reservations.end()) continue;
        if (it->quantity > n)
            it->quantity -= n;
        else
            d_.reservations.erase(it);
    }
    for (const auto& [id, n] : delta) {
        if (n == 0) continue;
        auto it = std::find_if(d_.allocations.begin(), d_.allocations.end(), [&](auto& a) { return a.row.id == id; });
        if (it == d_.allocations.end()) continue;
        if (existing_qty[id] + n <= 0)
            d_.allocations.erase(it);
        else
            it->row.quantity += n;
    }
    for (const auto& [k, n] : fresh) {
        if (n <= 0) continue;
        const auto& [line, kind, warehouse, vendor, shipment] = k;
        if (line == d_.refuse_allocation_of_line)
            return Error{"cannot write the sourcing of order " + order.number + ": refused by the back office"};
        auto opt = [](RowId id) { return id == 0 ? std::optional<RowId>{} : std::optional<RowId>{id}; };
        Allocation a{d_.new_id(), line, static_cast<AllocKind>(kind), n, opt(warehouse), opt(vendor), opt(shipment), {}};
        d_.allocations.push_back(MemAllocation{a, run});
    }
    for (const auto& [sk, n] : items) {
        auto it = std::find_if(d_.shipment_items.begin(), d_.shipment_items.end(),
                               [&](auto& i) { return i.shipment == sk.first && i.line == sk.second; });
        if (it != d_.shipment_items.end())
            it->quantity += n;
        else
            d_.shipment_items.push_back(MemShipmentItem{sk.first, sk.second, n});
    }
    // SRC-14: a jit unit received and assigned shrinks its queue line, or removes it.
    for (const auto& [lv, n] : received) {
        std::int64_t left = n;
        for (auto it = d_.queue.begin(); it != d_.queue.end() && left > 0;) {
            if (it->line != lv.first || it->vendor != lv.second) {
                ++it;
                continue;
            }
            const std::int64_t use = std::min(left, it->quantity);
            left -= use;
            if (it->quantity <= use) {
                it = d_.queue.erase(it);
            } else {
                it->quantity -= use;
                ++it;
            }
        }
    }
    for (const QueueStep& s : plan.queued)
        d_.queue.push_back(
            MemQueueLine{d_.new_id(), s.line_id, s.sku_id, s.vendor_id, s.quantity, s.method, s.po_method, s.po_template, run});
    return ok_status();
}

// --- MemorySourcingStore ----------------------------------------------------------------------

Result<std::unique_ptr<domain::StatusWriter>> MemorySourcingStore::status_writer(const domain::WriterOptions& o) {
    return std::unique_ptr<domain::StatusWriter>(new MemorySourcingWriter(d_, o));
}

Result<std::unique_ptr<domain::SourcingRepository>> MemorySourcingStore::sourcing() {
    return std::unique_ptr<domain::SourcingRepository>(new MemorySourcing(d_));
}

}  // namespace olmd::test
