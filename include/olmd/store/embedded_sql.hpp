#pragma once
// The sql/ migrations (SQLite) and sql/postgres/ migrations (PostgreSQL, PG-1) compiled into
// the binary (generated at build time by scripts/embed_sql.cmake).

#include <string>
#include <vector>

namespace olmd::store {

/// One migration file: its name ("0001_init.sql") and its text.
struct EmbeddedSql {
    const char* name;
    const char* text;
};

/// The migrations of sql/, in order.
const std::vector<EmbeddedSql>& embedded_migrations();

/// The text of sql/seed.sql.
const char* embedded_seed();

/// The migrations of sql/postgres/, in order.
const std::vector<EmbeddedSql>& embedded_pg_migrations();

/// The text of sql/postgres/seed.sql.
const char* embedded_pg_seed();

}  // namespace olmd::store
