#pragma once
// SRC-10: available = inventory.on_hand − inventory.allocated, per SKU and
// warehouse, as read inside the batch's write transaction. Every unit the rules
// assign is taken here first, so two orders (or two lines) never get the same
// unit; what one order took is given back when that order is rolled back.
// Also the vendor_stock rows SRC-9 reads.

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "olmd/core/ids.hpp"
#include "olmd/jobs/sourcing/names.hpp"

namespace olmd::jobs::sourcing {

/// The stock a batch of orders draws on.
class Availability {
public:
    /// Forgets every SKU (the next batch re-reads inventory under its own write lock).
    void clear();
    /// True when the SKU's inventory rows were loaded.
    bool loaded(RowId sku) const { return cells_.count(sku) != 0; }
    /// Records that these SKUs were read (rows may be absent: nothing on hand) and stores rows; a row
    /// with bad data is kept apart (bad_row) and counts as no stock.
    void load(const std::vector<RowId>& skus, const std::vector<InventoryRow>& rows);
    /// The SKU's inventory row at the warehouse when it is bad data, else null.
    const InventoryRow* bad_row(RowId sku, RowId warehouse) const;
    /// max(0, on_hand − allocated) of the SKU at the warehouse; 0 when there is no row.
    std::int64_t available(RowId sku, RowId warehouse) const;
    /// on_hand of the SKU at the warehouse (explain), 0 when there is no row.
    std::int64_t on_hand(RowId sku, RowId warehouse) const;
    /// Takes n units (n ≤ available); journaled until keep() or undo().
    void take(RowId sku, RowId warehouse, std::int64_t n);
    /// A mark to roll back to (the journal's length).
    std::size_t mark() const { return journal_.size(); }
    /// Gives back every take made after mark.
    void undo_to(std::size_t mark);
    /// Forgets the journal: what was taken stays taken (the order was kept).
    void keep() { journal_.clear(); }

private:
    struct Cell {
        RowId warehouse = 0;
        std::int64_t on_hand = 0;
        std::int64_t allocated = 0;
    };
    struct Take {
        RowId sku, warehouse;
        std::int64_t n;
    };
    Cell* cell(RowId sku, RowId warehouse);
    const Cell* cell(RowId sku, RowId warehouse) const;
    std::unordered_map<RowId, std::vector<Cell>> cells_;
    std::unordered_map<RowId, std::vector<InventoryRow>> bad_;  ///< by SKU
    std::vector<Take> journal_;
};

/// vendor_stock rows by SKU (SRC-9), each already less what the purchase-order queue asks of
/// that vendor; what this run queues is taken off too, so two orders never count the same units.
class VendorStock {
public:
    /// Forgets every SKU.
    void clear() {
        rows_.clear();
        bad_.clear();
        journal_.clear();
    }
    /// True when the SKU's rows were loaded.
    bool loaded(RowId sku) const { return rows_.count(sku) != 0; }
    /// Forgets one SKU's rows (the next load reads them again).
    void forget(RowId sku) {
        rows_.erase(sku);
        bad_.erase(sku);
    }
    /// Records that these SKUs were read and stores their rows; rows with bad data are kept apart.
    void load(const std::vector<RowId>& skus, const std::vector<VendorStockRow>& rows);
    /// The SKU's rows with bad data (empty when none).
    const std::vector<VendorStockRow>& bad_rows(RowId sku) const;
    /// The SKU's rows by vendor id (empty when none or not loaded); quantity = units still available.
    const std::vector<VendorStockRow>& rows(RowId sku) const;
    /// Counts n units of the SKU as asked of the vendor (may go below 0: the default vendor may be
    /// asked for more than it has, SRC-9); journaled until keep() or undo_to().
    void take(RowId sku, RowId vendor, std::int64_t n);
    /// A mark to roll back to.
    std::size_t mark() const { return journal_.size(); }
    /// Gives back every take made after mark.
    void undo_to(std::size_t mark);
    /// Forgets the journal.
    void keep() { journal_.clear(); }

private:
    struct Take {
        RowId sku, vendor;
        std::int64_t n;
    };
    VendorStockRow* row(RowId sku, RowId vendor);
    std::unordered_map<RowId, std::vector<VendorStockRow>> rows_;
    std::unordered_map<RowId, std::vector<VendorStockRow>> bad_;  ///< by SKU
    std::vector<Take> journal_;
};

/// Where both ledgers stood (Stock::mark()).
struct StockMark {
    std::size_t inventory = 0, vendors = 0;
};

/// The two together: what a page of orders is sourced from.
struct Stock {
    Availability inventory;
    VendorStock vendors;
    /// A mark covering both ledgers.
    StockMark mark() const { return {inventory.mark(), vendors.mark()}; }
    /// Gives back everything taken from either ledger after m.
    void undo_to(const StockMark& m) {
        inventory.undo_to(m.inventory);
        vendors.undo_to(m.vendors);
    }
    /// What was taken stays taken (the order was kept).
    void keep() {
        inventory.keep();
        vendors.keep();
    }
};

}  // namespace olmd::jobs::sourcing
