#pragma once
// Loading the reference tables into a domain::Catalog.

#include "olmd/core/error.hpp"
#include "olmd/domain/catalog.hpp"
#include "olmd/store/database.hpp"

namespace olmd::store {

/// Loads order_statuses, channels, shipping_methods, warehouses and the unlocated warehouses
/// (SRC-8); an Error (exit code 4) when the tables cannot be read.
Result<domain::Catalog> load_catalog(Database& db);

}  // namespace olmd::store
