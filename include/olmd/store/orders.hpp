#pragma once
// Looking orders up by what people call them.

#include <optional>
#include <string>

#include "olmd/core/error.hpp"
#include "olmd/domain/order_ref.hpp"
#include "olmd/store/database.hpp"

namespace olmd::store {

/// The order with that order_number, or nullopt.
Result<std::optional<domain::OrderRef>> find_order_by_number(Database& db, const std::string& number);

}  // namespace olmd::store
