// Capture's steps after a gateway answer (CAP-5, CAP-6); see follow_ups.hpp.
#include "olmd/jobs/capture/follow_ups.hpp"

#include <spdlog/spdlog.h>

namespace olmd::jobs::capture {

using payment_engine::Purpose;

Status CaptureFollowUps::start_reauthorization(payment_engine::StepOps& ops, payment_engine::OrderState& s,
                                               RowId old_id, Cents amount) {
    const domain::PaymentRow* old = s.order.payment(old_id);
    if (old == nullptr) return Error{"payment " + std::to_string(old_id) + " is not in order " + s.order.number};
    if (s.moved) {
        spdlog::info("{}: order {} was moved meanwhile; no new authorization is taken", ops.job(), s.order.number);
        ops.leave_to_back_office(s);
        return ok_status();
    }
    if (old->card_token.empty()) {
        ops.count_error();
        ops.note("no card_token to re-authorize with (CAP-6, bad data)");
        return ops.to_exception(s, "reauth_capture_failed:bad_data:payments.card_token:payments.id=" +
                                       std::to_string(old->id));
    }
    if (!ops.reusable(*old)) {
        ops.note("the card cannot be re-used without its gateway customer (card_not_reusable)");
        return ops.to_exception(s, "card_not_reusable");
    }
    if (amount > s.order.balance_due_cents()) {
        ops.note("the new authorization would exceed the balance due (CAP-4)");
        return ops.to_exception(s, "auth_exceeds_balance");
    }
    auto id = ops.insert_replacement(s, old_id, amount);
    if (!id) return id.error();
    ops.note("authorize " + format_cents(amount) + " as a new payment and capture it (CAP-6 reauthorize_on_failure)");
    return ops.follow_up(s, *id, Purpose::cap6_authorize, amount, "");
}

Status CaptureFollowUps::after(payment_engine::StepOps& ops, payment_engine::OrderState& s,
                               const payment_engine::Flight& f, const payment_engine::Answered& a,
                               domain::PaymentRow& row) {
    domain::PaymentRow* p = &row;
    const RowId pid = row.id;
    const Cents amount = f.op.amount_cents;
    Status st;
    switch (f.purpose) {
        case Purpose::capture: {
            if (!a.ok && !a.released) {
                ops.note("capture declined: void the authorization at the gateway (CAP-6)");
                return ops.follow_up(s, pid, Purpose::capture_void, amount, p->gateway_ref);
            }
            Cents received = 0;
            if (st = ops.record_capture(s, *p, f, a.answer, received); !st) return st;
            const Cents remainder = p->amount_cents - received;
            if (remainder <= 0 || (!a.released && a.answer.amount_capturable != 0)) return ok_status();
            // CAP-5: an earlier partial capture released the rest; what was received is recorded.
            spdlog::warn("{}: order {} payment {}: {} received, the remaining {} was released by the gateway",
                         ops.job(), s.order.number, pid, format_cents(received), format_cents(remainder));
            if (!ops.cfg().capture.reauthorize_on_failure) {
                ops.note("the remainder was released: order to the exception status (CAP-5 auth_released)");
                return ops.to_exception(s, "auth_released");
            }
            return start_reauthorization(ops, s, pid, remainder);
        }
        case Purpose::capture_void:
            if (a.captured_elsewhere) {
                Cents received = 0;
                return ops.record_capture(s, *p, f, a.answer, received);
            }
            if (st = ops.set_status(s, pid, "voided"); !st) return st;
            if (!ops.cfg().capture.reauthorize_on_failure) {
                ops.note("payment " + std::to_string(pid) + " voided; order to the exception status (CAP-6)");
                return ops.to_exception(s, "capture_declined");
            }
            return start_reauthorization(ops, s, pid, amount);
        case Purpose::cap6_authorize:
            if (!a.ok) {
                if (st = ops.set_status(s, pid, a.rejected ? "voided" : "declined"); !st) return st;
                ops.note("new authorization declined; order to the exception status (CAP-6)");
                if (a.rejected) return ops.to_exception(s, "gateway_rejected:" + a.answer.response_code);
                return ops.declined_authorization(s, "reauth_capture_failed");
            }
            if (st = ops.mark_authorized(*p, a.answer); !st) return st;
            if (s.moved) {
                // The back office moved the order: the new authorization stays, nothing is captured now.
                ops.leave_to_back_office(s);
                return ok_status();
            }
            if (amount > s.order.balance_due_cents()) {
                s.reason_after_void = "auth_exceeds_balance";
                ops.note("the balance due fell meanwhile: void the new authorization (CAP-4)");
                return ops.follow_up(s, pid, Purpose::cap6_void, amount, p->gateway_ref);
            }
            return ops.follow_up(s, pid, Purpose::cap6_capture, amount, p->gateway_ref);
        case Purpose::cap6_capture: {
            if (!a.ok && !a.released) {
                s.reason_after_void = "reauth_capture_failed";
                ops.note("capture of the new authorization declined: void it (CAP-6)");
                return ops.follow_up(s, pid, Purpose::cap6_void, amount, p->gateway_ref);
            }
            Cents received = 0;
            if (st = ops.record_capture(s, *p, f, a.answer, received); !st) return st;
            if (received < p->amount_cents && (a.released || a.answer.amount_capturable == 0))
                return ops.to_exception(s, "auth_released");
            return ok_status();
        }
        case Purpose::cap6_void:
            if (a.captured_elsewhere) {
                Cents received = 0;
                return ops.record_capture(s, *p, f, a.answer, received);
            }
            if (st = ops.set_status(s, pid, "voided"); !st) return st;
            return ops.to_exception(s, s.reason_after_void.empty() ? "reauth_capture_failed" : s.reason_after_void);
        default:
            return Error{"capture: journaled purpose " + std::string(payment_engine::purpose_name(f.purpose)) +
                         " is not a capture step"};
    }
}

}  // namespace olmd::jobs::capture
