#pragma once
// rules.md "bad data" for the sourcing job. The store reads every column with
// typeof(), the enumerations, the ranges and the ids that name no row
// (BadField on each row, model.hpp); here the findings are judged per order:
// the order's own rows, the SKUs and rows it names, its overflow-checked sums
// (10^15 cents, 10^9 units), and the shared rows (inventory, vendor_stock, the
// purchase-order queue, warehouses, vendors) its open units would draw on, so
// that a bad shared row sends only those orders to result.exception. Reasons
// are "bad_data:<table>.<column>:<table>.<key>" (the payments engine's format).

#include <string>

#include "olmd/jobs/sourcing/availability.hpp"
#include "olmd/jobs/sourcing/names.hpp"
#include "olmd/jobs/sourcing/settings.hpp"

namespace olmd::jobs::sourcing {

/// One bad-data finding: the history reason and what explain and the log say.
struct BadData {
    std::string reason;  ///< "bad_data:order_items.quantity:order_items.id=7", "kit_without_components:..."
    std::string detail;  ///< "order_items.quantity:order_items.id=7 is 1.5: ..."
    /// True when something was found.
    explicit operator bool() const { return !reason.empty(); }
};

/// The finding for a BadField (reason "bad_data:<field>", the value in the detail).
BadData bad_data_of(const BadField& b);

/// The first problem of the order's own rows (orders, order_items, allocations, reservations,
/// New shipments, shipment_items) and of the SKUs they name; a kit line without components
/// (SRC-7 kit_without_components); the line value past 10^15 cents and unit sums past 10^9.
BadData order_bad_data(const SourcingOrder& o, const ReferenceData& ref);

/// The first bad shared row the order's open units would use (loaded in stock for its SKUs):
/// inventory at a warehouse it may use, any warehouse row it would rank, the vendor_stock and
/// queue rows and vendors of its jit and drop-ship SKUs, the warehouses of its reservations.
BadData stock_bad_data(const SourcingOrder& o, const ReferenceData& ref, const Stock& stock,
                       const Settings& s);

}  // namespace olmd::jobs::sourcing
