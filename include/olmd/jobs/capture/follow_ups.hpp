#pragma once
// Capture's rules after a gateway answer (CAP-5, CAP-6):
//
//   capture        ok: captured_cents = what the gateway reports received (CAP-5); a
//                  remainder released by an earlier partial capture: re-authorized
//                  (reauthorize_on_failure) or `auth_released`. declined: capture_void.
//   capture_void   the declined authorization voided at the gateway (a declined void is
//                  recorded and changes nothing); payment voided; then cap6_authorize
//                  (reauthorize_on_failure) or `capture_declined`.
//   cap6_authorize declined: the new row declined, `reauth_capture_failed` (club:
//                  `club_auth_declined`); approved: cap6_capture after CAP-4 again.
//   cap6_capture   ok: captured; declined: cap6_void, then `reauth_capture_failed`.
//   cap6_void      the new authorization voided; the order to the exception status.

#include "olmd/jobs/payment_engine/engine.hpp"
#include "olmd/jobs/payment_engine/follow_ups.hpp"

namespace olmd::jobs::capture {

class CaptureFollowUps final : public payment_engine::FollowUps {
public:
    /// The CAP-5/CAP-6 step after answer a to f (a capture purpose).
    Status after(payment_engine::StepOps& ops, payment_engine::OrderState& s, const payment_engine::Flight& f,
                 const payment_engine::Answered& a, domain::PaymentRow& p) override;

private:
    /// CAP-6 reauthorize_on_failure: a new payment for amount replacing old_id, then its capture.
    Status start_reauthorization(payment_engine::StepOps& ops, payment_engine::OrderState& s, RowId old_id,
                                 Cents amount);
};

}  // namespace olmd::jobs::capture
