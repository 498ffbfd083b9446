#pragma once
// Which backend `[daemon] database` names (PG-1), and the form of a PostgreSQL URI
// that may be shown: every message and log line naming the server uses it.

#include <string>
#include <string_view>

namespace olmd {

/// True when database is a PostgreSQL connection URI (postgresql:// or postgres://, lower case as libpq
/// reads them); anything else is an SQLite path.
bool is_postgres_uri(std::string_view database);

/// The URI without any password: the one of the user info (user:secret@) and every `password`
/// query parameter are dropped; everything else is kept. Text that is no PostgreSQL URI is returned
/// unchanged.
std::string redact_database_uri(std::string_view uri);

}  // namespace olmd
