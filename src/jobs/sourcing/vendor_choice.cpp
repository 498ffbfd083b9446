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
    if (def != nullptr)
        for (const VendorStockRow& r : rows)
            if (r.vendor_id == def->id)
                if (const Vendor* v = qualifies(r))
                    return VendorChoice{v,
                                        "default vendor \"" + v->name + "\" has " +
                                            std::to_string(r.quantity) + " in vendor_stock (>= " + need + ")",
                                        false};
    for (const VendorStockRow& r : rows)  // by vendor id
        if (const Vendor* v = qualifies(r))
            return VendorChoice{v,
                                "vendor \"" + v->name + "\" (lowest id with active vendor_stock >= " + need +
                                    ": " + std::to_string(r.quantity) + ")",
                                false};
    if (def != nullptr && source_default_vendor)
        return VendorChoice{def,
                            "no active vendor has " + need +
                                " in vendor_stock; source_default_vendor = true: "
                                "default vendor \"" +
                                def->name + "\"",
                            false};
    if (def == nullptr && rows.empty())
        return VendorChoice{nullptr, "the SKU has no default vendor and no vendor_stock row", true};
    return VendorChoice{nullptr,
                        def == nullptr ? "no active vendor has " + need +
                                             " in vendor_stock and the SKU has no "
                                             "default vendor"
                                       : "no active vendor has " + need +
                                             " in vendor_stock and "
                                             "source_default_vendor = false",
                        false};
}

}  // namespace olmd::jobs::sourcing
