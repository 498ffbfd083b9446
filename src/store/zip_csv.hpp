#pragma once
// The ZIP centroid CSV (`zip,state,latitude,longitude`, header line) import-zips reads, parsed
// the same way for both backends (store/zip_codes.cpp, store/postgres/pg_reference.cpp).

#include <string>
#include <vector>

#include "olmd/core/error.hpp"

namespace olmd::store {

/// One ZIP centroid row.
struct ZipRow {
    std::string zip, state;
    double latitude, longitude;
};

/// The rows of the CSV file at path, in file order. A file that is not a regular file or is over
/// kMaxZipCsvBytes, an empty file, one without a single row, or a malformed line (an Error naming
/// file:line) is an Error (exit code 1).
Result<std::vector<ZipRow>> read_zip_csv(const std::string& path);

}  // namespace olmd::store
