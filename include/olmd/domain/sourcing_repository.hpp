#pragma once
// The sourcing job's repository port: reference data once per run, eligible orders
// keyset-paged with their lines, allocations, reservations and New shipments
// (one query each per page), the inventory and vendor stock of a page's SKUs,
// ZIP centroids, payment totals, and the writes of one order's plan
// (allocations, shipments and their items, inventory.allocated, consumed
// reservations, purchase-order-queue lines), every row naming the run
// (SRC-15).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "olmd/core/error.hpp"
#include "olmd/core/ids.hpp"
#include "olmd/domain/sourcing.hpp"

namespace olmd::domain {

/// Reads and writes what inventory sourcing needs.
class SourcingRepository {
public:
    virtual ~SourcingRepository() = default;

    /// Warehouses, SKUs, vendors and the shipping methods' COD flags.
    virtual Result<sourcing::ReferenceData> load_reference() = 0;

    /// How many orders are in the statuses now (progress reports).
    virtual Result<std::int64_t> count_in_statuses(const std::vector<StatusId>& statuses) = 0;
    /// The next page of orders in the statuses with id > after_id, at most limit, in id order, with details.
    virtual Result<std::vector<sourcing::SourcingOrder>> page_by_id(const std::vector<StatusId>& statuses,
                                                                  RowId after_id, int limit) = 0;

    /// SRC-14: records (in a TEMP table) the orders in the statuses holding backordered units;
    /// returns how many.
    virtual Result<std::int64_t> snapshot_backordered(const std::vector<StatusId>& statuses) = 0;
    /// The next page of the snapshot after (created_at, id), oldest first, still in the statuses, with
    /// details.
    virtual Result<std::vector<sourcing::SourcingOrder>> page_backordered(const std::string& after_created,
                                                                        RowId after_id, int limit) = 0;

    /// One order by id with details, whatever its status; nullopt when missing.
    virtual Result<std::optional<sourcing::SourcingOrder>> read_order(OrderId id) = 0;

    /// A number that changes whenever another connection commits to the database (SQLite's PRAGMA
    /// data_version), read inside the caller's transaction; nullopt when the store cannot tell. While
    /// it stays the same between batches, the stock a run read and then changed itself is still what
    /// the database holds, and need not be read again.
    virtual Result<std::optional<std::int64_t>> others_commit_counter() { return std::optional<std::int64_t>{}; }

    /// Inventory rows of the SKUs.
    virtual Result<std::vector<sourcing::InventoryRow>> inventory(const std::vector<RowId>& skus) = 0;
    /// vendor_stock rows of the SKUs.
    virtual Result<std::vector<sourcing::VendorStockRow>> vendor_stock(const std::vector<RowId>& skus) = 0;
    /// The centroid of a five-digit ZIP (none when zip_codes does not have it; bad data named).
    virtual Result<sourcing::Centroid> zip_centroid(const std::string& zip5) = 0;
    /// paid_cents, open_auth_cents (and of those, authorizations dated after valid_after, UTC text)
    /// and the most recent live card payment of an order.
    virtual Result<sourcing::PaymentTotals> payment_totals(OrderId id, const std::string& valid_after) = 0;

    /// SRC-12: a new credit_card payment of the order of card_payment, status 'pending', for
    /// amount_cents, with card_payment's card_token and customer_ref (inside the caller's transaction).
    virtual Result<RowId> insert_rts_payment(RowId card_payment, std::int64_t amount_cents,
                                     const std::string& now_text) = 0;
    /// True while an SRC-12 authorization of the order is journaled and not resolved (OPS-6).
    virtual Result<bool> has_open_rts_authorization(OrderId id) = 0;

    /// Writes one order's plan inside the caller's transaction (SRC-7..SRC-11, SRC-15): New
    /// shipments per warehouse (joining the order's existing New one), shipment_items,
    /// allocations (one row per line, kind and warehouse/vendor; a filled backorder shrinks or
    /// goes), inventory.allocated for units not already reserved (guarded: never above
    /// on_hand), consumed reservations, PO-queue lines. An Error leaves partial writes for the
    /// caller to roll back (the order's savepoint).
    virtual Status apply(const sourcing::SourcingOrder& order, const sourcing::Plan& plan, RunId run,
                 const std::string& now_text) = 0;
    /// From now on apply() collects its new rows (shipments, allocations, shipment items, inventory
    /// counts, queue lines) for flush_writes() to write set-based; off, the default, it writes at
    /// once. Turning it off drops what was collected and not flushed.
    virtual void stage_writes(bool on) { (void)on; }
    /// Writes what apply() collected, in apply()'s order, inside the caller's transaction; an Error (a
    /// row refused, stock taken meanwhile) leaves partial writes for the caller to roll back.
    virtual Status flush_writes() { return ok_status(); }
};

}  // namespace olmd::domain
