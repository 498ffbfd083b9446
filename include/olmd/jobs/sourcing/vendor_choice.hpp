#pragma once
// SRC-9 vendor choice for jit and drop-ship units: an active vendor whose
// vendor_stock covers the units (the SKU's default vendor first if it
// qualifies, then by vendor id); if none and source_default_vendor, the SKU's
// default vendor; otherwise the units stay unsourced. A jit/dropship SKU with
// no default vendor and no vendor_stock row at all is bad data.

#include <cstdint>
#include <string>

#include "olmd/jobs/sourcing/availability.hpp"
#include "olmd/jobs/sourcing/model.hpp"

namespace olmd::jobs::sourcing {

/// What SRC-9 chose for some units of a SKU.
struct VendorChoice {
    const Vendor* vendor = nullptr;  ///< null: the units stay unsourced
    std::string why;                 ///< for explain
    bool no_vendor_at_all = false;   ///< bad data: the SKU has no default vendor and no vendor_stock
};

/// Chooses the vendor for `units` units of sku (SRC-9).
VendorChoice choose_vendor(const Sku& sku, std::int64_t units, const VendorStock& stock,
                           const ReferenceData& ref, bool source_default_vendor);

}  // namespace olmd::jobs::sourcing
