// The payment jobs' engine: the rounds of plan, journal, send, record (see engine.hpp).
// The outcomes of each workflow step are in outcomes.cpp.
#include "olmd/jobs/payment_engine/engine.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "olmd/jobs/payment_engine/money_checks.hpp"

namespace olmd::jobs::payment_engine {

namespace {

/// The comma-separated column list without `column`.
std::string without_column(const std::string& list, const std::string& column) {
    std::string out;
    for (std::size_t at = 0; at < list.size();) {
        const auto end = std::min(list.find(',', at), list.size());
        if (list.compare(at, end - at, column) != 0)
            out += (out.empty() ? "" : ",") + list.substr(at, end - at);
        at = end + 1;
    }
    return out;
}

std::string verb(domain::Operation op) {
    return std::string(domain::to_string(op));
}

bool same_send(const Step& a, const Step& b) {
    return a.kind == Step::Kind::send && b.kind == Step::Kind::send && a.payment_id == b.payment_id &&
           a.purpose == b.purpose && a.amount == b.amount && a.new_payment == b.new_payment;
}

}  // namespace

Engine::Engine(JobContext& ctx, JobStats& stats, JobKind job, const Settings& settings,
               domain::PaymentRepository& store, domain::StatusWriter& writer, domain::Gateway& gw,
               FollowUps& follow_ups, std::ostream* out)
    : ctx_(ctx),
      stats_(stats),
      job_(job),
      store_(store),
      writer_(writer),
      gw_(gw),
      follow_ups_(follow_ups),
      out_(out),
      settings_(settings) {}

void Engine::say(const std::string& line) const {
    if (out_ != nullptr) *out_ << line << "\n";
}

void Engine::note(const std::string& line) const {
    if (ctx_.dry_run) say("  then " + line);
}

StatusId Engine::exception_status() const {
    return job_ == JobKind::capture ? settings_.capture_exception : settings_.reauth_exception;
}

bool Engine::reusable(const domain::PaymentRow& p) const {
    domain::Request r;
    r.op = domain::Operation::authorize;
    r.card_token = p.card_token;
    r.customer_ref = p.customer_ref;
    return gw_.can_reauthorize(r);  // the dry-run gateway keeps the configured gateway's rule
}

// --- the rounds ------------------------------------------------------------------------------

bool Engine::plan_orders(const std::vector<OrderState*>& candidates, Planner& planner,
                         std::vector<OrderState*>& ready) {
    std::vector<Planned> planned;
    for (OrderState* s : candidates) {
        if (s->finished || s->flight) continue;
        if (s->reconciling || ctx_.stopping()) {
            s->finished = true;
            continue;
        }
        Planned pl;
        pl.s = s;
        pl.handled_before = s->handled;
        auto step = planner.plan(*s);
        if (!step) {
            s->finished = true;
            continue;
        }
        pl.step = std::move(*step);
        planned.push_back(std::move(pl));
    }
    if (!planned.empty() && !write_plans(planned, planner)) return false;
    for (OrderState* s : candidates)
        if (!s->finished && s->flight) ready.push_back(s);
    return true;
}

bool Engine::drive(std::vector<OrderState>& orders, Planner& planner) {
    planner.set_reuse([this](const domain::PaymentRow& p) { return reusable(p); });
    std::vector<OrderState*> all;
    all.reserve(orders.size());
    for (auto& s : orders) all.push_back(&s);
    while (true) {
        Wave w;
        if (!plan_orders(all, planner, w.flying)) return false;
        if (w.empty()) return true;  // every order finished (an unfinished one always has a flight here)
        const auto t0 = std::chrono::steady_clock::now();
        start_send(w, false);
        finish_send(w);
        const auto t1 = std::chrono::steady_clock::now();
        if (!write_outcomes(w.flying, w.answers, w.lookups)) return false;
        const auto t2 = std::chrono::steady_clock::now();
        spdlog::debug("{}: {} request(s): {:.3f} s at the gateway, {:.3f} s recording", job_name(job_),
                      w.flying.size(), std::chrono::duration<double>(t1 - t0).count(),
                      std::chrono::duration<double>(t2 - t1).count());
    }
}

bool Engine::next_batch_at(std::size_t i) {
    // OPS-7: one write transaction per [daemon] batch_size orders.
    const std::size_t chunk = static_cast<std::size_t>(std::max(1, ctx_.cfg.daemon.batch_size));
    if (i == 0 || i % chunk != 0) return true;
    if (auto st = writer_.commit_batch(); !st) {
        stats_.failure = st.error().message;
        return false;
    }
    if (auto st = writer_.begin_batch(); !st) {
        stats_.failure = st.error().message;
        return false;
    }
    return true;
}

bool Engine::write_plans(std::vector<Planned>& planned, Planner& planner) {
    if (auto st = writer_.begin_batch(); !st) {
        stats_.failure = st.error().message;
        return false;
    }
    for (std::size_t i = 0; i < planned.size(); ++i) {
        if (!next_batch_at(i)) return false;
        Planned& pl = planned[i];
        OrderState& s = *pl.s;
        if (pl.step.kind == Step::Kind::defer) {
            if (!deferred_earlier(pl.step.payment_id)) {
                ++stats_.deferred;
                deferred_payments_.insert(pl.step.payment_id);
                if (ctx_.dry_run)
                    say("would leave order " + s.order.number + " as it is: payment " +
                        std::to_string(pl.step.payment_id) + " has a gateway operation of unknown outcome (" +
                        pl.step.rule + ")");
            }
            s.finished = true;
            continue;
        }
        ++stats_.selected;
        if (auto st = writer_.begin_order(); !st) {
            writer_.rollback_batch();
            stats_.failure = st.error().message;
            return false;
        }
        Status st = write_plan(pl, planner);
        if (auto e = writer_.end_order(static_cast<bool>(st)); !e && st) st = e;
        if (!st) {
            ++stats_.errors;
            spdlog::error("{}: order {}: {}", job_name(job_), s.order.number, st.error().message);
            s.flight.reset();
            s.finished = true;
        }
    }
    if (auto st = writer_.commit_batch(); !st) {
        stats_.failure = st.error().message;
        return false;
    }
    return true;
}

Status Engine::reread(OrderState& s) {
    if (ctx_.dry_run) return ok_status();
    auto fresh = store_.load_order(s.order.id);
    if (!fresh) return fresh.error();
    if (!*fresh) {
        s.moved = true;
        return ok_status();
    }
    s.order = std::move(**fresh);
    s.moved = s.order.status_id != s.status_seen;
    return ok_status();
}

Status Engine::recheck_under_lock(Planned& pl, Planner& planner, bool& go) {
    // CAP-4 and every other money rule: decide again on the order and all its payments as they
    // are now, inside the write transaction that journals the request.
    go = false;
    OrderState probe = *pl.s;
    probe.handled = pl.handled_before;
    if (auto st = reread(probe); !st) return st;
    if (probe.moved) {
        ++stats_.skipped_concurrent;
        spdlog::info("{}: order {} changed meanwhile (status or gone); left alone", job_name(job_),
                     pl.s->order.number);
        pl.s->finished = true;
        return ok_status();
    }
    auto again = planner.plan(probe);
    if (again && same_send(*again, pl.step)) {
        *pl.s = std::move(probe);
        go = true;
        return ok_status();
    }
    if (again && again->kind == Step::Kind::transition) {
        *pl.s = std::move(probe);
        pl.step = std::move(*again);
        if (pl.step.bad_data) ++stats_.errors;
        spdlog::info("{}: order {}: {} ({}, read again under the write lock)", job_name(job_),
                     pl.s->order.number, pl.step.reason, pl.step.rule);
        return transition(*pl.s, pl.step.to, pl.step.reason);
    }
    // Nothing to do any more, or something else: the next run decides on what it reads then.
    ++stats_.skipped_concurrent;
    spdlog::info("{}: order {}: its payments changed meanwhile; left for the next run", job_name(job_),
                 pl.s->order.number);
    pl.s->finished = true;
    return ok_status();
}

Status Engine::write_plan(Planned& pl, Planner& planner) {
    OrderState& s = *pl.s;
    const Step& step = pl.step;
    if (step.kind == Step::Kind::transition) {
        if (step.bad_data) ++stats_.errors;
        spdlog::info("{}: order {}: {} ({})", job_name(job_), s.order.number, step.reason, step.rule);
        return transition(s, step.to, step.reason);
    }
    if (!ctx_.dry_run) {
        bool go = false;
        if (auto st = recheck_under_lock(pl, planner, go); !st || !go) return st;
    }
    domain::PaymentRow* p = s.order.payment(step.payment_id);
    if (p == nullptr) return Error{"payment " + std::to_string(step.payment_id) + " vanished"};
    RowId target = p->id;
    const domain::PaymentRow old = *p;
    if (step.new_payment) {
        auto id = insert_replacement(s, old.id, step.amount);
        if (!id) return id.error();
        target = *id;
    }
    const bool authorize = purpose_operation(step.purpose) == domain::Operation::authorize;
    if (auto st =
            follow_up(s, target, step.purpose, step.amount, authorize ? std::string() : old.gateway_ref);
        !st)
        return st;
    if (ctx_.dry_run) {
        std::string what =
            "would " + verb(purpose_operation(step.purpose)) + " " + format_cents(step.amount) + " for ";
        what += step.new_payment ? "a new payment replacing " + describe_payment(old) : describe_payment(old);
        say(what + " of order " + s.order.number + " (" + step.rule + ")");
    }
    return ok_status();
}

bool Engine::write_outcomes(std::vector<OrderState*>& flying, const std::vector<domain::Answer>& answers,
                            const std::vector<domain::LookupResult>& lookups) {
    if (auto st = writer_.begin_batch(); !st) {
        // The requests stay 'pending' in the journal: the next run resolves them with the same keys.
        stats_.failure = st.error().message;
        return false;
    }
    for (std::size_t i = 0; i < flying.size(); ++i) {
        if (!next_batch_at(i)) return false;
        OrderState& s = *flying[i];
        Status st = writer_.begin_order();
        if (!st) {
            writer_.rollback_batch();
            stats_.failure = st.error().message;
            return false;
        }
        // The order as it is now, under the write lock: follow-ups decide on it (CAP-4).
        st = reread(s);
        if (st && s.order.payment(s.flight->op.payment_id) == nullptr)
            st = Error{"payment " + std::to_string(s.flight->op.payment_id) + " is gone from order " +
                       s.order.number};
        if (st && s.flight->lookup && !ctx_.dry_run) {
            const auto& l = lookups[i];
            if (l.state == domain::LookupState::applied)
                st = apply_outcome(s, l.answer);
            else if (l.state == domain::LookupState::not_applied)
                st = apply_not_applied(s);
            else {
                domain::Answer u = l.answer;
                u.outcome = domain::Outcome::unknown;
                st = apply_outcome(s, u);
            }
        } else if (st) {
            st = apply_outcome(s, answers[i]);
        }
        if (auto e = writer_.end_order(static_cast<bool>(st)); !e && st) st = e;
        if (!st) {
            ++stats_.errors;
            spdlog::error("{}: order {}: {} (the journal keeps the request; the next run resolves it)",
                          job_name(job_), s.order.number, st.error().message);
            s.flight.reset();
            s.finished = true;
        }
    }
    if (auto st = writer_.commit_batch(); !st) {
        stats_.failure = st.error().message;
        return false;
    }
    return true;
}

Status Engine::follow_up(OrderState& s, RowId payment_id, Purpose p, Cents amount,
                         const std::string& request_ref) {
    domain::JournalOp op;
    if (ctx_.dry_run) {
        op.id = next_fake_id_--;
        op.payment_id = payment_id;
        op.operation = purpose_operation(p);
        op.purpose = std::string(purpose_name(p));
        op.amount_cents = amount;
        op.request_ref = request_ref;
    } else {
        auto j = store_.journal(payment_id, purpose_operation(p), std::string(purpose_name(p)), amount,
                                request_ref, ctx_.run_id, ctx_.now);
        if (!j) return j.error();
        op = std::move(*j);
    }
    if (domain::PaymentRow* row = s.order.payment(payment_id)) {
        row->unresolved_op = true;
        row->unresolved_purpose = op.purpose;
    }
    if (ctx_.dry_run && s.flight)  // a follow-up of an outcome (the first request is printed by write_plan)
        say("  then would " + verb(purpose_operation(p)) + " " + format_cents(amount) + " for payment " +
            (payment_id < 0 ? std::string("(new)") : std::to_string(payment_id)) + " (" +
            std::string(purpose_name(p)) + ")");
    Flight f;
    f.op = std::move(op);
    f.purpose = p;
    s.flight = std::move(f);
    return ok_status();
}

Status Engine::transition(OrderState& s, StatusId to, const std::string& reason) {
    s.finished = true;
    domain::Transition t{s.order.id, s.status_seen, to, reason, s.order.number};
    // A status_id stored as 6.5 or 'abc' was read coerced: the update must match the stored value.
    t.from_not_integer = s.status_seen == s.order.status_id && status_not_integer(s.order);
    auto r = writer_.apply(t);
    if (!r) return r.error();
    if (*r == domain::TransitionOutcome::changed) {
        ++stats_.changed;
        s.order.status_id = to;
        s.status_seen = to;
        if (t.from_not_integer) s.order.bad_types = without_column(s.order.bad_types, "status_id");
    } else if (*r == domain::TransitionOutcome::concurrent) {
        ++stats_.skipped_concurrent;
    }
    return ok_status();
}

Status Engine::to_exception(OrderState& s, const std::string& reason) {
    return transition(s, exception_status(), reason);
}

Status Engine::declined_authorization(OrderState& s, const std::string& reason) {
    // RA-5: a club order whose card olmd itself got declined is retried by the club pass.
    if (s.order.is_club && settings_.club_exception != 0) {
        note("club order: to the club exception status for RA-5 retries (club_auth_declined)");
        return transition(s, settings_.club_exception, "club_auth_declined");
    }
    return to_exception(s, reason);
}

Result<RowId> Engine::insert_replacement(OrderState& s, RowId old_id, Cents amount) {
    const domain::PaymentRow* old = s.order.payment(old_id);
    if (old == nullptr)
        return Error{"payment " + std::to_string(old_id) + " is not in order " + s.order.number};
    RowId id = next_fake_id_--;
    if (!ctx_.dry_run) {
        auto r = store_.insert_replacement(*old, amount, ctx_.now);
        if (!r) return r.error();
        id = *r;
    }
    domain::PaymentRow n;
    n.id = id;
    n.order_id = old->order_id;
    n.method = "credit_card";
    n.status = "pending";
    n.amount_cents = amount;
    n.card_token = old->card_token;
    n.customer_ref = old->customer_ref;
    n.created_at = format_utc(ctx_.now);
    n.replaces_payment_id = old->id;
    s.handled.insert(id);
    s.order.payments.push_back(std::move(n));
    return id;
}

}  // namespace olmd::jobs::payment_engine
