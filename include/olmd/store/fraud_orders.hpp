#pragma once
// The fraud job's repository: eligible orders with everything FR-2..FR-10 need
// (shipping method name, payment flags), read keyset-paged, one query per page.

#include <memory>
#include <optional>
#include <vector>

#include "olmd/core/error.hpp"
#include "olmd/core/ids.hpp"
#include "olmd/domain/fraud_order.hpp"
#include "olmd/store/database.hpp"

namespace olmd::store {

/// Which orders the fraud job selects (FR-1), as ids.
struct FraudOrderFilter {
    std::vector<StatusId> statuses;  ///< the status filter, hold status already removed; empty = none
    std::vector<RowId> channels;     ///< empty = every channel
};

/// Reads eligible orders page by page with one prepared statement.
class FraudOrderReader {
public:
    /// Prepares the page query for filter; an Error when the database cannot prepare it.
    static Result<std::unique_ptr<FraudOrderReader>> open(Database& db, FraudOrderFilter filter);
    ~FraudOrderReader();
    FraudOrderReader(const FraudOrderReader&) = delete;
    FraudOrderReader& operator=(const FraudOrderReader&) = delete;

    /// The next page: at most limit eligible orders with id > after_id, in id order.
    Result<std::vector<domain::FraudOrder>> page(RowId after_id, int limit);
    /// How many orders are eligible now (for progress reports).
    Result<std::int64_t> count();

private:
    struct Impl;
    explicit FraudOrderReader(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

/// One order by id with the same columns, whatever its status (explain); nullopt when missing.
Result<std::optional<domain::FraudOrder>> read_fraud_order(Database& db, OrderId id);

}  // namespace olmd::store
