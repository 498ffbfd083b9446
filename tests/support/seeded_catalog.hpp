#pragma once
// The catalog of a freshly seeded database (sql/seed.sql's statuses and channels, in its
// order, so with its ids) and the two shipping methods the in-memory worlds start with
// (1 Ground, 2 COD Ground): what the jobs on the in-memory ports (memory_sourcing.hpp,
// memory_payments.hpp) resolve names against, without opening a database.

#include "olmd/domain/catalog.hpp"

namespace olmd::test {

domain::Catalog seeded_catalog();

}  // namespace olmd::test
