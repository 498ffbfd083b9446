#pragma once
// The PostgreSQL sourcing repository (PG-1), the twin of store::SqliteSourcing: the same reads and
// writes with the same SQL shapes, statements prepared once per connection (names olmd_src_*), every
// statement run through in_transaction() so writes land in the caller's batch. Store-private: reads in
// pg_sourcing_pages.cpp, stock and payments in pg_sourcing_stock.cpp, writes in pg_sourcing_writes.cpp.
//
// On PostgreSQL a column always holds its declared type, so SQLite's typeof() checks have nothing to
// find; the value checks (ranges of quantities and cents the schema's CHECKs do not bound) are kept,
// each a WHEN clause of one CASE per row as on SQLite (store/sourcing_checks.hpp).

#include <pqxx/pqxx>

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "olmd/domain/sourcing_repository.hpp"
#include "store/postgres/pg_impl.hpp"
#include "store/sourcing_plan_rows.hpp"

namespace olmd::store {

namespace pg_checks {

/// One value check, a WHEN clause of first_bad(): when ok does not hold (or is NULL), "<name>=<col as text>".
inline std::string check(const std::string& name, const std::string& col, const std::string& ok) {
    return "WHEN NOT coalesce((" + ok + "), false) THEN '" + name + "=' || (" + col + ")::text ";
}

/// The first failing check of a row, NULL when every one holds.
inline std::string first_bad(std::initializer_list<std::string> checks) {
    std::string s = "(CASE ";
    for (const std::string& c : checks) s += c;
    return s + "END)";
}

/// A column between lo and hi.
inline std::string in_range(const std::string& c, const std::string& lo, const std::string& hi) {
    return "(" + c + " BETWEEN " + lo + " AND " + hi + ")";
}

/// Units (quantities) and cents as the bounds of rules.md.
inline constexpr const char* kUnits = "1000000000";
inline constexpr const char* kCents = "1000000000000000";

/// A finding "<column>=<value>" (NULL or "" = none) as the BadField of table/key.
domain::sourcing::BadField parse(const pqxx::field& f, const std::string& table, const std::string& key);

/// A text column, "" for NULL.
inline std::string text(const pqxx::field& f) { return f.is_null() ? std::string() : f.as<std::string>(); }

/// A nullable id column.
inline std::optional<RowId> opt_id(const pqxx::field& f) {
    if (f.is_null()) return std::nullopt;
    return f.as<RowId>();
}

}  // namespace pg_checks

/// The sourcing repository on one PgDatabase (used by one thread).
class PgSourcing final : public domain::SourcingRepository {
public:
    /// Works on db, which must outlive it; nothing is sent to the server until a method runs.
    explicit PgSourcing(PgDatabase& db);

    /// Warehouses, SKUs, vendors and the shipping methods' COD flags.
    Result<domain::sourcing::ReferenceData> load_reference() override;
    /// How many orders are in the statuses now.
    Result<std::int64_t> count_in_statuses(const std::vector<StatusId>& statuses) override;
    /// The next page of orders in the statuses with id > after_id, at most limit, in id order, with details.
    Result<std::vector<domain::sourcing::SourcingOrder>> page_by_id(const std::vector<StatusId>& statuses,
                                                                  RowId after_id, int limit) override;
    /// SRC-14: records in the session's TEMP table the orders in the statuses holding backordered units.
    Result<std::int64_t> snapshot_backordered(const std::vector<StatusId>& statuses) override;
    /// The next page of the snapshot after (created_at, id), oldest first, still in the statuses.
    Result<std::vector<domain::sourcing::SourcingOrder>> page_backordered(const std::string& after_created,
                                                                        RowId after_id, int limit) override;
    /// One order by id with details, whatever its status; nullopt when missing.
    Result<std::optional<domain::sourcing::SourcingOrder>> read_order(OrderId id) override;
    /// Inside a batch: marks the batch's own stock writes (olmd.sourcing_batch), locks inventory,
    /// vendor_stock and purchase_order_queue against other writers until the batch ends, then returns
    /// how many statements of others have written them (olmd_stock_changes, migration 0002); outside a
    /// batch nullopt (cannot tell).
    Result<std::optional<std::int64_t>> others_commit_counter() override;
    /// Inventory rows of the SKUs.
    Result<std::vector<domain::sourcing::InventoryRow>> inventory(const std::vector<RowId>& skus) override;
    /// vendor_stock rows of the SKUs, less what the queue asks of each vendor.
    Result<std::vector<domain::sourcing::VendorStockRow>> vendor_stock(const std::vector<RowId>& skus) override;
    /// The centroid of a five-digit ZIP (none when zip_codes does not have it).
    Result<domain::sourcing::Centroid> zip_centroid(const std::string& zip5) override;
    /// paid_cents, open_auth_cents (valid ones: authorized after valid_after) and the last live card payment.
    Result<domain::sourcing::PaymentTotals> payment_totals(OrderId id, const std::string& valid_after) override;
    /// SRC-12: a pending credit_card payment copying card_payment's order, token and customer_ref.
    Result<RowId> insert_rts_payment(RowId card_payment, std::int64_t amount_cents,
                                     const std::string& now_text) override;
    /// True while an SRC-12 authorization of the order is journaled and not resolved (OPS-6).
    Result<bool> has_open_rts_authorization(OrderId id) override;
    /// Writes one order's plan inside the caller's batch (SRC-7..SRC-11, SRC-14, SRC-15): at once, or,
    /// while staging, its new rows for flush_writes() and its changes to existing rows at once.
    Status apply(const domain::sourcing::SourcingOrder& order, const domain::sourcing::Plan& plan, RunId run,
                 const std::string& now_text) override;
    /// Collects apply()'s new rows for flush_writes() (on) or writes them at once (off, the default);
    /// either way drops what was staged.
    void stage_writes(bool on) override;
    /// Writes the staged rows with one statement per table (arrays, unnest); an Error when a row is
    /// refused or an inventory row no longer has the units (the caller rolls the batch back).
    Status flush_writes() override;

private:
    /// Prepares the olmd_src_* statements on the connection once (a second repository on it finds them).
    void prepare();
    /// The orders of a result of order columns, with their details (one query each).
    std::vector<domain::sourcing::SourcingOrder> orders_of(pqxx::transaction_base& t, const pqxx::result& r);
    /// Fills the lines, allocations, reservations and shipments of the orders.
    void load_details(pqxx::transaction_base& t, std::vector<domain::sourcing::SourcingOrder>& orders);

    PgDatabase& db_;
    bool prepared_ = false;
    bool staging_ = false;
    StagedRows staged_;  ///< apply()'s new rows while staging (pg_sourcing_writes.cpp)
    std::string backorder_statuses_ = "{}";  ///< the status array of the current SRC-14 snapshot
};

/// Every orders column sourcing reads (alias o), created_at as UTC text, the value check last.
const std::string& pg_sourcing_order_columns();
/// The order of a row selecting pg_sourcing_order_columns().
domain::sourcing::SourcingOrder pg_sourcing_order_row(const pqxx::row& r);
/// Prepares the stock and payment statements (pg_sourcing_stock.cpp).
void prepare_pg_sourcing_stock(pqxx::connection_base& conn);
/// Prepares the write statements (pg_sourcing_writes.cpp).
void prepare_pg_sourcing_writes(pqxx::connection_base& conn);
/// Prepares name on conn unless it already is (same text).
void prepare_once(pqxx::connection_base& conn, const std::string& name, const std::string& sql);

}  // namespace olmd::store
