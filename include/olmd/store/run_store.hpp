#pragma once
// The SQLite implementation of the domain::RunStore port.

#include <memory>

#include "olmd/domain/run_store.hpp"
#include "olmd/store/database.hpp"

namespace olmd::store {

/// The repositories of the SQLite database db, which must outlive the result.
std::unique_ptr<domain::RunStore> make_run_store(Database& db);

}  // namespace olmd::store
