#pragma once
// An in-memory implementation of the sourcing job's ports (domain/sourcing_repository.hpp
// and a StatusWriter over the same orders) for unit tests of the SRC rules without SQLite.
// It does what store::SqliteSourcing does: pages in id order (SRC-1) and the SRC-14
// snapshot oldest first, plans written row by row (SRC-7..SRC-11, SRC-15) with the
// guarded inventory update (never above on_hand), the optimistic status transition of
// rules.md, and batches and per-order savepoints that a rollback undoes whole (the data
// is copied at begin_batch / begin_order and put back on rollback). The tables hold
// only good rows: the bad-data checks of the SQLite reads are not modelled.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "olmd/domain/catalog.hpp"
#include "olmd/domain/run_store.hpp"
#include "support/memory_snapshot_writer.hpp"
#include "support/seeded_catalog.hpp"
#include "support/memory_store.hpp"

namespace olmd::test {

namespace src = domain::sourcing;

/// One allocations row of the memory store.
struct MemAllocation {
    src::Allocation row;
    RunId run = 0;
};

/// One shipments row.
struct MemShipment {
    RowId id = 0;
    OrderId order = 0;
    RowId warehouse = 0;
    std::string status = "New";
    RunId run = 0;
};

/// One shipment_items row.
struct MemShipmentItem {
    RowId shipment = 0;
    RowId line = 0;
    std::int64_t quantity = 0;
};

/// One purchase_order_queue row.
struct MemQueueLine {
    RowId id = 0;
    RowId line = 0;
    RowId sku = 0;
    RowId vendor = 0;
    std::int64_t quantity = 0;
    src::Method method = src::Method::jit;
    std::optional<std::string> po_method, po_template;
    RunId run = 0;
};

/// One payments row (the columns sourcing reads).
struct MemPayment {
    RowId id = 0;
    OrderId order = 0;
    std::string method = "credit_card";
    std::string status = "authorized";
    std::int64_t amount = 0, captured = 0;
    std::string card_token, customer_ref;
    std::string created_at = "2026-11-20T10:00:00Z";
};

/// The tables of an in-memory back office, as sourcing sees them. A plain value: a copy is a
/// snapshot (how the memory store rolls back).
struct MemorySourcingData {
    std::vector<src::Warehouse> warehouses;  ///< in insertion (id) order
    std::map<RowId, src::Sku> skus;
    std::map<RowId, src::Vendor> vendors;
    std::map<RowId, bool> shipping_method_is_cod;
    std::vector<src::SourcingOrder> orders;  ///< heads and lines; the rest is in the tables below
    std::vector<MemAllocation> allocations;
    std::vector<src::Reservation> reservations;
    std::vector<MemShipment> shipments;
    std::vector<MemShipmentItem> shipment_items;
    std::map<std::pair<RowId, RowId>, src::InventoryRow> inventory;  ///< (warehouse, sku)
    std::map<std::pair<RowId, RowId>, std::int64_t> vendor_stock;   ///< (vendor, sku) -> quantity
    std::vector<MemQueueLine> queue;
    std::vector<MemPayment> payments;
    std::map<std::string, src::LatLon> zips;
    std::vector<MemoryHistory> history;
    RowId next_id = 1;
    int batches_committed = 0;
    /// A test's stand-in for a row the database refuses: apply() fails when it would write an
    /// allocation of this line (after the order's earlier rows are written, as a trigger would).
    RowId refuse_allocation_of_line = 0;

    /// A new row id (one sequence for every table: ids never collide in a test's expectations).
    RowId new_id() { return next_id++; }
    /// The order with that id, or null.
    src::SourcingOrder* order(OrderId id);
    const src::SourcingOrder* order(OrderId id) const;
    /// The order a line belongs to (0 when none).
    OrderId order_of_line(RowId line) const;
    /// The order with lines, allocations, reservations and shipments, as a repository read gives it.
    src::SourcingOrder with_details(const src::SourcingOrder& head) const;
};

/// The SourcingRepository port over MemorySourcingData.
class MemorySourcing final : public domain::SourcingRepository {
public:
    explicit MemorySourcing(MemorySourcingData& data) : d_(data) {}
    Result<src::ReferenceData> load_reference() override;
    Result<std::int64_t> count_in_statuses(const std::vector<StatusId>& statuses) override;
    Result<std::vector<src::SourcingOrder>> page_by_id(const std::vector<StatusId>& statuses, RowId after_id,
                                                      int limit) override;
    Result<std::int64_t> snapshot_backordered(const std::vector<StatusId>& statuses) override;
    Result<std::vector<src::SourcingOrder>> page_backordered(const std::string& after_created, RowId after_id,
                                                            int limit) override;
    Result<std::optional<src::SourcingOrder>> read_order(OrderId id) override;
    Result<std::vector<src::InventoryRow>> inventory(const std::vector<RowId>& skus) override;
    Result<std::vector<src::VendorStockRow>> vendor_stock(const std::vector<RowId>& skus) override;
    Result<src::Centroid> zip_centroid(const std::string& zip5) override;
    Result<src::PaymentTotals> payment_totals(OrderId id, const std::string& valid_after) override;
    Result<RowId> insert_rts_payment(RowId card_payment, std::int64_t amount_cents,
                                     const std::string& now_text) override;
    Result<bool> has_open_rts_authorization(OrderId) override { return false; }
    Status apply(const src::SourcingOrder& order, const src::Plan& plan, RunId run,
                 const std::string& now_text) override;

private:
    MemorySourcingData& d_;
    std::vector<StatusId> snapshot_statuses_;
    std::set<std::pair<std::string, OrderId>> snapshot_;  ///< (created_at, id), oldest first
};

/// The StatusWriter port over MemorySourcingData's orders (support/memory_snapshot_writer.hpp).
using MemorySourcingWriter = MemorySnapshotWriter<MemorySourcingData>;

/// The RunStore port over MemorySourcingData (sourcing and its status writer; the other
/// repositories are not held here and say so).
class MemorySourcingStore final : public domain::RunStore {
public:
    explicit MemorySourcingStore(MemorySourcingData& data) : d_(data) {}
    Result<std::unique_ptr<domain::StatusWriter>> status_writer(const domain::WriterOptions& o) override;
    Result<std::unique_ptr<domain::PaymentRepository>> payments() override {
        return Error{"the memory sourcing store holds no payment journal"};
    }
    Result<std::unique_ptr<domain::FraudOrderPages>> fraud_orders(const domain::FraudOrderFilter&) override {
        return Error{"the memory sourcing store holds no fraud orders"};
    }
    Result<std::optional<domain::FraudOrder>> fraud_order(OrderId) override {
        return Error{"the memory sourcing store holds no fraud orders"};
    }
    Result<std::unique_ptr<domain::SourcingRepository>> sourcing() override;

private:
    MemorySourcingData& d_;
};

}  // namespace olmd::test
