#pragma once
// The RunStore port: the database one run works on, as the repositories the
// jobs use. A store backend (SQLite today) is one implementation of it; the
// composition root builds it, the jobs only see this interface.

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "olmd/core/error.hpp"
#include "olmd/core/ids.hpp"
#include "olmd/core/time.hpp"
#include "olmd/domain/fraud_repository.hpp"
#include "olmd/domain/payments.hpp"
#include "olmd/domain/sourcing_repository.hpp"
#include "olmd/domain/status_writer.hpp"

namespace olmd::domain {

/// What a status writer is for.
struct WriterOptions {
    JobKind job = JobKind::capture;  ///< the history rows' job
    RunId run = 0;                   ///< the history rows' run (0 in dry run and explain)
    Instant now{};                   ///< updated_at / changed_at
    bool dry_run = false;            ///< print each transition to dry_out instead of writing it
    std::ostream* dry_out = nullptr;
    std::function<std::string(StatusId)> status_name;  ///< status names for the dry-run lines
};

/// The repositories of one database.
class RunStore {
public:
    virtual ~RunStore() = default;
    /// A status writer for one job of one run; an Error when its statements cannot be prepared.
    virtual Result<std::unique_ptr<StatusWriter>> status_writer(const WriterOptions& options) = 0;
    /// Payments and the gateway journal; an Error when the schema lacks them.
    virtual Result<std::unique_ptr<PaymentRepository>> payments() = 0;
    /// The fraud job's eligible orders of filter, page by page.
    virtual Result<std::unique_ptr<FraudOrderPages>> fraud_orders(const FraudOrderFilter& filter) = 0;
    /// One order with the fraud job's columns whatever its status (explain); nullopt when missing.
    virtual Result<std::optional<FraudOrder>> fraud_order(OrderId id) = 0;
    /// The sourcing job's repository.
    virtual Result<std::unique_ptr<SourcingRepository>> sourcing() = 0;
};

}  // namespace olmd::domain
