// What every gateway answer does before the job's own rules take over: the journal
// row completed, an unknown outcome left for the next run with the same key (CAP-7),
// a rejected request counted as an error (MON-3). Runs inside the write transaction
// that records the answer, on the order as read under it. The job's follow-ups
// (capture: CAP-5/CAP-6, reauth: RA-3..RA-5; see their follow_ups.hpp) then record
// the answer's effect and start the next step.
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

Status Engine::apply_step(OrderState& s, const Flight& f, const domain::Answer& a, domain::PaymentRow& row) {
    const bool dry = ctx_.dry_run;
    const Instant now = ctx_.now;
    domain::PaymentRow* p = &row;

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
    const bool released = !ok && a.response_code == domain::kAuthorizationReleased;
    const bool captured_elsewhere = !ok && a.response_code == domain::kAlreadyCaptured;
    return follow_ups_.after(*this, s, f, Answered{a, ok, rejected, released, captured_elsewhere}, *p);
}

Status Engine::set_status(OrderState& s, RowId id, const char* status) {
    if (domain::PaymentRow* r = s.order.payment(id)) r->status = status;
    return ctx_.dry_run ? ok_status() : store_.set_status(id, status);
}

Status Engine::mark_authorized(domain::PaymentRow& r, const domain::Answer& a) {
    r.status = "authorized";
    r.gateway_ref = a.gateway_ref;
    r.authorized_at = format_utc(ctx_.now);
    if (!a.avs_result.empty()) r.avs_result = a.avs_result;
    if (!a.cvv_result.empty()) r.cvv_result = a.cvv_result;
    return ctx_.dry_run ? ok_status() : store_.mark_authorized(r.id, a.gateway_ref, ctx_.now, a.avs_result, a.cvv_result);
}

Status Engine::count_club_attempt(domain::PaymentRow& p) {
    if (!ctx_.dry_run)
        if (auto st = store_.count_club_attempt(p.id, ctx_.now); !st) return st;
    ++p.reauth_attempts;
    p.last_attempt_at = format_utc(ctx_.now);
    return ok_status();
}

void Engine::leave_to_back_office(OrderState& s) {
    ++stats_.skipped_concurrent;
    s.finished = true;
}

}  // namespace olmd::jobs::payment_engine
