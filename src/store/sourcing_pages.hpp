#pragma once
// Sourcing's page reads on one SQLite connection (store-private): the orders of
// a page, then one query each for their lines, allocations, reservations and
// shipments. The writer's connection has one (sourcing_impl.hpp), the
// read-ahead another on its own connection (sourcing_read_ahead.hpp).

#include <SQLiteCpp/SQLiteCpp.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "olmd/core/ids.hpp"
#include "olmd/domain/sourcing.hpp"

// created_at in the contract's form whichever form the back office wrote (SQLite's own
// "YYYY-MM-DD HH:MM:SS" too), so that SRC-14's oldest-first order is right.
#define OLMD_CREATED_AT "coalesce(strftime('%Y-%m-%dT%H:%M:%SZ', o.created_at), o.created_at)"

namespace olmd::store {

/// Every orders column sourcing reads (table alias o), with its bad-data checks last.
const std::string& sourcing_order_columns();
/// The order of the current row of a statement that selects sourcing_order_columns().
domain::sourcing::SourcingOrder sourcing_order_row(SQLite::Statement& q);

/// The prepared page reads of one connection; used by one thread at a time. Throws what SQLiteCpp throws.
struct SourcingPageQueries {
    /// Prepares the detail queries on d (which must outlive this).
    explicit SourcingPageQueries(SQLite::Database& d);

    /// The next page of orders in the statuses with id > after, at most limit, in id order, with details.
    std::vector<domain::sourcing::SourcingOrder> page_by_id(const std::vector<StatusId>& statuses,
                                                            RowId after, int limit);
    /// Fills the lines, allocations, reservations and New shipments of the orders.
    void load_details(std::vector<domain::sourcing::SourcingOrder>& orders);

    SQLite::Database& db;
    SQLite::Statement lines, allocations, reservations, shipments, shipment_units;
    std::map<std::string, std::unique_ptr<SQLite::Statement>> pages;  ///< by status list
};

}  // namespace olmd::store
