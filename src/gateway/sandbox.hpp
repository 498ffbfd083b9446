#pragma once
// The sandbox gateway of cli.md: deterministic, answers at once, ledger in the database.

#include <memory>

#include "olmd/gateway/gateway.hpp"

namespace olmd::gateway {

/// A sandbox gateway keeping its ledger in db; an Error when the ledger table is missing.
Result<std::unique_ptr<Gateway>> make_sandbox_gateway(store::Database& db);

}  // namespace olmd::gateway
