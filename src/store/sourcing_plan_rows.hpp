#pragma once
// What one order's sourcing plan changes, row by row, whichever store writes it (SQLite's
// sourcing_writes.cpp, PostgreSQL's pg_sourcing_writes.cpp): the warehouses that need a New shipment,
// then, with their shipment ids, the allocation rows to change, delete or insert (merged by identity),
// the shipment_items, the units taken from inventory (those not already reserved), the reservations
// consumed and the jit receipts whose queue lines shrink. One definition, so both backends write the same.

#include <cstdint>
#include <map>
#include <tuple>
#include <utility>
#include <vector>

#include "olmd/domain/sourcing.hpp"

namespace olmd::store {

/// One allocations row's identity: line, kind, warehouse, vendor, shipment (0 = NULL).
using AllocKey = std::tuple<RowId, int, RowId, RowId, RowId>;

/// The row changes of one order's plan.
struct PlanRows {
    std::map<std::pair<RowId, RowId>, std::int64_t> inventory;  ///< (warehouse, sku) -> units to allocate
    std::map<RowId, std::int64_t> reserved;                     ///< reservation id -> units consumed
    std::vector<std::pair<RowId, std::int64_t>> grow;           ///< existing allocation id -> units added (+/-)
    std::vector<RowId> remove;                                  ///< existing allocations that go (quantity <= 0)
    std::map<AllocKey, std::int64_t> fresh;                     ///< new allocations (> 0 units), stable order
    std::map<std::pair<RowId, RowId>, std::int64_t> items;      ///< (shipment, line) -> units shipped
    std::map<std::pair<RowId, RowId>, std::int64_t> received;   ///< (line, vendor) -> jit units received
};

/// The warehouses plan assigns units at, each once, in the order of its first assignment: one New
/// shipment each (SRC-11).
std::vector<RowId> shipment_warehouses(const domain::sourcing::Plan& plan);

/// The rows order's plan changes, given the shipment id (or a placeholder) of each warehouse of
/// shipment_warehouses(plan).
PlanRows plan_rows(const domain::sourcing::SourcingOrder& order, const domain::sourcing::Plan& plan,
                   const std::map<RowId, RowId>& shipment_at);

/// What a jit receipt takes off one queue line.
struct QueueTake {
    RowId id = 0;
    std::int64_t units = 0;
    bool whole = false;  ///< every unit of the line: delete it (else shrink it by units)
};

/// The units of a jit receipt taken off the queue lines (id, quantity) of its line and vendor, oldest first.
std::vector<QueueTake> queue_takes(const std::vector<std::pair<RowId, std::int64_t>>& lines, std::int64_t units);

}  // namespace olmd::store
