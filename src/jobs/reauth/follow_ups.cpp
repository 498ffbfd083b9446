// Reauth's steps after a gateway answer (RA-3, RA-4, RA-5); see follow_ups.hpp.
#include "olmd/jobs/reauth/follow_ups.hpp"

#include <spdlog/spdlog.h>

namespace olmd::jobs::reauth {

namespace {

using payment_engine::Purpose;

/// A void the gateway refused because the hold is gone anyway (expired, already released).
bool hold_gone(const domain::Answer& a) {
    const std::string& c = a.response_code;
    return c == "authorization_expired" || c == "already_voided" || c == "intent_canceled" ||
           c == "resource_missing" || c == "canceled";
}

}  // namespace

Status ReauthFollowUps::after(payment_engine::StepOps& ops, payment_engine::OrderState& s,
                              const payment_engine::Flight& f, const payment_engine::Answered& a,
                              domain::PaymentRow& row) {
    domain::PaymentRow* p = &row;
    const RowId pid = row.id;
    const Cents amount = f.op.amount_cents;
    Status st;
    switch (f.purpose) {
        case Purpose::ra_void_first: {
            if (a.captured_elsewhere) {
                // RA-4: captured elsewhere (e.g. by the back office): not a decline, nothing new.
                Cents received = 0;
                ops.note("the authorization was already captured: recorded, no new authorization "
                         "(RA-4 already_captured)");
                spdlog::info("{}: order {} payment {}: already captured at the gateway (already_captured)", ops.job(),
                             s.order.number, pid);
                return ops.record_capture(s, *p, f, a.answer, received);
            }
            // RA-4: a declined void is recorded (journal) and the authorization still attempted.
            if (st = ops.set_status(s, pid, "voided"); !st) return st;
            if (s.moved) {
                ops.leave_to_back_office(s);
                return ok_status();
            }
            auto id = ops.insert_replacement(s, pid, amount);
            if (!id) return id.error();
            return ops.follow_up(s, *id, Purpose::ra_authorize_after_void, amount, "");
        }
        case Purpose::ra_authorize_after_void:
        case Purpose::ra_authorize_first:
            if (!a.ok) {
                if (st = ops.set_status(s, pid, a.rejected ? "voided" : "declined"); !st) return st;
                ops.note("new authorization declined; order to the exception status (RA-4)");
                if (a.rejected) return ops.to_exception(s, "gateway_rejected:" + a.answer.response_code);
                return ops.declined_authorization(s, "reauth_declined");
            }
            if (st = ops.mark_authorized(*p, a.answer); !st) return st;
            if (f.purpose == Purpose::ra_authorize_first) {
                domain::PaymentRow* old = s.order.payment(p->replaces_payment_id);
                if (old == nullptr) return Error{"the payment replaced by " + std::to_string(pid) + " is missing"};
                ops.note("void the old authorization " + std::to_string(old->id) + " (RA-3 authorize_then_void)");
                return ops.follow_up(s, old->id, Purpose::ra_void_after_authorize, amount, old->gateway_ref);
            }
            return ok_status();
        case Purpose::ra_void_after_authorize: {
            RowId new_id = 0;
            for (const auto& x : s.order.payments)
                if (x.replaces_payment_id == pid && x.status == "authorized") new_id = x.id;
            if (a.ok || hold_gone(a.answer)) return ops.set_status(s, pid, "voided");
            if (a.captured_elsewhere) {
                Cents received = 0;
                if (st = ops.record_capture(s, *p, f, a.answer, received); !st) return st;
                s.reason_after_void.clear();  // not an exception: the new hold is just not needed
            } else {
                s.reason_after_void = "reauth_void_failed";
            }
            domain::PaymentRow* n = s.order.payment(new_id);
            if (n == nullptr)
                return s.reason_after_void.empty() ? ok_status() : ops.to_exception(s, s.reason_after_void);
            ops.note("void the new authorization " + std::to_string(new_id) + " again (RA-4)");
            return ops.follow_up(s, new_id, Purpose::ra_void_new, n->amount_cents, n->gateway_ref);
        }
        case Purpose::ra_void_new:
            if (st = ops.set_status(s, pid, "voided"); !st) return st;
            if (s.reason_after_void.empty()) {
                s.finished = true;
                return ok_status();
            }
            return ops.to_exception(s, s.reason_after_void);
        case Purpose::club_authorize: {
            if (st = ops.count_club_attempt(*p); !st) return st;
            const int attempts = ops.cfg().orders.club_reauth_attempts;
            if (!a.ok) {
                if (p->reauth_attempts >= attempts) {
                    ops.note("declined: the last of " + std::to_string(attempts) +
                             " attempts (RA-5 club_retries_exhausted)");
                    return ops.to_exception(s, "club_retries_exhausted");
                }
                s.finished = true;
                ops.note("declined: reauth_attempts becomes " + std::to_string(p->reauth_attempts) +
                         ", order unchanged (RA-5)");
                return ok_status();
            }
            if (st = ops.mark_authorized(*p, a.answer); !st) return st;
            return ops.transition(s, ops.settings().club_success, "club_reauthorized");
        }
        default:
            return Error{"reauth: journaled purpose " + std::string(payment_engine::purpose_name(f.purpose)) +
                         " is not a reauth step"};
    }
}

}  // namespace olmd::jobs::reauth
