#pragma once
// The SQLite implementation of the fraud job's repository port: a few statements per page.

#include <memory>
#include <optional>
#include <vector>

#include "olmd/core/error.hpp"
#include "olmd/core/ids.hpp"
#include "olmd/domain/fraud_repository.hpp"
#include "olmd/store/database.hpp"

namespace olmd::store {

/// Reads eligible orders page by page with one prepared statement.
class FraudOrderReader final : public domain::FraudOrderPages {
public:
    /// Prepares the page query for filter on db, or with own_connection on a connection of its own
    /// to db's file (so pages can be read on another thread while db writes); an Error when the
    /// database cannot prepare it.
    static Result<std::unique_ptr<FraudOrderReader>> open(Database& db, domain::FraudOrderFilter filter,
                                                          bool own_connection = false);
    ~FraudOrderReader() override;
    FraudOrderReader(const FraudOrderReader&) = delete;
    FraudOrderReader& operator=(const FraudOrderReader&) = delete;

    /// The next page: at most limit eligible orders with id > after_id, in id order.
    Result<std::vector<domain::FraudOrder>> page(RowId after_id, int limit) override;
    /// How many orders are eligible now (for progress reports).
    Result<std::int64_t> count() override;
    /// True when opened with its own connection.
    bool reads_beside_writer() const override;

private:
    struct Impl;
    explicit FraudOrderReader(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

/// One order by id with the same columns, whatever its status (explain); nullopt when missing.
Result<std::optional<domain::FraudOrder>> read_fraud_order(Database& db, OrderId id);

}  // namespace olmd::store
