#pragma once
// The sourcing job's repository on PostgreSQL (the twin of the SQLite SqliteSourcing): the same reads,
// one query per page and per kind of detail, and the same writes of apply(). On PostgreSQL the columns
// are typed and the foreign keys hold, so the SQLite reader's bad-data checks have nothing to find;
// value checks the schema does not make are kept. Writes run in the caller's batch transaction.

#include "olmd/domain/sourcing_repository.hpp"
#include "olmd/store/pg_database.hpp"

namespace olmd::store {

/// SourcingRepository on a PostgreSQL session, which must outlive it.
class PgSourcing final : public domain::SourcingRepository {
public:
    explicit PgSourcing(PgDatabase& db) : db_(db) {}

    Result<domain::sourcing::ReferenceData> load_reference() override;
    Result<std::int64_t> count_in_statuses(const std::vector<StatusId>& statuses) override;
    Result<std::vector<domain::sourcing::SourcingOrder>> page_by_id(const std::vector<StatusId>& statuses,
                                                                    RowId after_id, int limit) override;
    Result<std::int64_t> snapshot_backordered(const std::vector<StatusId>& statuses) override;
    Result<std::vector<domain::sourcing::SourcingOrder>> page_backordered(const std::string& after_created,
                                                                          RowId after_id, int limit) override;
    Result<std::optional<domain::sourcing::SourcingOrder>> read_order(OrderId id) override;
    Result<std::vector<domain::sourcing::InventoryRow>> inventory(const std::vector<RowId>& skus) override;
    Result<std::vector<domain::sourcing::VendorStockRow>> vendor_stock(const std::vector<RowId>& skus) override;
    Result<domain::sourcing::Centroid> zip_centroid(const std::string& zip5) override;
    Result<domain::sourcing::PaymentTotals> payment_totals(OrderId id, const std::string& valid_after) override;
    Result<RowId> insert_rts_payment(RowId card_payment, std::int64_t amount_cents,
                                     const std::string& now_text) override;
    Result<bool> has_open_rts_authorization(OrderId id) override;
    Status apply(const domain::sourcing::SourcingOrder& order, const domain::sourcing::Plan& plan, RunId run,
                 const std::string& now_text) override;

private:
    PgDatabase& db_;
    std::string backorder_statuses_ = "{}";  ///< the statuses of the last snapshot_backordered()
};

}  // namespace olmd::store
