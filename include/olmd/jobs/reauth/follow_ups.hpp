#pragma once
// Reauth's rules after a gateway answer (RA-3, RA-4, RA-5):
//
//   ra_void_first  void_then_authorize: already captured -> captured, nothing new
//                  (`already_captured`); else the old row voided and ra_authorize_after_void.
//   ra_authorize_* declined: new row declined, `reauth_declined` (club: `club_auth_declined`);
//                  authorize_then_void approved: ra_void_after_authorize of the old row.
//   ra_void_after_authorize  ok or hold gone: old voided; captured: old captured and
//                  the new authorization voided (ra_void_new); else ra_void_new and
//                  `reauth_void_failed`.
//   ra_void_new    the new authorization voided; exception status if a reason is pending.
//   club_authorize ok: authorized, `club_reauthorized`; declined: attempts + 1, the last
//                  one `club_retries_exhausted`.

#include "olmd/jobs/payment_engine/engine.hpp"
#include "olmd/jobs/payment_engine/follow_ups.hpp"

namespace olmd::jobs::reauth {

class ReauthFollowUps final : public payment_engine::FollowUps {
public:
    /// The RA-3..RA-5 step after answer a to f (a reauth purpose).
    Status after(payment_engine::StepOps& ops, payment_engine::OrderState& s, const payment_engine::Flight& f,
                 const payment_engine::Answered& a, domain::PaymentRow& p) override;
};

}  // namespace olmd::jobs::reauth
