#pragma once
// The PostgreSQL schema migrations (sql/postgres/NNNN_*.sql), tracked in schema_migrations
// (version, name, applied_at); PG-1.

#include "olmd/core/error.hpp"
#include "olmd/store/migrations.hpp"
#include "olmd/store/pg_database.hpp"

namespace olmd::store {

/// The schema version this binary's PostgreSQL migrations bring a database to.
int known_pg_schema_version();

/// The highest version recorded in schema_migrations; 0 when the table does not exist yet.
Result<int> pg_schema_version(PgDatabase& db);

/// Applies every pending migration, each in its own transaction holding pg_advisory_xact_lock (so
/// concurrent init-db wait for each other and apply each migration once), then the idempotent seed. A
/// database newer than the binary is an Error (code 4) and nothing is changed; so is any SQL error
/// (a role without rights), the failed migration then changing nothing.
Result<MigrateReport> migrate_pg(PgDatabase& db);

/// Checks the schema is exactly the version this binary knows; newer or older is an Error (code 4).
Status require_current_pg_schema(PgDatabase& db);

}  // namespace olmd::store
