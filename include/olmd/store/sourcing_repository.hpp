#pragma once
// The SQLite implementation of the sourcing repository port: statements are
// prepared once and reused. The only sourcing code that sees SQLite.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "olmd/core/error.hpp"
#include "olmd/core/ids.hpp"
#include "olmd/domain/sourcing_repository.hpp"
#include "olmd/store/database.hpp"

namespace olmd::store {

/// The sourcing repository on one SQLite connection.
class SqliteSourcing final : public domain::SourcingRepository {
public:
    /// Prepares the fixed statements; an Error when the schema does not have the tables.
    static Result<std::unique_ptr<SqliteSourcing>> open(Database& db);
    ~SqliteSourcing() override;
    SqliteSourcing(const SqliteSourcing&) = delete;
    SqliteSourcing& operator=(const SqliteSourcing&) = delete;

    /// Warehouses, SKUs, vendors and the shipping methods' COD flags.
    Result<domain::sourcing::ReferenceData> load_reference() override;

    /// How many orders are in the statuses now (progress reports).
    Result<std::int64_t> count_in_statuses(const std::vector<StatusId>& statuses) override;
    /// The next page of orders in the statuses with id > after_id, at most limit, in id order, with details.
    Result<std::vector<domain::sourcing::SourcingOrder>> page_by_id(const std::vector<StatusId>& statuses,
                                                                  RowId after_id, int limit) override;

    /// SRC-14: records (in a TEMP table) the orders in the statuses holding backordered units;
    /// returns how many.
    Result<std::int64_t> snapshot_backordered(const std::vector<StatusId>& statuses) override;
    /// The next page of the snapshot after (created_at, id), oldest first, still in the statuses, with
    /// details.
    Result<std::vector<domain::sourcing::SourcingOrder>> page_backordered(const std::string& after_created,
                                                                        RowId after_id, int limit) override;

    /// One order by id with details, whatever its status; nullopt when missing.
    Result<std::optional<domain::sourcing::SourcingOrder>> read_order(OrderId id) override;

    /// PRAGMA data_version of the connection: changes when another connection commits.
    Result<std::optional<std::int64_t>> others_commit_counter() override;
    /// Inventory rows of the SKUs.
    Result<std::vector<domain::sourcing::InventoryRow>> inventory(const std::vector<RowId>& skus) override;
    /// vendor_stock rows of the SKUs.
    Result<std::vector<domain::sourcing::VendorStockRow>> vendor_stock(const std::vector<RowId>& skus) override;
    /// The centroid of a five-digit ZIP (none when zip_codes does not have it; bad data named).
    Result<domain::sourcing::Centroid> zip_centroid(const std::string& zip5) override;
    /// paid_cents, open_auth_cents (and of those, authorizations dated after valid_after, UTC text)
    /// and the most recent live card payment of an order.
    Result<domain::sourcing::PaymentTotals> payment_totals(OrderId id, const std::string& valid_after) override;

    /// SRC-12: a new credit_card payment of the order of card_payment, status 'pending', for
    /// amount_cents, with card_payment's card_token and customer_ref (inside the caller's transaction).
    Result<RowId> insert_rts_payment(RowId card_payment, std::int64_t amount_cents,
                                     const std::string& now_text) override;
    /// True while an SRC-12 authorization of the order is journaled and not resolved (OPS-6).
    Result<bool> has_open_rts_authorization(OrderId id) override;

    /// Writes one order's plan inside the caller's transaction (SRC-7..SRC-11, SRC-15): New
    /// shipments per warehouse (joining the order's existing New one), shipment_items,
    /// allocations (one row per line, kind and warehouse/vendor; a filled backorder shrinks or
    /// goes), inventory.allocated for units not already reserved (guarded: never above
    /// on_hand), consumed reservations, PO-queue lines. An Error leaves partial writes for the
    /// caller to roll back (the order's savepoint).
    Status apply(const domain::sourcing::SourcingOrder& order, const domain::sourcing::Plan& plan, RunId run,
                 const std::string& now_text) override;
    /// Collects apply()'s new rows for flush_writes() (on) or writes them at once (off, the default).
    void stage_writes(bool on) override;
    /// Writes the collected rows with multi-row statements; an Error when one is refused.
    Status flush_writes() override;

    /// The prepared statements (src/store/sourcing_impl.hpp); opaque outside the store.
    struct Impl;

private:
    explicit SqliteSourcing(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace olmd::store
