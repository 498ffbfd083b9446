#pragma once
// Reference data on PostgreSQL (PG-1): the ZIP centroids of import-zips and the names
// check-config compares with the configuration.

#include <string>

#include "olmd/core/error.hpp"
#include "olmd/domain/catalog.hpp"
#include "olmd/store/pg_database.hpp"

namespace olmd::store {

/// Loads a `zip,state,latitude,longitude` CSV (header line) in one transaction, replacing rows with
/// the same zip (the last line of a zip wins). The file errors of import_zip_csv (zip_codes.hpp) write
/// nothing (code 1); a database error writes nothing (code 4). Returns the number of rows loaded.
Result<long> import_zip_csv_pg(PgDatabase& db, const std::string& path);

/// Number of rows in zip_codes.
Result<long> count_zip_codes_pg(PgDatabase& db);

/// Loads order_statuses, channels, shipping_methods, warehouses and the unlocated warehouses (SRC-8)
/// as store::load_catalog does on SQLite; an Error (code 4) when the tables cannot be read.
Result<domain::Catalog> load_pg_catalog(PgDatabase& db);

}  // namespace olmd::store
