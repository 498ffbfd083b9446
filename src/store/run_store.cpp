// The SQLite RunStore: each repository prepares its statements on the one connection.
#include "olmd/store/run_store.hpp"

#include "olmd/store/fraud_orders.hpp"
#include "olmd/store/payments.hpp"
#include "olmd/store/sourcing_repository.hpp"
#include "olmd/store/status_writer.hpp"

namespace olmd::store {

namespace {

class SqliteRunStore final : public domain::RunStore {
public:
    explicit SqliteRunStore(Database& db) : db_(db) {}

    Result<std::unique_ptr<domain::StatusWriter>> status_writer(const domain::WriterOptions& o) override {
        try {
            return std::unique_ptr<domain::StatusWriter>(
                new SqliteStatusWriter(db_, o.job, o.run, o.now, o.dry_run, o.dry_out, o.status_name));
        } catch (const std::exception& e) {
            return Error{std::string("cannot prepare the status statements (is the schema current? run `olmd "
                                     "init-db`): ") + e.what(),
                         exit_code::database};
        }
    }

    Result<std::unique_ptr<domain::PaymentRepository>> payments() override { return open_payments(db_); }

    Result<std::unique_ptr<domain::FraudOrderPages>> fraud_orders(const domain::FraudOrderFilter& filter) override {
        // Its own connection, so the job can read the next page while this one writes; the shared
        // connection if a second one cannot be opened (the job then reads and writes in turn).
        auto r = FraudOrderReader::open(db_, filter, true);
        if (!r) r = FraudOrderReader::open(db_, filter);
        if (!r) return r.error();
        return std::unique_ptr<domain::FraudOrderPages>(std::move(*r));
    }

    Result<std::optional<domain::FraudOrder>> fraud_order(OrderId id) override { return read_fraud_order(db_, id); }

    Result<std::unique_ptr<domain::SourcingRepository>> sourcing() override {
        auto r = SqliteSourcing::open(db_);
        if (!r) return r.error();
        return std::unique_ptr<domain::SourcingRepository>(std::move(*r));
    }

private:
    Database& db_;
};

}  // namespace

std::unique_ptr<domain::RunStore> make_run_store(Database& db) { return std::make_unique<SqliteRunStore>(db); }

}  // namespace olmd::store
