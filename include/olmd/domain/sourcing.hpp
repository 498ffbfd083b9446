#pragma once
// The sourcing job's domain values (SRC-1..SRC-15): reference data cached once
// per run, one order with its lines, allocations, reservations and New
// shipments, the stock rows a page of orders draws on, and the plan the rules
// make for an order. Plain values: the store fills and writes them, the rules
// read and produce them; nothing here knows SQLite.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "olmd/core/ids.hpp"

namespace olmd::domain::sourcing {

/// A column of a row that cannot be interpreted (rules.md "bad data"), as the store found it
/// with typeof(), the enumerations, the ranges and the ids that name no row.
struct BadField {
    std::string field;      ///< "<table>.<column>:<table>.id=N", "" when the row is fine
    std::string value;      ///< the stored value as SQL quote() shows it ('abc', 1.5, 99)
    bool dangling = false;  ///< the value is an id that names no row
    /// True when a column is bad.
    explicit operator bool() const { return !field.empty(); }
};

/// skus.kind.
enum class SkuKind { product, kit, gift_certificate, club_membership };
/// skus.fulfillment_method.
enum class Method { stock, jit, dropship };
/// allocations.kind.
enum class AllocKind { assigned, backordered, po_queue, dropship };

/// The database spelling of a fulfillment method ("stock", "jit", "dropship").
std::string_view to_string(Method m);
/// The database spelling of an allocation kind ("assigned", ...).
std::string_view to_string(AllocKind k);

/// One skus row.
struct Sku {
    RowId id = 0;
    std::string code;
    SkuKind kind = SkuKind::product;
    Method method = Method::stock;
    std::optional<RowId> default_vendor;
    BadField bad;  ///< kind, fulfillment_method or default_vendor_id that cannot be interpreted
};

/// One warehouses row.
struct Warehouse {
    RowId id = 0;
    std::string name;
    std::int64_t priority = 0;
    /// SRC-8: its latitude/longitude, else the centroid of its postal_code (zip_codes); none = unlocated.
    std::optional<double> latitude, longitude;
    bool located_by_postal_code = false;  ///< the location is its postal_code's centroid
    bool active = true;
    BadField bad;  ///< priority, active, latitude or longitude that cannot be interpreted
};

/// One vendors row.
struct Vendor {
    RowId id = 0;
    std::string name;
    std::optional<std::string> po_method, po_template;
    bool active = true;
    BadField bad;  ///< active that cannot be interpreted
};

/// The reference tables sourcing reads, loaded once per run.
struct ReferenceData {
    std::vector<Warehouse> warehouses;  ///< every warehouse, priority then id
    std::unordered_map<RowId, Sku> skus;
    std::unordered_map<RowId, Vendor> vendors;
    std::unordered_map<RowId, bool> shipping_method_is_cod;  ///< shipping method id -> is_cod
    std::unordered_map<RowId, BadField> shipping_method_bad;  ///< shipping methods whose is_cod is bad
    std::unordered_set<RowId> statuses, channels;             ///< every order_statuses / channels id

    /// The SKU with that id, or null.
    const Sku* sku(RowId id) const;
    /// The vendor with that id, or null.
    const Vendor* vendor(RowId id) const;
    /// The warehouse with that id, or null.
    const Warehouse* warehouse(RowId id) const;
};

/// One order_items row.
struct OrderLine {
    RowId id = 0;
    RowId sku_id = 0;
    std::int64_t quantity = 0;
    std::int64_t unit_price_cents = 0;
    std::optional<RowId> parent_id;  ///< set on a kit's component lines
    BadField bad;                    ///< sku_id, quantity, unit_price_cents or parent_item_id
};

/// One allocations row.
struct Allocation {
    RowId id = 0;
    RowId line_id = 0;
    AllocKind kind = AllocKind::assigned;
    std::int64_t quantity = 0;
    std::optional<RowId> warehouse_id, vendor_id, shipment_id;
    BadField bad;  ///< kind, quantity, warehouse_id, vendor_id or shipment_id
};

/// One reservations row.
struct Reservation {
    RowId id = 0;
    RowId line_id = 0;
    RowId warehouse_id = 0;
    std::int64_t quantity = 0;
    BadField bad;  ///< warehouse_id or quantity
};

/// One of the order's shipments in status 'New'.
struct NewShipment {
    RowId id = 0;
    RowId warehouse_id = 0;
    BadField bad;  ///< warehouse_id
};

/// Units of one line in one of the order's shipments (SRC-12: New ones are ready, others spent).
struct ShippedUnits {
    RowId line_id = 0;
    std::int64_t quantity = 0;
    bool is_new = true;  ///< the shipment's status is still 'New'
    BadField bad;        ///< quantity
};

/// An order with everything SRC-2..SRC-14 read about it.
struct SourcingOrder {
    OrderId id = 0;
    std::string number;
    StatusId status_id = 0;
    RowId channel_id = 0;
    std::optional<RowId> shipping_method_id;
    std::string created_at;
    std::int64_t grand_total_cents = 0;
    bool is_club = false;                            ///< club / recurring order (RA-5)
    std::string ship_country, ship_state, ship_zip;  ///< NULL reads as ""
    std::vector<OrderLine> lines;                    ///< by id
    std::vector<Allocation> allocations;             ///< by id
    std::vector<Reservation> reservations;           ///< by id
    std::vector<NewShipment> new_shipments;          ///< by id
    std::vector<ShippedUnits> shipment_units;        ///< every shipment's items (New and left)
    bool any_shipment_left = false;                  ///< a shipment of the order is no longer New
    BadField bad;  ///< an orders column that cannot be interpreted (status_id, channel_id, ...)

    /// The line with that id, or null.
    const OrderLine* line(RowId id) const;
};

/// One inventory row.
struct InventoryRow {
    RowId sku_id = 0;
    RowId warehouse_id = 0;
    std::int64_t on_hand = 0;
    std::int64_t allocated = 0;
    BadField bad;  ///< on_hand or allocated: the orders that would draw on the row are bad data
};

/// One vendor_stock row.
struct VendorStockRow {
    RowId sku_id = 0;
    RowId vendor_id = 0;
    std::int64_t quantity = 0;  ///< vendor_stock.quantity less what the queue asks of the vendor
    BadField bad;  ///< quantity, vendor_id, or a purchase_order_queue line of the vendor and SKU
};

/// A point on the globe, degrees (a ZIP centroid, a warehouse).
struct LatLon {
    double lat = 0;
    double lon = 0;
};

/// A ZIP's centroid as zip_codes holds it (SRC-8 closest).
struct Centroid {
    std::optional<LatLon> at;  ///< nullopt: zip_codes does not have the ZIP
    BadField bad;              ///< its latitude or longitude cannot be interpreted
};

/// The payment figures of rules.md "Common definitions" for one order.
struct PaymentTotals {
    std::int64_t paid_cents = 0;           ///< paid_cents(order)
    std::int64_t open_auth_cents = 0;      ///< open_auth_cents(order)
    std::int64_t valid_open_auth_cents = 0;  ///< of those, authorizations still valid (SRC-12 covered)
    std::optional<RowId> card_payment_id;  ///< the most recent live card payment (authorized or captured)
    std::string card_token;                ///< its card_token ("" when NULL)
    std::string customer_ref;              ///< its customer_ref ("" when NULL)
    BadField bad;  ///< the first payment that cannot be interpreted, or a sum past 10^15 cents
};

/// rules.md: a money value or sum past this is bad data.
inline constexpr std::int64_t kMaxCents = 1'000'000'000'000'000;
/// rules.md: a quantity or a sum of units past this is bad data.
inline constexpr std::int64_t kMaxUnits = 1'000'000'000;

/// Units assigned from a warehouse's stock (SRC-7, SRC-10).
struct AssignStep {
    RowId line_id = 0;
    RowId sku_id = 0;
    RowId warehouse_id = 0;
    std::int64_t quantity = 0;
    std::optional<RowId> reservation_id;  ///< consumed reservation: already counted in inventory.allocated
    std::optional<RowId> backorder_id;    ///< the allocation these units fill (SRC-14): it shrinks or goes
    AllocKind from_kind = AllocKind::backordered;  ///< that allocation's kind (po_queue: a jit receipt)
    std::optional<RowId> from_vendor;     ///< po_queue fill: the vendor whose queue line shrinks, if still there
};

/// Units backordered at a warehouse (SRC-7 auto_backorder; SRC-7 ship_kits_complete holds a kit's
/// reserved and in-stock units this way, its reservation kept).
struct BackorderStep {
    RowId line_id = 0;
    RowId warehouse_id = 0;
    std::int64_t quantity = 0;
};

/// An existing allocation that gives up units (SRC-14: a backorder moved off a warehouse that
/// became inactive or blacklisted).
struct ReleaseStep {
    RowId allocation_id = 0;
    RowId line_id = 0;
    AllocKind kind = AllocKind::backordered;
    std::int64_t quantity = 0;
};

/// Units put on the purchase-order queue for a vendor (SRC-7 jit/dropship, SRC-9).
struct QueueStep {
    RowId line_id = 0;
    RowId sku_id = 0;
    RowId vendor_id = 0;
    std::int64_t quantity = 0;
    Method method = Method::jit;  ///< jit -> allocation po_queue, dropship -> allocation dropship
    std::optional<std::string> po_method, po_template;
};

/// What one run does to one order's inventory.
struct Plan {
    std::vector<AssignStep> assigns;
    std::vector<BackorderStep> backorders;
    std::vector<QueueStep> queued;
    std::vector<ReleaseStep> releases;
    std::vector<RowId> incomplete_kits;  ///< SRC-7: kit lines left unsourced (a drop-ship component, kit_incomplete)
    /// True when the plan writes nothing.
    bool empty() const { return assigns.empty() && backorders.empty() && queued.empty() && releases.empty(); }
};

/// Lines `olmd explain` prints; the rules append to it when it is given.
using Trace = std::vector<std::string>;

}  // namespace olmd::domain::sourcing
