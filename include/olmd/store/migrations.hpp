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
/// A database newer than the binary is an Error (code 4) and nothing is changed. Existing rows that
/// break a CHECK a migration adds stop it: an Error (code 1) listing them (at most
/// kListedViolationsPerTable per table, plus counts) and saying what to do; that migration changes
/// nothing (the ones before it stay applied).
Result<MigrateReport> migrate(Database& db);

/// Applies the pending migrations up to schema version `version` (no seed): tests build older
/// databases with it. Errors as migrate(); a version beyond known_schema_version() is an Error.
Result<MigrateReport> migrate_to(Database& db, int version);

/// How many rows breaking a new CHECK the migration error lists per table.
inline constexpr int kListedViolationsPerTable = 100;

}  // namespace olmd::store
