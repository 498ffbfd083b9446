#pragma once
// The sql/ migrations compiled into the binary (generated at build time).

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

}  // namespace olmd::store
