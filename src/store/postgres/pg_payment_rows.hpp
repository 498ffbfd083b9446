#pragma once
// The rows of payments, orders and gateway_operations as the PostgreSQL payment repository selects
// them: the column lists (timestamps as the contract's UTC text) and their decoding.

#include <pqxx/pqxx>
#include <string>

#include "olmd/domain/payments.hpp"
#include "store/postgres/pg_impl.hpp"

namespace olmd::store {

/// The payment columns, table alias p.
extern const std::string kPaymentColumns;
/// How many columns kPaymentColumns selects.
inline constexpr int kPaymentColumnCount = 16;
/// A payment from a row starting with kPaymentColumns.
domain::PaymentRow read_payment(const pqxx::row& r);

/// The order columns a payment job decides on, table alias o.
extern const std::string kOrderColumns;
/// The order of a row whose kOrderColumns start at column k (its payments not read).
domain::PaymentOrder read_order(const pqxx::row& r, int k);

/// The journal columns of gateway_operations (no alias).
extern const std::string kOpColumns;
/// A journal operation from a row of kOpColumns.
domain::JournalOp read_op(const pqxx::row& r);

}  // namespace olmd::store
