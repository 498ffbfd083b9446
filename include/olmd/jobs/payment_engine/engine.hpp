#pragma once
// The engine both payment jobs (capture CAP-1..7, reauth RA-1..6) run on.
//
// A job's planner looks at one order (with all its payments) and says what to do
// next: send one gateway request, or change the order's status, or nothing more.
// The engine drives a page of orders in rounds, each order with at most one
// request in flight:
//   1. plan every order that has nothing in flight;
//   2. one short write transaction: the planned status changes, and every planned
//      request journaled as 'pending' (OPS-6) after the order and all its payments are
//      read again under the write lock and the planner decides again on what it reads
//      (CAP-4: a back-office change since the page read can never make olmd collect
//      more than the grand total; a moved order is skipped_concurrent);
//   3. send all journaled requests at once ([gateway] concurrency in flight);
//   4. one short write transaction: each outcome with the payment rows, the order's
//      status and the journaled follow-up request it causes (CAP-5 released remainder,
//      CAP-6 void and re-authorization, RA-3/RA-4), order by order (a savepoint each),
//      again on the order as read under the lock: a follow-up that would take new money
//      (authorize, capture) is re-checked against the balance due, and is not sent when
//      the back office moved the order meanwhile.
// A run (not a dry run) overlaps these rounds across windows of orders (drive_overlapped):
// while one wave of journaled requests is at the gateway, the wave before it is recorded
// (step 4) and the next window is read, planned and journaled (steps 1-2); its requests
// and the follow-ups go out together in the next wave. Each order still has one request
// in flight at most, every request is journaled and committed before its wave starts,
// and all writes are made on the job's thread; only Gateway::execute may run on a worker
// (when the gateway executes_off_thread(): Stripe yes, the sandbox no).
// Reconciliation feeds the journal's pending/unknown entries into steps 3-4 before
// any order is planned: the same idempotency key is sent again, or, when the
// gateway has forgotten it (Stripe, 24 h), the gateway is asked what happened.
// In a dry run nothing is written and no request is sent: the engine prints what
// it would do, assuming the sandbox's deterministic answers (cli.md) or approval.

#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "olmd/domain/gateway.hpp"
#include "olmd/jobs/job.hpp"
#include "olmd/domain/payments.hpp"
#include "olmd/jobs/payment_engine/follow_ups.hpp"
#include "olmd/jobs/payment_engine/money_checks.hpp"
#include "olmd/domain/status_writer.hpp"

namespace olmd::jobs::payment_engine {

/// The workflow step a journaled request belongs to (gateway_operations.purpose).
enum class Purpose {
    capture,                  ///< CAP-5 capture of an authorized payment
    capture_void,             ///< CAP-6 void at the gateway of the authorization whose capture was declined
    cap6_authorize,           ///< CAP-6 new authorization after a declined capture (or a released remainder)
    cap6_capture,             ///< CAP-6 capture of that new authorization
    cap6_void,                ///< CAP-6 void of the new authorization whose capture was declined
    ra_void_first,            ///< RA-3 void_then_authorize: void of the old authorization
    ra_authorize_after_void,  ///< RA-3 void_then_authorize: the new authorization
    ra_authorize_first,       ///< RA-3 authorize_then_void: the new authorization
    ra_void_after_authorize,  ///< RA-3 authorize_then_void: void of the old authorization
    ra_void_new,              ///< RA-4 authorize_then_void: void of the new authorization (old void failed / captured)
    club_authorize,           ///< RA-5 club retry
};

/// The stored text of a purpose.
std::string_view purpose_name(Purpose p);
/// The purpose a stored text names, or nullopt.
std::optional<Purpose> purpose_from_name(std::string_view s);
/// The job a purpose belongs to (capture or reauth).
JobKind purpose_job(Purpose p);
/// The stored names of every purpose of one job.
std::vector<std::string> purpose_names_of(JobKind job);
/// The gateway operation a purpose sends.
domain::Operation purpose_operation(Purpose p);

/// Status ids the payment jobs use, resolved once per run.
struct Settings {
    StatusId hold = 0;
    std::set<StatusId> known_statuses;       ///< every order_statuses id (others are bad data)
    StatusId club_exception = 0;             ///< RA-5: where a club order whose card olmd declined goes
    // capture
    std::vector<StatusId> capture_statuses;  ///< empty = any (CAP-2)
    StatusId capture_exception = 0;
    StatusId fully_shipped = 0;
    // reauth
    std::vector<StatusId> reauth_statuses;
    StatusId reauth_exception = 0;
    StatusId club_success = 0;

    /// Resolves the names of cfg for job; an Error names a status the database lacks.
    static Result<Settings> resolve(const config::Config& cfg, const domain::Catalog& catalog, JobKind job);
};

/// What a planner wants done next for an order.
struct Step {
    enum class Kind { send, transition, defer };
    Kind kind = Kind::send;
    std::string rule;          ///< the rule ids, e.g. "CAP-5", "CAP-4", "RA-3"
    RowId payment_id = 0;      ///< the payment the step is about
    // send
    Purpose purpose = Purpose::capture;
    Cents amount = 0;
    bool new_payment = false;  ///< RA-3 authorize_then_void: first insert the row replacing payment_id
    // transition (defer: the order is left as it is, counted deferred)
    StatusId to = 0;
    std::string reason;
    bool bad_data = false;
};

/// A journaled request about to be sent (or resolved by lookup).
struct Flight {
    domain::JournalOp op;
    Purpose purpose = Purpose::capture;
    bool lookup = false;  ///< the key may have expired at the gateway: ask, do not replay
};

/// One order being driven.
struct OrderState {
    domain::PaymentOrder order;
    StatusId status_seen = 0;           ///< the status as read (the transition's from)
    bool finished = false;
    std::optional<Flight> flight;
    std::set<RowId> handled;            ///< payments a planner has dealt with this run
    bool reconciling = false;           ///< loaded for reconciliation: no planning afterwards
    bool moved = false;                 ///< the back office changed the order's status since it was read
    std::string reason_after_void;      ///< the exception reason once the void in flight is recorded ("" = none)
};

/// The next window of orders of a pass, loaded and ready to plan; empty when the pass has no more.
using WindowSource = std::function<Result<std::vector<OrderState>>()>;

/// Whether a stored card can be re-used for a new authorization (config.md `card_not_reusable`).
using ReuseCheck = std::function<bool(const domain::PaymentRow&)>;

/// A job's decisions.
class Planner {
public:
    virtual ~Planner() = default;
    /// The next step for the order, or nullopt when there is nothing (more) to do.
    /// May mark payments handled; must not write. The engine may call it again on the order as
    /// read under the write lock (with the handled set as it was) and acts on the second answer.
    virtual std::optional<Step> plan(OrderState& s) = 0;
    /// The engine's reuse check (the gateway's can_reauthorize), set before plan() is called.
    void set_reuse(ReuseCheck check) { reuse_ = std::move(check); }

protected:
    /// True when p's card can back a new authorization at this gateway.
    bool reusable(const domain::PaymentRow& p) const { return reuse_ ? reuse_(p) : !p.card_token.empty(); }

private:
    ReuseCheck reuse_;
};

/// Drives orders through planner steps, the journal and the gateway (see the file comment); what follows
/// an answer is the job's (follow_ups), done through the engine's StepOps.
class Engine final : private StepOps {
public:
    /// gw: the run's gateway (in a dry run, the dry-run one); follow_ups: the job's rules after an answer;
    /// out receives dry-run lines (may be null).
    Engine(JobContext& ctx, JobStats& stats, JobKind job, const Settings& settings, domain::PaymentRepository& store,
           domain::StatusWriter& writer, domain::Gateway& gw, FollowUps& follow_ups, std::ostream* out);

    /// OPS-6: resolves this job's pending/unknown journal entries before anything new is sent.
    /// False when the job must stop (stats.failure says why).
    bool reconcile();
    /// Runs the orders to completion, one round after another. False when the job must stop
    /// (stats.failure says why).
    bool drive(std::vector<OrderState>& orders, Planner& planner);
    /// Runs every window next_window gives to completion, overlapping the gateway with the database:
    /// while up to two waves of journaled requests are at the gateway (on worker threads when the
    /// gateway executes_off_thread(); the newer queued behind the older), the wave before them is
    /// recorded and the next window is read, planned and journaled; follow-ups join the next wave.
    /// Journal-before-send and every database write stay on the calling thread. `window` bounds the orders held. Not for dry runs.
    /// False when the job must stop (stats.failure says why); progress counts each finished window.
    bool drive_overlapped(const WindowSource& next_window, Planner& planner, std::size_t window);
    /// True when the payment was left unresolved by this run's reconciliation (already counted deferred).
    bool deferred_earlier(RowId payment_id) const { return deferred_payments_.count(payment_id) > 0; }
    /// Requests sent and answers classified so far (for MON-3 "gateway unreachable").
    std::int64_t sent() const { return sent_; }
    std::int64_t unknown_answers() const { return unknown_; }
    /// Unknown answers that mean the gateway was unreachable (network, 5xx).
    std::int64_t unreachable_answers() const { return unreachable_; }
    /// The last unknown answer's detail (never a secret).
    const std::string& last_unknown() const { return last_unknown_; }
    /// Requests the gateway refused as invalid (Outcome::rejected: nothing happened there).
    std::int64_t rejected_answers() const { return rejected_; }
    /// The last rejected answer's detail (never a secret).
    const std::string& last_rejected() const { return last_rejected_; }
    /// True when the gateway can re-use p's card for a new authorization (dry run: by [gateway] kind).
    bool reusable(const domain::PaymentRow& p) const override;

private:
    // StepOps, for the job's follow-ups (see follow_ups.hpp).
    const config::Config& cfg() const override { return ctx_.cfg; }
    const Settings& settings() const override { return settings_; }
    Instant now() const override { return ctx_.now; }
    Status follow_up(OrderState& s, RowId payment_id, Purpose p, Cents amount,
                     const std::string& request_ref) override;
    Status transition(OrderState& s, StatusId to, const std::string& reason) override;
    Status to_exception(OrderState& s, const std::string& reason) override;
    Status declined_authorization(OrderState& s, const std::string& reason) override;
    Status record_capture(OrderState& s, domain::PaymentRow& p, const Flight& f, const domain::Answer& a,
                          Cents& received) override;
    Status set_status(OrderState& s, RowId id, const char* status) override;
    Status mark_authorized(domain::PaymentRow& r, const domain::Answer& a) override;
    Result<RowId> insert_replacement(OrderState& s, RowId old_id, Cents amount) override;
    Status count_club_attempt(domain::PaymentRow& p) override;
    void leave_to_back_office(OrderState& s) override;
    void count_error() override { ++stats_.errors; }
    void note(const std::string& line) const override;
    const char* job() const override { return job_ == JobKind::capture ? "capture" : "reauth"; }

    struct Planned {
        OrderState* s = nullptr;
        Step step;
        std::set<RowId> handled_before;  ///< the handled set before plan(), for the re-plan under the lock
    };
    /// Requests on their way to the gateway, and what came back.
    struct Wave {
        std::vector<OrderState*> flying;              ///< one journaled request each
        std::vector<domain::Answer> answers;          ///< by flying index
        std::vector<domain::LookupResult> lookups;    ///< by flying index (Flight::lookup)
        std::vector<std::size_t> sent;                ///< the flying indexes execute() answers, in order
        std::future<std::vector<domain::Answer>> at_gateway;  ///< valid while execute() runs off-thread
        bool empty() const { return flying.empty(); }
    };
    /// drive_overlapped(): waves at the gateway at once (the Gateway contract allows two).
    static constexpr std::size_t kWavesAtGateway = 2;
    bool next_batch_at(std::size_t i);
    /// Plans the candidates that have nothing in flight, writes the plans, and appends every
    /// candidate left with a journaled request to ready. False when the job must stop.
    bool plan_orders(const std::vector<OrderState*>& candidates, Planner& planner, std::vector<OrderState*>& ready);
    bool write_plans(std::vector<Planned>& planned, Planner& planner);
    Status write_plan(Planned& pl, Planner& planner);
    Status recheck_under_lock(Planned& pl, Planner& planner, bool& go);
    Status reread(OrderState& s);
    /// Starts sending the wave: dry-run answers and lookups at once, execute() on a worker thread
    /// when off_thread (and the gateway allows it), else at once.
    void start_send(Wave& w, bool off_thread);
    /// Waits for the wave's execute() and puts its answers in place.
    void finish_send(Wave& w);
    bool write_outcomes(std::vector<OrderState*>& flying, const std::vector<domain::Answer>& answers,
                        const std::vector<domain::LookupResult>& lookups);
    Status apply_outcome(OrderState& s, const domain::Answer& a);
    Status apply_step(OrderState& s, const Flight& f, const domain::Answer& a, domain::PaymentRow& p);
    Status apply_not_applied(OrderState& s);
    domain::Request request_for(const OrderState& s, const domain::JournalOp& op) const;
    void say(const std::string& line) const;
    StatusId exception_status() const;

    JobContext& ctx_;
    JobStats& stats_;
    JobKind job_;
    domain::PaymentRepository& store_;
    domain::StatusWriter& writer_;
    domain::Gateway& gw_;
    FollowUps& follow_ups_;
    std::ostream* out_;
    Settings settings_;
    std::set<RowId> deferred_payments_;
    std::int64_t sent_ = 0, unknown_ = 0, unreachable_ = 0, rejected_ = 0;
    std::string last_unknown_, last_rejected_;
    RowId next_fake_id_ = -1;  ///< ids of rows a dry run pretends to insert
};

/// One-line description of a payment for explain / dry-run output (never the card token).
std::string describe_payment(const domain::PaymentRow& p);

/// One selection pass of a job: which orders (keyset-paged), and who decides for them.
struct Pass {
    std::function<Result<std::vector<OrderId>>(OrderId after, int limit)> read;
    Planner* planner = nullptr;
};

/// A payment job's whole run: takes the run's gateway (none in a dry run), reconciles the journal,
/// then runs every pass over pages of [daemon] batch_size orders. Failures go in stats.failure;
/// "gateway unreachable for the whole job" (MON-3) when every request of the run had an unknown outcome.
void run_job(JobContext& ctx, JobStats& stats, JobKind job, const Settings& settings,
             domain::PaymentRepository& store, FollowUps& follow_ups, const std::vector<Pass>& passes);

/// What a payment job's explain() starts from: its settings, the payment store and the order.
struct ExplainInputs {
    Settings settings;
    std::unique_ptr<domain::PaymentRepository> store;
    domain::PaymentOrder order;
};

/// Loads the explain inputs for one order, or writes why they cannot be had to out and returns nullopt.
std::optional<ExplainInputs> load_explain_inputs(JobContext& ctx, JobKind job, const OrderRef& ref, std::ostream& out);

/// explain: the order's payments (and open journal entries), then, when selected, what the job
/// would do with them, printed by a dry run of the engine over this one order.
void explain_order(JobContext& ctx, JobKind job, const Settings& settings, domain::PaymentRepository& store,
                   FollowUps& follow_ups, const domain::PaymentOrder& order, bool selected, Planner& planner,
                   std::ostream& out);

}  // namespace olmd::jobs::payment_engine
