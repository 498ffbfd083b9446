// Small helpers of the sourcing domain values.
#include "olmd/domain/sourcing.hpp"

#include <algorithm>

namespace olmd::domain::sourcing {

std::string_view to_string(Method m) {
    switch (m) {
        case Method::stock:
            return "stock";
        case Method::jit:
            return "jit";
        case Method::dropship:
            return "dropship";
    }
    return "?";
}

std::string_view to_string(AllocKind k) {
    switch (k) {
        case AllocKind::assigned:
            return "assigned";
        case AllocKind::backordered:
            return "backordered";
        case AllocKind::po_queue:
            return "po_queue";
        case AllocKind::dropship:
            return "dropship";
    }
    return "?";
}

const Sku* ReferenceData::sku(RowId id) const {
    auto it = skus.find(id);
    return it == skus.end() ? nullptr : &it->second;
}

const Vendor* ReferenceData::vendor(RowId id) const {
    auto it = vendors.find(id);
    return it == vendors.end() ? nullptr : &it->second;
}

const Warehouse* ReferenceData::warehouse(RowId id) const {
    for (const Warehouse& w : warehouses)
        if (w.id == id) return &w;
    return nullptr;
}

const OrderLine* SourcingOrder::line(RowId id) const {
    auto it = std::lower_bound(lines.begin(), lines.end(), id,
                               [](const OrderLine& l, RowId v) { return l.id < v; });
    return it != lines.end() && it->id == id ? &*it : nullptr;
}

}  // namespace olmd::domain::sourcing
