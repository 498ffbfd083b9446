// rules.md "bad data" for the sourcing job (see bad_data.hpp).
#include "olmd/jobs/sourcing/bad_data.hpp"

#include <algorithm>
#include <map>

#include "olmd/jobs/sourcing/kits.hpp"
#include "olmd/jobs/sourcing/unit_sourcing.hpp"

namespace olmd::jobs::sourcing {

namespace {

std::string line_key(const OrderLine& l) {
    return "order_items.id=" + std::to_string(l.id);
}

/// sum += v within 0..bound; false when it would overflow or pass the bound.
bool add_bounded(std::int64_t& sum, std::int64_t v, std::int64_t bound) {
    std::int64_t r = 0;
    if (__builtin_add_overflow(sum, v, &r) || r < 0 || r > bound) return false;
    sum = r;
    return true;
}

BadData past(const std::string& field, const std::string& what) {
    return BadData{"bad_data:" + field, field + ": " + what};
}

/// True when the line has units still to source or waiting (backordered / queued) to be filled.
bool open_units(const SourcingOrder& o, const OrderLine& l) {
    if (uncovered_units(o, l) > 0) return true;
    return std::any_of(o.allocations.begin(), o.allocations.end(), [&](const Allocation& a) {
        return a.line_id == l.id && (a.kind == AllocKind::backordered || a.kind == AllocKind::po_queue);
    });
}

bool blacklisted(const ChannelPolicy& p, RowId warehouse) {
    return std::find(p.blacklisted.begin(), p.blacklisted.end(), warehouse) != p.blacklisted.end();
}

}  // namespace

BadData bad_data_of(const BadField& b) {
    return BadData{"bad_data:" + b.field,
                   b.field + " is " + b.value +
                       (b.dangling ? ": an id that names no row"
                                   : ": not a value of its column (typeof() is checked, never coerced; "
                                     "enumerations, 0..10^15 cents and 1..10^9 units are the bounds)")};
}

/// An id (read as an integer) that names no row.
BadData dangling(const std::string& field, std::int64_t id) {
    return bad_data_of(BadField{field, std::to_string(id), true});
}

BadData order_bad_data(const SourcingOrder& o, const ReferenceData& ref) {
    if (o.bad) return bad_data_of(o.bad);
    const std::string key = ":orders.id=" + std::to_string(o.id);
    if (!ref.statuses.count(o.status_id)) return dangling("orders.status_id" + key, o.status_id);
    if (!ref.channels.count(o.channel_id)) return dangling("orders.channel_id" + key, o.channel_id);
    if (o.shipping_method_id && !ref.shipping_method_is_cod.count(*o.shipping_method_id))
        return dangling("orders.shipping_method_id" + key, *o.shipping_method_id);
    std::int64_t value = 0, units = 0;
    for (const OrderLine& l : o.lines) {
        if (l.bad) return bad_data_of(l.bad);
        const Sku* sku = ref.sku(l.sku_id);
        if (sku == nullptr) return dangling("order_items.sku_id:" + line_key(l), l.sku_id);
        if (sku->bad) return bad_data_of(sku->bad);
        if (l.parent_id && o.line(*l.parent_id) == nullptr)
            return dangling("order_items.parent_item_id:" + line_key(l), *l.parent_id);
        std::int64_t line_value = 0;
        if (__builtin_mul_overflow(l.quantity, l.unit_price_cents, &line_value) ||
            !add_bounded(value, line_value, kMaxCents))
            return past("order_items.unit_price_cents:" + line_key(l),
                        "the order's lines are worth more than 10^15 cents");
        if (is_physical(l, ref) && !add_bounded(units, l.quantity, kMaxUnits))
            return past("order_items.quantity:" + line_key(l), "the order's physical units pass 10^9");
        if (sku->kind == SkuKind::kit &&
            std::none_of(o.lines.begin(), o.lines.end(),
                         [&](const OrderLine& c) { return c.parent_id == l.id; }))
            return BadData{"kit_without_components:" + line_key(l),
                           "kit line " + std::to_string(l.id) + " has no component lines (SRC-7)"};
    }
    std::map<RowId, std::int64_t> allocated, reserved, shipped;
    for (const Allocation& a : o.allocations) {
        if (a.bad) return bad_data_of(a.bad);
        const std::string akey = ":allocations.id=" + std::to_string(a.id);
        if (a.warehouse_id && ref.warehouse(*a.warehouse_id) == nullptr)
            return dangling("allocations.warehouse_id" + akey, *a.warehouse_id);
        if (a.vendor_id && ref.vendor(*a.vendor_id) == nullptr)
            return dangling("allocations.vendor_id" + akey, *a.vendor_id);
        if (!add_bounded(allocated[a.line_id], a.quantity, kMaxUnits))
            return past("allocations.quantity:allocations.id=" + std::to_string(a.id),
                        "a line's allocations pass 10^9 units");
    }
    for (const Reservation& r : o.reservations) {
        if (r.bad) return bad_data_of(r.bad);
        if (ref.warehouse(r.warehouse_id) == nullptr)
            return dangling("reservations.warehouse_id:reservations.id=" + std::to_string(r.id),
                            r.warehouse_id);
        if (!add_bounded(reserved[r.line_id], r.quantity, kMaxUnits))
            return past("reservations.quantity:reservations.id=" + std::to_string(r.id),
                        "a line's reservations pass 10^9 units");
    }
    for (const NewShipment& s : o.new_shipments) {
        if (s.bad) return bad_data_of(s.bad);
        if (ref.warehouse(s.warehouse_id) == nullptr)
            return dangling("shipments.warehouse_id:shipments.id=" + std::to_string(s.id), s.warehouse_id);
    }
    for (const ShippedUnits& u : o.shipment_units) {
        if (u.bad) return bad_data_of(u.bad);
        const OrderLine* l = o.line(u.line_id);
        if (l != nullptr && !add_bounded(shipped[u.line_id], u.quantity, l->quantity))
            return past("shipment_items.quantity:shipment_items.order_item_id=" + std::to_string(u.line_id),
                        "the line's shipments hold more units than its quantity");
    }
    return {};
}

BadData stock_bad_data(const SourcingOrder& o, const ReferenceData& ref, const Stock& stock,
                       const Settings& s) {
    const ChannelPolicy& policy = s.policy(o.channel_id);
    for (const OrderLine& l : o.lines) {
        if (!is_physical(l, ref) || !open_units(o, l)) continue;
        const Sku& sku = *ref.sku(l.sku_id);  // order_bad_data() found every SKU
        const bool vendor = sku.method != Method::stock;
        // SRC-7: stock SKUs, vendor SKUs with stock_first, and SRC-14 fills draw on inventory.
        if (!vendor || s.vendor_sourced(sku.method == Method::dropship).stock_first ||
            uncovered_units(o, l) == 0)
            for (const Warehouse& w : ref.warehouses) {
                if (blacklisted(policy, w.id)) continue;
                // Its rank or whether it may be used is unknown; an inactive one is never used.
                if (w.bad && (w.active || w.bad.field.rfind("warehouses.active:", 0) == 0))
                    return bad_data_of(w.bad);
                if (!w.active) continue;
                if (const InventoryRow* r = stock.inventory.bad_row(sku.id, w.id)) return bad_data_of(r->bad);
            }
        if (!vendor) continue;
        if (sku.default_vendor)
            if (const Vendor* v = ref.vendor(*sku.default_vendor); v != nullptr && v->bad)
                return bad_data_of(v->bad);
        for (const VendorStockRow& r : stock.vendors.bad_rows(sku.id)) return bad_data_of(r.bad);
        for (const VendorStockRow& r : stock.vendors.rows(sku.id))
            if (const Vendor* v = ref.vendor(r.vendor_id); v != nullptr && v->bad) return bad_data_of(v->bad);
    }
    for (const Reservation& r : o.reservations)
        if (const Warehouse* w = ref.warehouse(r.warehouse_id); w != nullptr && w->bad)
            return bad_data_of(w->bad);
    return {};
}

}  // namespace olmd::jobs::sourcing
