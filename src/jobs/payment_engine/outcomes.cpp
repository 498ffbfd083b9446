// What each answer of the gateway does to the payments and the order, step by step
// of the capture (CAP-5, CAP-6) and reauth (RA-3, RA-4, RA-5) workflows. Runs inside
// the write transaction that records the answer, on the order as read under it.
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
//   ra_void_first  void_then_authorize: already captured -> captured, nothing new
//                  (`already_captured`); else the old row voided and ra_authorize_after_void.
//   ra_authorize_* declined: new row declined, `reauth_declined` (club: `club_auth_declined`).
//   ra_void_after_authorize  ok or hold gone: old voided; captured: old captured and
//                  the new authorization voided (ra_void_new); else ra_void_new and
//                  `reauth_void_failed`.
//   club_authorize ok: authorized, `club_reauthorized`; declined: attempts + 1, the last
//                  one `club_retries_exhausted`.
// A rejected request (Stripe 400/401/403: nothing happened at the gateway) of a first
// step leaves payment and order as they are; in the middle of a workflow a rejected void
// is handled as a declined one, a rejected authorization leaves its row voided (it holds
// nothing) and the order in exception_status (`gateway_rejected:<code>`). Either way it
// counts as an error and fails the job (MON-3).
#include <spdlog/spdlog.h>

#include "olmd/jobs/payment_engine/engine.hpp"

namespace olmd::jobs::payment_engine {

namespace {

std::string verb(domain::Operation op) { return std::string(domain::to_string(op)); }

/// A void the gateway refused because the hold is gone anyway (expired, already released).
bool hold_gone(const domain::Answer& a) {
    const std::string& c = a.response_code;
    return c == "authorization_expired" || c == "already_voided" || c == "intent_canceled" ||
           c == "resource_missing" || c == "canceled";
}

bool is_first_step(Purpose p) {
    return p == Purpose::capture || p == Purpose::ra_void_first || p == Purpose::ra_authorize_first ||
           p == Purpose::club_authorize;
}

}  // namespace

Status Engine::apply_not_applied(OrderState& s) {
    Flight f = *s.flight;
    s.flight.reset();
    if (auto st = store_.complete(f.op.id, domain::OpState::declined, "", "not_applied", ctx_.now); !st) return st;
    spdlog::info("{}: the gateway never applied journaled {} {}; sending a new attempt", job_name(job_),
                 verb(f.op.operation), f.op.idempotency_key);
    return follow_up(s, f.op.payment_id, f.purpose, f.op.amount_cents, f.op.request_ref);
}

Status Engine::apply_outcome(OrderState& s, const domain::Answer& a) {
    Flight f = *s.flight;  // kept set until a follow-up replaces it (dry-run printing tells them apart)
    domain::PaymentRow* p = s.order.payment(f.op.payment_id);
    if (p == nullptr) {
        s.flight.reset();
        return Error{"payment " + std::to_string(f.op.payment_id) + " is not in order " + s.order.number};
    }
    Status st = apply_step(s, f, a, *p);
    if (s.flight && s.flight->op.id == f.op.id) s.flight.reset();  // no follow-up
    return st;
}

Status Engine::record_capture(OrderState& s, domain::PaymentRow& p, const Flight& f, const domain::Answer& a,
                              Cents& received) {
    // CAP-5: what the gateway reports as received, never assumed. Without a report (the dry run's
    // simulation) an approved capture received what was asked on top of what was captured before.
    received = a.amount_received;
    if (received < 0)
        received = a.outcome == domain::Outcome::succeeded ? p.captured_cents + f.op.amount_cents : p.captured_cents;
    if (received > p.amount_cents) {
        spdlog::error("{}: order {} payment {}: the gateway reports {} received on an authorization of {}; "
                      "recording the authorized amount",
                      job_name(job_), s.order.number, p.id, format_cents(received), format_cents(p.amount_cents));
        ++stats_.errors;
        received = p.amount_cents;
    }
    if (received < 0) received = 0;
    p.status = "captured";
    p.captured_cents = received;
    if (!a.avs_result.empty()) p.avs_result = a.avs_result;
    if (!a.cvv_result.empty()) p.cvv_result = a.cvv_result;
    return ctx_.dry_run ? ok_status() : store_.mark_captured(p.id, received, ctx_.now, a.avs_result, a.cvv_result);
}

Status Engine::start_reauthorization(OrderState& s, RowId old_id, Cents amount) {
    // CAP-6 with reauthorize_on_failure: a new payment for the amount, then its capture.
    const domain::PaymentRow* old = s.order.payment(old_id);
    if (old == nullptr) return Error{"payment " + std::to_string(old_id) + " is not in order " + s.order.number};
    if (s.moved) {
        ++stats_.skipped_concurrent;
        spdlog::info("{}: order {} was moved meanwhile; no new authorization is taken", job_name(job_), s.order.number);
        s.finished = true;
        return ok_status();
    }
    if (old->card_token.empty()) {
        ++stats_.errors;
        note("no card_token to re-authorize with (CAP-6, bad data)");
        return to_exception(s, "reauth_capture_failed:bad_data:payments.card_token:payments.id=" +
                                   std::to_string(old->id));
    }
    if (!reusable(*old)) {
        note("the card cannot be re-used without its gateway customer (card_not_reusable)");
        return to_exception(s, "card_not_reusable");
    }
    if (amount > s.order.balance_due_cents()) {
        note("the new authorization would exceed the balance due (CAP-4)");
        return to_exception(s, "auth_exceeds_balance");
    }
    auto id = insert_replacement(s, old_id, amount);
    if (!id) return id.error();
    note("authorize " + format_cents(amount) + " as a new payment and capture it (CAP-6 reauthorize_on_failure)");
    return follow_up(s, *id, Purpose::cap6_authorize, amount, "");
}

Status Engine::apply_step(OrderState& s, const Flight& f, const domain::Answer& a, domain::PaymentRow& row) {
    const bool dry = ctx_.dry_run;
    const Instant now = ctx_.now;
    domain::PaymentRow* p = &row;
    const RowId pid = row.id;

    if (a.outcome == domain::Outcome::unknown) {
        ++unknown_;
        const std::string& rc = a.response_code;
        if (rc == "network_error" || rc == "sandbox_error" || rc.rfind("http_5", 0) == 0) ++unreachable_;
        last_unknown_ = a.detail.empty() ? a.response_code : a.detail;
        if (!dry)
            if (auto st = store_.complete(f.op.id, domain::OpState::unknown, "", a.response_code, now); !st) return st;
        if (!deferred_earlier(p->id)) ++stats_.deferred;
        deferred_payments_.insert(p->id);
        p->unresolved_op = true;
        s.finished = true;
        spdlog::info("{}: order {} payment {}: {} outcome unknown ({}); left for the next run, same key (CAP-7)",
                     job_name(job_), s.order.number, p->id, verb(f.op.operation), last_unknown_);
        return ok_status();
    }
    const bool rejected = a.outcome == domain::Outcome::rejected;
    const bool ok = a.outcome == domain::Outcome::succeeded;
    if (!dry) {
        const domain::OpState state = ok ? domain::OpState::succeeded : domain::OpState::declined;
        const std::string code = rejected ? "rejected:" + a.response_code : a.response_code;
        if (auto st = store_.complete(f.op.id, state, a.gateway_ref, code, now); !st) return st;
    }
    p->unresolved_op = false;
    if (rejected) {
        ++rejected_;
        ++stats_.errors;
        last_rejected_ = a.detail.empty() ? a.response_code : a.detail;
        spdlog::error("{}: order {} payment {}: the gateway rejected the {} as invalid ({}); nothing happened there",
                      job_name(job_), s.order.number, p->id, verb(f.op.operation), last_rejected_);
        if (is_first_step(f.purpose)) {
            s.finished = true;
            note("the gateway would reject this request: payment and order left as they are");
            // A replacement row inserted for this request holds nothing.
            if (f.purpose == Purpose::ra_authorize_first) {
                p->status = "voided";
                if (!dry) return store_.set_status(p->id, "voided");
            }
            return ok_status();
        }
    } else if (!ok) {
        spdlog::info("{}: order {} payment {}: {} declined ({})", job_name(job_), s.order.number, p->id,
                     verb(f.op.operation), a.response_code);
    }
    const Cents amount = f.op.amount_cents;
    auto set_status = [&](RowId id, const char* status) -> Status {
        if (domain::PaymentRow* r = s.order.payment(id)) r->status = status;
        return dry ? ok_status() : store_.set_status(id, status);
    };
    auto authorized = [&](domain::PaymentRow& r) -> Status {
        r.status = "authorized";
        r.gateway_ref = a.gateway_ref;
        r.authorized_at = format_utc(now);
        if (!a.avs_result.empty()) r.avs_result = a.avs_result;
        if (!a.cvv_result.empty()) r.cvv_result = a.cvv_result;
        return dry ? ok_status() : store_.mark_authorized(r.id, a.gateway_ref, now, a.avs_result, a.cvv_result);
    };
    const bool released = !ok && a.response_code == domain::kAuthorizationReleased;
    const bool captured_elsewhere = !ok && a.response_code == domain::kAlreadyCaptured;

    Status st;
    switch (f.purpose) {
        case Purpose::capture: {
            if (!ok && !released) {
                note("capture declined: void the authorization at the gateway (CAP-6)");
                return follow_up(s, pid, Purpose::capture_void, amount, p->gateway_ref);
            }
            Cents received = 0;
            if (st = record_capture(s, *p, f, a, received); !st) return st;
            const Cents remainder = p->amount_cents - received;
            if (remainder <= 0 || (!released && a.amount_capturable != 0)) return ok_status();
            // CAP-5: an earlier partial capture released the rest; what was received is recorded.
            spdlog::warn("{}: order {} payment {}: {} received, the remaining {} was released by the gateway",
                         job_name(job_), s.order.number, pid, format_cents(received), format_cents(remainder));
            if (!ctx_.cfg.capture.reauthorize_on_failure) {
                note("the remainder was released: order to the exception status (CAP-5 auth_released)");
                return to_exception(s, "auth_released");
            }
            return start_reauthorization(s, pid, remainder);
        }
        case Purpose::capture_void:
            if (captured_elsewhere) {
                Cents received = 0;
                return record_capture(s, *p, f, a, received);
            }
            if (st = set_status(pid, "voided"); !st) return st;
            if (!ctx_.cfg.capture.reauthorize_on_failure) {
                note("payment " + std::to_string(pid) + " voided; order to the exception status (CAP-6)");
                return to_exception(s, "capture_declined");
            }
            return start_reauthorization(s, pid, amount);
        case Purpose::cap6_authorize:
            if (!ok) {
                if (st = set_status(pid, rejected ? "voided" : "declined"); !st) return st;
                note("new authorization declined; order to the exception status (CAP-6)");
                if (rejected) return to_exception(s, "gateway_rejected:" + a.response_code);
                return declined_authorization(s, "reauth_capture_failed");
            }
            if (st = authorized(*p); !st) return st;
            if (s.moved) {
                // The back office moved the order: the new authorization stays, nothing is captured now.
                ++stats_.skipped_concurrent;
                s.finished = true;
                return ok_status();
            }
            if (amount > s.order.balance_due_cents()) {
                s.reason_after_void = "auth_exceeds_balance";
                note("the balance due fell meanwhile: void the new authorization (CAP-4)");
                return follow_up(s, pid, Purpose::cap6_void, amount, p->gateway_ref);
            }
            return follow_up(s, pid, Purpose::cap6_capture, amount, p->gateway_ref);
        case Purpose::cap6_capture: {
            if (!ok && !released) {
                s.reason_after_void = "reauth_capture_failed";
                note("capture of the new authorization declined: void it (CAP-6)");
                return follow_up(s, pid, Purpose::cap6_void, amount, p->gateway_ref);
            }
            Cents received = 0;
            if (st = record_capture(s, *p, f, a, received); !st) return st;
            if (received < p->amount_cents && (released || a.amount_capturable == 0))
                return to_exception(s, "auth_released");
            return ok_status();
        }
        case Purpose::cap6_void:
            if (captured_elsewhere) {
                Cents received = 0;
                return record_capture(s, *p, f, a, received);
            }
            if (st = set_status(pid, "voided"); !st) return st;
            return to_exception(s, s.reason_after_void.empty() ? "reauth_capture_failed" : s.reason_after_void);
        case Purpose::ra_void_first: {
            if (captured_elsewhere) {
                // RA-4: captured elsewhere (e.g. by the back office): not a decline, nothing new.
                Cents received = 0;
                note("the authorization was already captured: recorded, no new authorization (RA-4 already_captured)");
                spdlog::info("{}: order {} payment {}: already captured at the gateway (already_captured)",
                             job_name(job_), s.order.number, pid);
                return record_capture(s, *p, f, a, received);
            }
            // RA-4: a declined void is recorded (journal) and the authorization still attempted.
            if (st = set_status(pid, "voided"); !st) return st;
            if (s.moved) {
                ++stats_.skipped_concurrent;
                s.finished = true;
                return ok_status();
            }
            auto id = insert_replacement(s, pid, amount);
            if (!id) return id.error();
            return follow_up(s, *id, Purpose::ra_authorize_after_void, amount, "");
        }
        case Purpose::ra_authorize_after_void:
        case Purpose::ra_authorize_first:
            if (!ok) {
                if (st = set_status(pid, rejected ? "voided" : "declined"); !st) return st;
                note("new authorization declined; order to the exception status (RA-4)");
                if (rejected) return to_exception(s, "gateway_rejected:" + a.response_code);
                return declined_authorization(s, "reauth_declined");
            }
            if (st = authorized(*p); !st) return st;
            if (f.purpose == Purpose::ra_authorize_first) {
                domain::PaymentRow* old = s.order.payment(p->replaces_payment_id);
                if (old == nullptr) return Error{"the payment replaced by " + std::to_string(pid) + " is missing"};
                note("void the old authorization " + std::to_string(old->id) + " (RA-3 authorize_then_void)");
                return follow_up(s, old->id, Purpose::ra_void_after_authorize, amount, old->gateway_ref);
            }
            return ok_status();
        case Purpose::ra_void_after_authorize: {
            RowId new_id = 0;
            for (const auto& x : s.order.payments)
                if (x.replaces_payment_id == pid && x.status == "authorized") new_id = x.id;
            if (ok || hold_gone(a)) return set_status(pid, "voided");
            if (captured_elsewhere) {
                Cents received = 0;
                if (st = record_capture(s, *p, f, a, received); !st) return st;
                s.reason_after_void.clear();  // not an exception: the new hold is just not needed
            } else {
                s.reason_after_void = "reauth_void_failed";
            }
            domain::PaymentRow* n = s.order.payment(new_id);
            if (n == nullptr) return s.reason_after_void.empty() ? ok_status() : to_exception(s, s.reason_after_void);
            note("void the new authorization " + std::to_string(new_id) + " again (RA-4)");
            return follow_up(s, new_id, Purpose::ra_void_new, n->amount_cents, n->gateway_ref);
        }
        case Purpose::ra_void_new:
            if (st = set_status(pid, "voided"); !st) return st;
            if (s.reason_after_void.empty()) {
                s.finished = true;
                return ok_status();
            }
            return to_exception(s, s.reason_after_void);
        case Purpose::club_authorize:
            if (!dry)
                if (st = store_.count_club_attempt(pid, now); !st) return st;
            ++p->reauth_attempts;
            p->last_attempt_at = format_utc(now);
            if (!ok) {
                if (p->reauth_attempts >= ctx_.cfg.orders.club_reauth_attempts) {
                    note("declined: the last of " + std::to_string(ctx_.cfg.orders.club_reauth_attempts) +
                         " attempts (RA-5 club_retries_exhausted)");
                    return to_exception(s, "club_retries_exhausted");
                }
                s.finished = true;
                note("declined: reauth_attempts becomes " + std::to_string(p->reauth_attempts) +
                     ", order unchanged (RA-5)");
                return ok_status();
            }
            if (st = authorized(*p); !st) return st;
            return transition(s, settings_.club_success, "club_reauthorized");
    }
    return ok_status();
}

}  // namespace olmd::jobs::payment_engine
