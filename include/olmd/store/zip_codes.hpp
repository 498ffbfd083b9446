#pragma once
// zip_codes: US ZIP centroids for the `closest` fulfillment rule (SRC-8).

#include <string>

#include "olmd/core/error.hpp"
#include "olmd/store/database.hpp"

namespace olmd::store {

/// Loads a `zip,state,latitude,longitude` CSV (header line) in one transaction, replacing
/// rows with the same zip; a malformed line is an Error naming file:line and nothing is written.
/// Returns the number of rows loaded.
Result<long> import_zip_csv(Database& db, const std::string& path);

/// Number of rows in zip_codes.
Result<long> count_zip_codes(Database& db);

}  // namespace olmd::store
