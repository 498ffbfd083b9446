#pragma once
// What one sourcing run holds (sourcing_job.cpp, rts_authorization.cpp,
// explain.cpp): the resolved settings, the reference data cached for the
// run, the repository and its prepared statements, the status writer, the
// batch's stock, the ZIP centroids looked up so far, and the orders waiting
// for a ready-to-ship authorization.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "olmd/jobs/sourcing/decide_order.hpp"
#include "olmd/jobs/sourcing/sourcing_job.hpp"
#include "olmd/domain/payments.hpp"
#include "olmd/domain/sourcing_repository.hpp"
#include "olmd/domain/status_writer.hpp"

namespace olmd::jobs::sourcing {

/// An order rolled back because SRC-12 must authorize before it goes in shipping.
struct PendingAuth {
    OrderId order = 0;
    Pass pass = Pass::main;
};

/// Reads the next page of the current pass.
using PageFn = std::function<Result<std::vector<SourcingOrder>>()>;

/// One run of the sourcing job.
struct RunState {
    /// Takes what the run needs; writer: the status writer of ctx's run.
    RunState(JobContext& ctx, JobStats& stats, Settings settings, ReferenceData ref,
             std::unique_ptr<domain::SourcingRepository> repo, std::unique_ptr<domain::StatusWriter> writer);

    /// Records a failure of the whole job (MON-3).
    void fail(const std::string& why);
    /// Loads the inventory and vendor stock of the orders' SKUs not loaded yet; false on error.
    bool load_stock(const std::vector<SourcingOrder>& orders);
    /// The ship ZIP's centroid when the order's rule is closest (cached for the run).
    Result<Centroid> origin(const SourcingOrder& o, const std::string& zip5);
    /// The payments reader the rules use.
    PaymentsFn payments();
    /// Decides one order against the batch's stock (trace: explain lines, may be null).
    Result<SourcingDecision> decide(const SourcingOrder& o, Pass pass, Trace* trace);

    enum class OrderResult {
        done,
        deferred_for_auth,      ///< rolled back: SRC-12 must authorize first
        retry_with_savepoints,  ///< rows were written and must be taken back: redo the batch safely
        failed,
    };
    /// Decides and writes one order inside the open batch (its own savepoint). On the first visit
    /// an order that needs a ready-to-ship authorization is queued for authorize_pending().
    OrderResult process(const SourcingOrder& o, Pass pass, bool first_visit = true);
    /// Writes a decision inside the open batch (its own savepoint); mark: the stock journal's
    /// mark before the decision, rolled back to when the order is not kept.
    OrderResult write(const SourcingOrder& o, SourcingDecision& d, const StockMark& mark);
    /// SRC-12 decline (or no card): the order gets the ready-to-ship exception status, nothing
    /// of this run's sourcing kept.
    /// reason: the history reason (rts_auth_declined, card_not_reusable); a club order whose card
    /// the gateway declined (card_declined) goes to the club exception status instead (RA-5
    /// club_auth_declined), so that the club retries pick it up.
    OrderResult decline(const SourcingOrder& o, const std::string& why, const std::string& reason = "rts_auth_declined",
                        bool card_declined = false);
    /// SRC-12 for one order rolled back by its batch; false when the job must stop.
    bool authorize_one(const PendingAuth& p);
    /// OPS-6: resolves SRC-12 authorizations a crash or an unknown answer left open; false on a
    /// database failure.
    bool reconcile_rts();
    /// Takes the run's gateway at first use; false (failure recorded) when it cannot be had.
    bool ensure_gateway();
    /// One batch: read a page under BEGIN IMMEDIATE, process it, commit, then SRC-12's
    /// authorizations; false when the job must stop (stats.failure set).
    bool run_batch(const PageFn& read, std::vector<SourcingOrder>& page, Pass pass);
    /// SRC-14 pass: orders waiting on backorders, oldest first; false when the job must stop.
    bool backorder_pass();
    /// SRC-1 pass: orders in [sourcing] statuses, by id.
    void main_pass();
    /// SRC-12: authorizes each pending order outside any transaction and sources it again;
    /// false when the job must stop.
    bool authorize_pending();

    JobContext& ctx;
    JobStats& stats;
    Settings settings;
    ReferenceData ref;
    std::unique_ptr<domain::SourcingRepository> repo;
    std::unique_ptr<domain::StatusWriter> writer_owner;
    domain::StatusWriter& writer;
    Stock stock;
    std::unordered_map<std::string, Centroid> zips;
    std::string valid_after;  ///< SRC-12: authorizations dated after this (UTC text) still cover; set at first use
    std::vector<PendingAuth> pending_auth;
    bool use_gateway = false;                            ///< SRC-12 is on (never in a dry run)
    domain::Gateway* gateway = nullptr;                  ///< the run's, taken at the first authorization
    std::unique_ptr<domain::PaymentRepository> payment_store;  ///< the journal (OPS-6), with the gateway
    bool gateway_failed = false;
    bool savepoints = true;  ///< one savepoint per order (off for a batch's first attempt)
    // The stock read by earlier batches stays (SKUs are read once per run, not once per batch) while
    // it is what the database holds: the last batch committed with no SRC-12 order left over, and no
    // other connection has committed since (others_commit_counter, read under the write lock).
    bool stock_current = false;                 ///< the stock held is the database's as of last_counter
    std::optional<std::int64_t> last_counter;   ///< others_commit_counter at the last batch's start
    std::vector<RowId> received_skus;           ///< SKUs whose queue lines a kept order shrank (SRC-14)
    std::vector<domain::Transition> deferred_transitions;  ///< a first attempt's, written before it commits
    /// Clears the stock unless it is still the database's (see stock_current); false on a database error.
    bool refresh_stock(bool first_attempt);
};

/// The status writer of a sourcing run of c (dry or not, as c says).
Result<std::unique_ptr<domain::StatusWriter>> sourcing_writer(JobContext& c);

}  // namespace olmd::jobs::sourcing
