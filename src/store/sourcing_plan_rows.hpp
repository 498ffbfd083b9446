#pragma once
// What one order's sourcing plan changes, row by row, whichever store writes it (SQLite's
// sourcing_writes.cpp, PostgreSQL's pg_sourcing_writes.cpp): the warehouses that need a New shipment,
// then, with their shipment ids, the allocation rows to change, delete or insert (merged by identity),
// the shipment_items, the units taken from inventory (those not already reserved), the reservations
// consumed and the jit receipts whose queue lines shrink. One definition, so both backends write the same.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "olmd/core/error.hpp"
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

/// The new rows of a batch's plans, collected while a store stages its writes (a batch's first attempt)
/// and written set-based at its end, in this order: shipments (whose ids replace the placeholders),
/// allocations, shipment_items, the inventory counts (guarded: every row must still have the units),
/// queue lines. Changes to rows that exist already are not staged: the store writes them at once.
struct StagedRows {
    struct Shipment {
        RowId order = 0, warehouse = 0;
    };
    struct Allocation {
        RowId line = 0;
        int kind = 0;  ///< a domain::sourcing::AllocKind
        std::int64_t quantity = 0;
        RowId warehouse = 0, vendor = 0, shipment = 0;  ///< 0 = NULL; shipment < 0: shipments[-s - 1]
    };
    struct Item {
        RowId shipment = 0, line = 0;  ///< shipment as in Allocation
        std::int64_t quantity = 0;
    };
    struct QueueLine {
        RowId line = 0, sku = 0, vendor = 0;
        std::int64_t quantity = 0;
        std::string method;
        std::optional<std::string> po_method, po_template;
    };

    RunId run = 0;
    std::string now;  ///< the run's time as the store's text
    std::vector<Shipment> shipments;
    std::vector<Allocation> allocations;
    std::vector<Item> items;
    std::map<std::pair<RowId, RowId>, std::int64_t> inventory;  ///< (warehouse, sku) -> units taken
    std::vector<QueueLine> queue;

    /// Stages order's new rows (shipments with placeholder ids) and returns the rest of its plan rows,
    /// the changes to existing rows (reserved, remove, grow, received) the caller writes at once:
    /// inventory, fresh and items, staged here, are empty in it.
    PlanRows stage(const domain::sourcing::SourcingOrder& order, const domain::sourcing::Plan& plan, RunId run_id,
                   const std::string& now_text);
    /// The ids of the staged shipments, in staging order, from the (id, order_id, warehouse_id) rows their
    /// insert returned in any order: ids were given in staging order, so an order staged twice at one
    /// warehouse gets its ids in turn. An Error when a staged shipment got no row.
    Result<std::vector<RowId>> shipment_ids(std::vector<std::tuple<RowId, RowId, RowId>> returned) const;
    /// The real id of a staged shipment id (s < 0) once ids holds the inserted shipments' ids; s itself otherwise.
    static RowId resolve(RowId s, const std::vector<RowId>& ids) {
        return s < 0 ? ids.at(static_cast<std::size_t>(-s - 1)) : s;
    }
    /// Drops everything staged.
    void clear();
};

}  // namespace olmd::store
