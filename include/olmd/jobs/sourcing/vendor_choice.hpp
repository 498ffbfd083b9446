#pragma once
// SRC-9 vendor choice for jit and drop-ship units. A vendor's available units of
// a SKU = vendor_stock.quantity − what the purchase-order queue already asks of it
// (the store subtracts the queue; this run's queue lines are taken off as they are
// planned). An active vendor whose available units cover the units is chosen (the
// SKU's default vendor first if it qualifies, then by vendor id); if none and
// source_default_vendor, the SKU's default vendor when it is active; otherwise the
// units stay unsourced (no vendor at all is not bad data).

#include <cstdint>
#include <string>

#include "olmd/jobs/sourcing/availability.hpp"
#include "olmd/jobs/sourcing/names.hpp"

namespace olmd::jobs::sourcing {

/// What SRC-9 chose for some units of a SKU.
struct VendorChoice {
    const Vendor* vendor = nullptr;  ///< null: the units stay unsourced
    std::string why;                 ///< for explain
};

/// Chooses the vendor for `units` units of sku (SRC-9).
VendorChoice choose_vendor(const Sku& sku, std::int64_t units, const VendorStock& stock,
                           const ReferenceData& ref, bool source_default_vendor);

}  // namespace olmd::jobs::sourcing
