// SRC-10 availability ledger and SRC-9 vendor stock, per batch.
#include "olmd/jobs/sourcing/availability.hpp"

#include <algorithm>

namespace olmd::jobs::sourcing {

void Availability::clear() {
    cells_.clear();
    bad_.clear();
    journal_.clear();
}

void Availability::load(const std::vector<RowId>& skus, const std::vector<InventoryRow>& rows) {
    for (RowId s : skus) cells_.try_emplace(s);
    for (const InventoryRow& r : rows) {
        if (r.bad) {
            bad_[r.sku_id].push_back(r);
            continue;
        }
        auto& v = cells_[r.sku_id];
        auto it =
            std::find_if(v.begin(), v.end(), [&](const Cell& c) { return c.warehouse == r.warehouse_id; });
        if (it == v.end()) v.push_back(Cell{r.warehouse_id, r.on_hand, r.allocated});
    }
}

const InventoryRow* Availability::bad_row(RowId sku, RowId warehouse) const {
    auto it = bad_.find(sku);
    if (it == bad_.end()) return nullptr;
    for (const InventoryRow& r : it->second)
        if (r.warehouse_id == warehouse) return &r;
    return nullptr;
}

Availability::Cell* Availability::cell(RowId sku, RowId warehouse) {
    auto it = cells_.find(sku);
    if (it == cells_.end()) return nullptr;
    for (Cell& c : it->second)
        if (c.warehouse == warehouse) return &c;
    return nullptr;
}

const Availability::Cell* Availability::cell(RowId sku, RowId warehouse) const {
    auto it = cells_.find(sku);
    if (it == cells_.end()) return nullptr;
    for (const Cell& c : it->second)
        if (c.warehouse == warehouse) return &c;
    return nullptr;
}

std::int64_t Availability::available(RowId sku, RowId warehouse) const {
    const Cell* c = cell(sku, warehouse);
    return c == nullptr ? 0 : std::max<std::int64_t>(0, c->on_hand - c->allocated);
}

std::int64_t Availability::on_hand(RowId sku, RowId warehouse) const {
    const Cell* c = cell(sku, warehouse);
    return c == nullptr ? 0 : c->on_hand;
}

void Availability::take(RowId sku, RowId warehouse, std::int64_t n) {
    if (n <= 0) return;
    Cell* c = cell(sku, warehouse);
    if (c == nullptr) return;  // callers only take what available() showed
    c->allocated += n;
    journal_.push_back(Take{sku, warehouse, n});
}

void Availability::undo_to(std::size_t mark) {
    while (journal_.size() > mark) {
        const Take t = journal_.back();
        journal_.pop_back();
        if (Cell* c = cell(t.sku, t.warehouse)) c->allocated -= t.n;
    }
}

void VendorStock::load(const std::vector<RowId>& skus, const std::vector<VendorStockRow>& rows) {
    for (RowId s : skus) rows_.try_emplace(s);
    for (const VendorStockRow& r : rows) (r.bad ? bad_ : rows_)[r.sku_id].push_back(r);
    for (RowId s : skus) {
        auto& v = rows_[s];
        std::sort(v.begin(), v.end(),
                  [](const VendorStockRow& a, const VendorStockRow& b) { return a.vendor_id < b.vendor_id; });
    }
}

const std::vector<VendorStockRow>& VendorStock::bad_rows(RowId sku) const {
    static const std::vector<VendorStockRow> kNone;
    auto it = bad_.find(sku);
    return it == bad_.end() ? kNone : it->second;
}

const std::vector<VendorStockRow>& VendorStock::rows(RowId sku) const {
    static const std::vector<VendorStockRow> kNone;
    auto it = rows_.find(sku);
    return it == rows_.end() ? kNone : it->second;
}

}  // namespace olmd::jobs::sourcing

namespace olmd::jobs::sourcing {

VendorStockRow* VendorStock::row(RowId sku, RowId vendor) {
    auto it = rows_.find(sku);
    if (it == rows_.end()) return nullptr;
    for (VendorStockRow& r : it->second)
        if (r.vendor_id == vendor) return &r;
    return nullptr;
}

void VendorStock::take(RowId sku, RowId vendor, std::int64_t n) {
    if (n <= 0) return;
    VendorStockRow* r = row(sku, vendor);
    if (r == nullptr) return;  // the default vendor without a vendor_stock row: nothing to count down
    r->quantity -= n;
    journal_.push_back(Take{sku, vendor, n});
}

void VendorStock::undo_to(std::size_t mark) {
    while (journal_.size() > mark) {
        const Take t = journal_.back();
        journal_.pop_back();
        if (VendorStockRow* r = row(t.sku, t.vendor)) r->quantity += t.n;
    }
}

}  // namespace olmd::jobs::sourcing
