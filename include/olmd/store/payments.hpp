#pragma once
// The SQLite implementation of the domain::PaymentRepository port (payments and
// the gateway journal).

#include <memory>

#include "olmd/core/error.hpp"
#include "olmd/domain/payments.hpp"
#include "olmd/store/database.hpp"

namespace olmd::store {

/// Prepares the repository's statements on db (which must outlive it); an Error when the schema
/// lacks migration 0002.
Result<std::unique_ptr<domain::PaymentRepository>> open_payments(Database& db);

}  // namespace olmd::store
