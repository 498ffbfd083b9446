#pragma once
// Schema migrations (sql/NNNN_*.sql) tracked with PRAGMA user_version.

#include <string>
#include <vector>

#include "olmd/core/error.hpp"
#include "olmd/store/database.hpp"

namespace olmd::store {

/// The schema version this binary's migrations bring a database to.
int known_schema_version();

/// What init-db did.
struct MigrateReport {
    int from_version = 0;
    int to_version = 0;
    std::vector<std::string> applied;  ///< migration file names applied now
    int seeded_rows = 0;               ///< reference rows the seed inserted (0 on a re-run)
};

/// Applies every pending migration, each in its own transaction, then the idempotent seed.
/// A database newer than the binary is an Error (code 4) and nothing is changed.
Result<MigrateReport> migrate(Database& db);

}  // namespace olmd::store
