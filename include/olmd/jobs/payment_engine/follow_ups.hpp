#pragma once
// Where a payment job's own rules meet the engine after a gateway answer. The
// engine records the answer in the journal, handles what is the same for every
// job (an unknown outcome is left for the next run, CAP-7; a rejected first
// step leaves payment and order as they are), and hands the rest to the job's
// FollowUps: capture's CAP-5/CAP-6 (jobs/capture/follow_ups.hpp), reauth's
// RA-3..RA-5 (jobs/reauth/follow_ups.hpp). A FollowUps records the answer's
// effect through StepOps and either ends the order's workflow or starts its
// next step (StepOps::follow_up), which the engine journals and sends.

#include <string>

#include "olmd/config/config.hpp"
#include "olmd/core/error.hpp"
#include "olmd/core/ids.hpp"
#include "olmd/core/money.hpp"
#include "olmd/domain/gateway.hpp"
#include "olmd/domain/payments.hpp"

namespace olmd::jobs::payment_engine {

enum class Purpose;
struct Flight;
struct OrderState;
struct Settings;

/// An answer as the follow-ups read it (never unknown: those stay with the engine).
struct Answered {
    const domain::Answer& answer;
    bool ok = false;                  ///< Outcome::succeeded
    bool rejected = false;            ///< Outcome::rejected in the middle of a workflow
    bool released = false;            ///< declined with kAuthorizationReleased (CAP-5 remainder gone)
    bool captured_elsewhere = false;  ///< declined with kAlreadyCaptured (RA-4, a void of a captured hold)
};

/// What the engine lets a job's follow-ups do, all inside the write transaction of the answer and on
/// the order as read under it; in a dry run nothing is written and the order in memory is updated.
class StepOps {
public:
    virtual ~StepOps() = default;
    /// The run's configuration, settings and now.
    virtual const config::Config& cfg() const = 0;
    virtual const Settings& settings() const = 0;
    virtual Instant now() const = 0;
    /// Journals the next request of the workflow (sent in the engine's next round).
    virtual Status follow_up(OrderState& s, RowId payment_id, Purpose p, Cents amount,
                             const std::string& request_ref) = 0;
    /// The order to the job's exception status with reason; ends its workflow.
    virtual Status to_exception(OrderState& s, const std::string& reason) = 0;
    /// The order to status `to` with reason; ends its workflow.
    virtual Status transition(OrderState& s, StatusId to, const std::string& reason) = 0;
    /// A declined new authorization: exception status (a club order: `club_auth_declined`, RA-5).
    virtual Status declined_authorization(OrderState& s, const std::string& reason) = 0;
    /// CAP-5: records the capture the answer reports (what was received, never more than authorized).
    virtual Status record_capture(OrderState& s, domain::PaymentRow& p, const Flight& f, const domain::Answer& a,
                                  Cents& received) = 0;
    /// Sets a payment's status.
    virtual Status set_status(OrderState& s, RowId id, const char* status) = 0;
    /// Records the answer's authorization on r (status, gateway_ref, authorized_at, AVS/CVV).
    virtual Status mark_authorized(domain::PaymentRow& r, const domain::Answer& a) = 0;
    /// Inserts the payment row replacing old_id for amount (a new authorization); its id.
    virtual Result<RowId> insert_replacement(OrderState& s, RowId old_id, Cents amount) = 0;
    /// RA-5: one more club attempt on payment id (reauth_attempts, last_attempt_at).
    virtual Status count_club_attempt(domain::PaymentRow& p) = 0;
    /// True when the gateway can re-use p's card for a new authorization.
    virtual bool reusable(const domain::PaymentRow& p) const = 0;
    /// Counts the order as left to the back office (it moved meanwhile) and ends its workflow.
    virtual void leave_to_back_office(OrderState& s) = 0;
    /// Counts an error (bad data, a gateway inconsistency; the job fails at its end, MON-3).
    virtual void count_error() = 0;
    /// A dry-run / explain line about the order.
    virtual void note(const std::string& line) const = 0;
    /// "capture" or "reauth", for log lines.
    virtual const char* job() const = 0;
};

/// A job's rules for what follows an answer.
class FollowUps {
public:
    virtual ~FollowUps() = default;
    /// The answer a to flight f, already journaled, on payment p of s: records its effect and either
    /// starts the next step or ends the order's workflow. f's purpose is one of this job's.
    virtual Status after(StepOps& ops, OrderState& s, const Flight& f, const Answered& a, domain::PaymentRow& p) = 0;
};

}  // namespace olmd::jobs::payment_engine
