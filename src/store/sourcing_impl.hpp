#pragma once
// The prepared statements behind store::SqliteSourcing (reads in
// sourcing_repository.cpp, writes in sourcing_writes.cpp).

#include <SQLiteCpp/SQLiteCpp.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "olmd/store/sourcing_repository.hpp"
#include "store/multi_row.hpp"
#include "store/sourcing_plan_rows.hpp"
#include "store/sourcing_pages.hpp"
#include "store/sourcing_read_ahead.hpp"

namespace olmd::store {

struct SqliteSourcing::Impl {
    explicit Impl(SQLite::Database& d);
    ~Impl();

    SQLite::Database& db;
    SourcingPageQueries pages;                 ///< pages and their details, on this connection
    std::unique_ptr<SourcingReadAhead> ahead;  ///< the next page on a second connection; null: none
    // stock (bound: a JSON array of SKU ids)
    SQLite::Statement inventory, vendor_stock;
    SQLite::Statement zip, payments;
    // writes
    SQLite::Statement insert_shipment, upsert_shipment_item, insert_allocation, add_allocation,
        delete_allocation, take_inventory, shrink_reservation, delete_reservation, insert_po, queue_lines,
        shrink_queue_line, delete_queue_line;
    bool staging = false;
    StagedRows staged;  ///< the rows apply() collects while staging, written by flush_writes() (sourcing_writes.cpp)
    std::unique_ptr<MultiRow> multi_shipments, multi_allocations, multi_items, multi_inventory, multi_queue;
    // counts and SRC-14 pages, by their status list
    std::map<std::string, std::unique_ptr<SQLite::Statement>> counts, backorder_pages;
    std::string backorder_statuses;  ///< the status list of the current SRC-14 snapshot
    int saved_cache_size = 0;        ///< the connection's PRAGMA cache_size before the run
    int saved_temp_store = 0;        ///< and its PRAGMA temp_store
    int saved_autocheckpoint = 0;    ///< and its PRAGMA wal_autocheckpoint
};

/// Pages of SQLite cache while sourcing runs (KiB, as a negative PRAGMA cache_size): a batch's
/// writes touch a few thousand pages; re-reading them from the WAL costs more than the memory.
/// While sourcing runs, temp_store is MEMORY as well: each order's savepoint keeps the original
/// of every page it changes in a statement journal, which would otherwise be a temporary file
/// written page by page.
inline constexpr int kSourcingCacheKiB = 32768;

/// The WAL size (pages) at which the writer's commits checkpoint while sourcing runs (SQLite's
/// default is 1 000). A batch rewrites the same index and inventory pages as the one before it;
/// checkpointing every few batches copied each of them into the database again and again (6 % of
/// the CPU of a 100 000-order run). The WAL grows to ~32 MB before it is copied back.
inline constexpr int kSourcingAutocheckpointPages = 8192;

/// The stock and payment reads with their bad-data checks (sourcing_stock_reads.cpp).
std::string inventory_sql();
/// vendor_stock rows of a JSON array of SKUs, with the queue's units and first bad queue line.
std::string vendor_stock_sql();
/// One order's payments rows by id, with their bad-data checks.
std::string payments_sql();

/// An Error for a failed read or write ("sourcing: cannot <what>: ...").
inline Error db_error(const char* what, const std::exception& e) {
    return Error{std::string("sourcing: cannot ") + what + ": " + e.what()};
}

/// "[1,2,3]": ids as a JSON array, bound to json_each(?).
std::string json_ids(const std::vector<RowId>& ids);

/// "1, 2, 3": ids for an IN (...) list.
std::string sql_ids(const std::vector<RowId>& ids);

}  // namespace olmd::store
