// SRC-9: which vendor a jit or drop-ship unit is queued for.
#include "olmd/jobs/sourcing/vendor_choice.hpp"

namespace olmd::jobs::sourcing {

VendorChoice choose_vendor(const Sku& sku, std::int64_t units, const VendorStock& stock,
                           const ReferenceData& ref, bool source_default_vendor) {
    const auto& rows = stock.rows(sku.id);
    const Vendor* def = sku.default_vendor ? ref.vendor(*sku.default_vendor) : nullptr;
    const std::string need = std::to_string(units);
    auto qualifies = [&](const VendorStockRow& r) {
        const Vendor* v = ref.vendor(r.vendor_id);
        return v != nullptr && v->active && r.quantity >= units ? v : nullptr;
    };
    auto has = [](const VendorStockRow& r) {
        return std::to_string(r.quantity < 0 ? 0 : r.quantity) + " available (vendor_stock less what is queued)";
    };
    if (def != nullptr)
        for (const VendorStockRow& r : rows)
            if (r.vendor_id == def->id)
                if (const Vendor* v = qualifies(r))
                    return VendorChoice{v, "default vendor \"" + v->name + "\": " + has(r) + " >= " + need};
    for (const VendorStockRow& r : rows)  // by vendor id
        if (const Vendor* v = qualifies(r))
            return VendorChoice{v, "vendor \"" + v->name + "\" (the lowest id of the active vendors with " + need +
                                       " available: " + has(r) + ")"};
    if (def != nullptr && source_default_vendor && def->active)
        return VendorChoice{def, "no active vendor has " + need +
                                     " available; source_default_vendor = true: default vendor \"" + def->name + "\""};
    if (def != nullptr && source_default_vendor)
        return VendorChoice{nullptr, "no active vendor has " + need + " available and the default vendor \"" +
                                         def->name + "\" is inactive"};
    return VendorChoice{nullptr, def == nullptr ? "no active vendor has " + need +
                                                      " available and the SKU has no default vendor"
                                                : "no active vendor has " + need +
                                                      " available and source_default_vendor = false"};
}

}  // namespace olmd::jobs::sourcing
