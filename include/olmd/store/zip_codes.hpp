#pragma once
// zip_codes: US ZIP centroids for the `closest` fulfillment rule (SRC-8).

#include <cstddef>
#include <string>

#include "olmd/core/error.hpp"
#include "olmd/store/database.hpp"

namespace olmd::store {

/// The largest ZIP centroid CSV import-zips reads (OPS-10): 64 MiB, some 60 times every US ZIP code.
inline constexpr std::size_t kMaxZipCsvBytes = 64 * 1024 * 1024;

/// Loads a `zip,state,latitude,longitude` CSV (header line) in one transaction, replacing
/// rows with the same zip. A file that is not a regular file or is over kMaxZipCsvBytes, an empty
/// file, one without a single row, or a malformed line (an Error naming file:line) writes nothing.
/// Returns the number of rows loaded.
Result<long> import_zip_csv(Database& db, const std::string& path);

/// Number of rows in zip_codes.
Result<long> count_zip_codes(Database& db);

}  // namespace olmd::store
