#pragma once
// The PostgreSQL implementations of the domain ports (PG-1), as the store's PostgreSQL RunStore composes
// them; for store implementation files and the PG tests only. Every one works on one PgDatabase, used by
// one thread, and writes inside the batch transaction its StatusWriter opened (PgDatabase::Impl::batch).

#include <memory>
#include <optional>

#include "olmd/domain/fraud_repository.hpp"
#include "olmd/domain/payments.hpp"
#include "olmd/domain/run_store.hpp"
#include "olmd/domain/sourcing_repository.hpp"
#include "olmd/domain/status_writer.hpp"
#include "olmd/store/audit.hpp"
#include "olmd/store/pg_database.hpp"

namespace olmd::store {

/// The payments and gateway journal of db (the PostgreSQL twin of SqlitePayments).
std::unique_ptr<domain::PaymentRepository> make_pg_payments(PgDatabase& db);

/// The sourcing job's repository on db (the PostgreSQL twin of the SQLite SourcingRepository).
std::unique_ptr<domain::SourcingRepository> make_pg_sourcing(PgDatabase& db);

/// A status writer on db: the optimistic transition of rules.md, deadlocks and serialization failures
/// retried (PG-3).
std::unique_ptr<domain::StatusWriter> make_pg_status_writer(PgDatabase& db, const domain::WriterOptions& options);

/// The fraud job's eligible orders of filter on db, keyset-paged.
std::unique_ptr<domain::FraudOrderPages> make_pg_fraud_pages(PgDatabase& db, const domain::FraudOrderFilter& filter);

/// OPS-13: the audit of audit.hpp on db, in one read-only snapshot.
Result<std::vector<Violation>> audit_pg(PgDatabase& db, const AuditOptions& options);

/// One order with the fraud job's columns whatever its status (explain); nullopt when missing.
Result<std::optional<domain::FraudOrder>> read_pg_fraud_order(PgDatabase& db, OrderId id);

}  // namespace olmd::store
