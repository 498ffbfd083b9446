// The payment jobs' engine: plan, journal, send, record (see workflow.hpp).
#include "olmd/jobs/payments/workflow.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <sstream>

namespace olmd::jobs::payments {

namespace {

struct PurposeInfo {
    Purpose p;
    std::string_view name;
    JobKind job;
    gateway::Operation op;
};

constexpr std::array<PurposeInfo, 9> kPurposes = {{
    {Purpose::capture, "capture", JobKind::capture, gateway::Operation::capture},
    {Purpose::cap6_authorize, "cap6_authorize", JobKind::capture, gateway::Operation::authorize},
    {Purpose::cap6_capture, "cap6_capture", JobKind::capture, gateway::Operation::capture},
    {Purpose::cap6_void, "cap6_void", JobKind::capture, gateway::Operation::void_auth},
    {Purpose::ra_void_first, "ra_void_first", JobKind::reauth, gateway::Operation::void_auth},
    {Purpose::ra_authorize_after_void, "ra_authorize_after_void", JobKind::reauth, gateway::Operation::authorize},
    {Purpose::ra_authorize_first, "ra_authorize_first", JobKind::reauth, gateway::Operation::authorize},
    {Purpose::ra_void_after_authorize, "ra_void_after_authorize", JobKind::reauth, gateway::Operation::void_auth},
    {Purpose::club_authorize, "club_authorize", JobKind::reauth, gateway::Operation::authorize},
}};

const PurposeInfo& info(Purpose p) {
    for (const auto& i : kPurposes)
        if (i.p == p) return i;
    return kPurposes[0];
}

bool starts_with(const std::string& s, std::string_view p) { return s.rfind(p, 0) == 0; }
bool contains(const std::string& s, std::string_view p) { return s.find(p) != std::string::npos; }

std::string verb(gateway::Operation op) {
    switch (op) {
        case gateway::Operation::authorize: return "authorize";
        case gateway::Operation::capture: return "capture";
        case gateway::Operation::void_auth: return "void";
    }
    return "?";
}

}  // namespace

std::string_view purpose_name(Purpose p) { return info(p).name; }

std::optional<Purpose> purpose_from_name(std::string_view s) {
    for (const auto& i : kPurposes)
        if (i.name == s) return i.p;
    return std::nullopt;
}

JobKind purpose_job(Purpose p) { return info(p).job; }

gateway::Operation purpose_operation(Purpose p) { return info(p).op; }

std::vector<std::string> purpose_names_of(JobKind job) {
    std::vector<std::string> v;
    for (const auto& i : kPurposes)
        if (i.job == job) v.emplace_back(i.name);
    return v;
}

Result<Settings> Settings::resolve(const config::Config& cfg, const store::Catalog& catalog, JobKind job) {
    Settings s;
    s.hold = catalog.statuses.id(cfg.orders.hold_status).value_or(0);
    auto need = [&](const std::string& name, const std::string& key, StatusId& out) -> Status {
        auto id = catalog.statuses.id(name);
        if (!id) return Error{key + " = \"" + name + "\" is not a status of the database (olmd check-config)"};
        out = *id;
        return ok_status();
    };
    auto list = [&](const std::vector<std::string>& names, const std::string& key,
                    std::vector<StatusId>& out) -> Status {
        for (const auto& n : names) {
            StatusId id = 0;
            if (auto st = need(n, key, id); !st) return st;
            out.push_back(id);
        }
        return ok_status();
    };
    Status st;
    if (job == JobKind::capture) {
        if (st = list(cfg.capture.statuses, "[capture] statuses", s.capture_statuses); !st) return st.error();
        if (st = need(cfg.capture.exception_status, "[capture] exception_status", s.capture_exception); !st)
            return st.error();
        if (cfg.capture.available_when == config::AvailableWhen::order_fully_shipped)
            if (st = need(cfg.orders.fully_shipped_status, "[orders] fully_shipped_status", s.fully_shipped); !st)
                return st.error();
    } else {
        if (st = list(cfg.reauth.statuses, "[reauth] statuses", s.reauth_statuses); !st) return st.error();
        if (st = need(cfg.reauth.exception_status, "[reauth] exception_status", s.reauth_exception); !st)
            return st.error();
        if (st = need(cfg.orders.club_cc_exception_status, "[orders] club_cc_exception_status", s.club_exception); !st)
            return st.error();
        if (st = need(cfg.orders.club_reauth_success_status, "[orders] club_reauth_success_status", s.club_success);
            !st)
            return st.error();
    }
    return s;
}

std::string describe_payment(const store::PaymentRow& p) {
    std::ostringstream o;
    o << "payment " << p.id << " (" << p.method << ", " << p.status << ", amount " << format_cents(p.amount_cents);
    if (p.captured_cents != 0) o << ", captured " << format_cents(p.captured_cents);
    if (!p.gateway_ref.empty()) o << ", gateway_ref " << p.gateway_ref;
    o << ")";
    return o.str();
}

Engine::Engine(JobContext& ctx, JobStats& stats, JobKind job, const Settings& settings, store::PaymentStore& store,
               store::StatusWriter& writer, gateway::Gateway* gw, std::ostream* out)
    : ctx_(ctx), stats_(stats), job_(job), store_(store), writer_(writer), gw_(gw), out_(out), settings_(settings) {}

void Engine::say(const std::string& line) const {
    if (out_ != nullptr) *out_ << line << "\n";
}

StatusId Engine::exception_status() const {
    return job_ == JobKind::capture ? settings_.capture_exception : settings_.reauth_exception;
}

// --- reconciliation ----------------------------------------------------------------------

bool Engine::reconcile() {
    auto ops = store_.unresolved(purpose_names_of(job_));
    if (!ops) {
        stats_.failure = ops.error().message;
        return false;
    }
    if (ops->empty()) return true;
    spdlog::info("{}: reconciling {} journaled gateway operation(s) left pending or unknown", job_name(job_),
                 ops->size());
    std::vector<OrderState> states;
    for (const store::JournalOp& op : *ops) {
        auto purpose = purpose_from_name(op.purpose);
        if (!purpose) continue;
        auto order_id = store_.order_of_payment(op.payment_id);
        if (!order_id) {
            stats_.failure = order_id.error().message;
            return false;
        }
        // Two open operations of one order (should not happen): the later waits for the next run.
        auto same = std::find_if(states.begin(), states.end(), [&](const OrderState& s) { return s.order.id == *order_id; });
        if (same != states.end()) continue;
        auto order = store_.load_order(*order_id);
        if (!order) {
            stats_.failure = order.error().message;
            return false;
        }
        if (!*order) continue;
        OrderState s;
        s.order = std::move(**order);
        s.status_seen = s.order.status_id;
        s.reconciling = true;
        Flight f;
        f.op = op;
        f.purpose = *purpose;
        if (gw_ != nullptr && gw_->key_lifetime() > std::chrono::seconds::zero()) {
            if (auto created = parse_utc(op.created_at); created && ctx_.now - *created >= gw_->key_lifetime())
                f.lookup = true;
        }
        if (ctx_.dry_run) {
            say("would " + std::string(f.lookup ? "look up" : "repeat") + " the journaled " + verb(op.operation) +
                " of payment " + std::to_string(op.payment_id) + " (order " + s.order.number + ", state " +
                std::string(store::to_string(op.state)) + ", key " + op.idempotency_key +
                ") before anything new (OPS-6, CAP-7)");
            ++stats_.selected;
            continue;
        }
        s.flight = std::move(f);
        ++stats_.selected;
        states.push_back(std::move(s));
    }
    if (ctx_.dry_run || states.empty()) return true;
    class NoPlanner final : public Planner {
    public:
        std::optional<Step> plan(OrderState&) override { return std::nullopt; }
    } none;
    return drive(states, none);
}

// --- the rounds ------------------------------------------------------------------------------

bool Engine::drive(std::vector<OrderState>& orders, Planner& planner) {
    while (true) {
        std::vector<OrderState*> planned;
        std::vector<Step> steps;
        for (auto& s : orders) {
            if (s.finished || s.flight) continue;
            if (s.reconciling || ctx_.stopping()) {
                s.finished = true;
                continue;
            }
            auto step = planner.plan(s);
            if (!step) {
                s.finished = true;
                continue;
            }
            planned.push_back(&s);
            steps.push_back(std::move(*step));
        }
        if (!planned.empty() && !write_plans(planned, steps)) return false;

        std::vector<OrderState*> flying;
        for (auto& s : orders)
            if (!s.finished && s.flight) flying.push_back(&s);
        if (flying.empty()) {
            bool more = false;
            for (auto& s : orders) more = more || !s.finished;
            if (!more) return true;
            continue;
        }
        std::vector<gateway::Answer> answers;
        std::vector<gateway::LookupResult> lookups;
        const auto t0 = std::chrono::steady_clock::now();
        send(flying, answers, lookups);
        const auto t1 = std::chrono::steady_clock::now();
        if (!write_outcomes(flying, answers, lookups)) return false;
        const auto t2 = std::chrono::steady_clock::now();
        spdlog::debug("{}: {} request(s): {:.3f} s at the gateway, {:.3f} s recording", job_name(job_), flying.size(),
                      std::chrono::duration<double>(t1 - t0).count(), std::chrono::duration<double>(t2 - t1).count());
    }
}

bool Engine::write_plans(std::vector<OrderState*>& planned, std::vector<Step>& steps) {
    if (auto st = writer_.begin_batch(); !st) {
        stats_.failure = st.error().message;
        return false;
    }
    const std::size_t chunk = static_cast<std::size_t>(std::max(1, ctx_.cfg.daemon.batch_size));
    for (std::size_t i = 0; i < planned.size(); ++i) {
        // OPS-7: one write transaction per [daemon] batch_size orders.
        if (i > 0 && i % chunk == 0) {
            if (auto st = writer_.commit_batch(); !st) {
                stats_.failure = st.error().message;
                return false;
            }
            if (auto st = writer_.begin_batch(); !st) {
                stats_.failure = st.error().message;
                return false;
            }
        }
        OrderState& s = *planned[i];
        const Step& step = steps[i];
        store::PaymentRow* p = s.order.payment(step.payment_id);
        if (step.kind == Step::Kind::defer) {
            if (!deferred_earlier(step.payment_id)) {
                ++stats_.deferred;
                deferred_payments_.insert(step.payment_id);
                if (ctx_.dry_run)
                    say("would leave order " + s.order.number + " as it is: payment " + std::to_string(step.payment_id) +
                        " has a gateway operation of unknown outcome (" + step.rule + ")");
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
        Status st;
        if (step.kind == Step::Kind::transition) {
            if (step.bad_data) ++stats_.errors;
            spdlog::info("{}: order {}: {} ({})", job_name(job_), s.order.number, step.reason, step.rule);
            st = transition(s, step.to, step.reason);
        } else if (p == nullptr) {
            st = Error{"payment " + std::to_string(step.payment_id) + " vanished"};
        } else {
            // The back office may have moved the order or the payment since they were read.
            bool still = true;
            if (!ctx_.dry_run) {
                auto now_status = store_.order_status(s.order.id);
                auto same = store_.unchanged(*p);
                if (!now_status || !same) {
                    st = !now_status ? Status(now_status.error()) : Status(same.error());
                } else {
                    still = *now_status && **now_status == s.status_seen && *same;
                }
            }
            if (st && !still) {
                ++stats_.skipped_concurrent;
                spdlog::info("{}: order {} or payment {} changed meanwhile; left alone", job_name(job_),
                             s.order.number, p->id);
                s.finished = true;
            } else if (st) {
                RowId target = p->id;
                if (step.new_payment) {
                    RowId new_id = next_fake_id_--;
                    if (!ctx_.dry_run) {
                        auto id = store_.insert_replacement(*p, step.amount, ctx_.now);
                        if (!id) st = id.error();
                        else new_id = *id;
                    }
                    if (st) {
                        store::PaymentRow n;
                        n.id = new_id;
                        n.order_id = s.order.id;
                        n.method = "credit_card";
                        n.status = "pending";
                        n.amount_cents = step.amount;
                        n.card_token = p->card_token;
                        n.customer_ref = p->customer_ref;
                        n.created_at = format_utc(ctx_.now);
                        n.replaces_payment_id = p->id;
                        s.order.payments.push_back(n);
                        s.handled.insert(new_id);
                        p = s.order.payment(step.payment_id);  // the vector may have moved
                        target = new_id;
                    }
                }
                if (st) st = follow_up(s, target, step.purpose, step.amount,
                                       purpose_operation(step.purpose) == gateway::Operation::authorize
                                           ? std::string() : p->gateway_ref);
                if (st && ctx_.dry_run) {
                    std::string what = "would " + verb(purpose_operation(step.purpose)) + " " +
                                       format_cents(step.amount) + " for ";
                    what += step.new_payment ? "a new payment replacing " + describe_payment(*p)
                                             : describe_payment(*p);
                    say(what + " of order " + s.order.number + " (" + step.rule + ")");
                }
            }
        }
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

gateway::Request Engine::request_for(const OrderState& s, const store::JournalOp& op) const {
    gateway::Request r;
    r.op = op.operation;
    r.idempotency_key = op.idempotency_key;
    r.amount = op.amount_cents;
    auto& order = const_cast<store::PaymentOrder&>(s.order);
    if (const store::PaymentRow* p = order.payment(op.payment_id)) {
        r.card_token = p->card_token;
        r.customer_ref = p->customer_ref;
        if (op.operation != gateway::Operation::authorize) r.gateway_ref = op.request_ref.empty() ? p->gateway_ref : op.request_ref;
    } else if (op.operation != gateway::Operation::authorize) {
        r.gateway_ref = op.request_ref;
    }
    return r;
}

gateway::Answer Engine::simulate(const gateway::Request& r) const {
    gateway::Answer a;
    a.outcome = gateway::Outcome::succeeded;
    a.response_code = "approved";
    const bool sandbox = ctx_.cfg.gateway.kind == config::GatewayKind::sandbox;
    switch (r.op) {
        case gateway::Operation::authorize:
            if (sandbox && starts_with(r.card_token, "decline")) a.outcome = gateway::Outcome::declined;
            a.gateway_ref = "(new authorization)";
            break;
        case gateway::Operation::capture:
            if (sandbox && (starts_with(r.gateway_ref, "fail_capture") || starts_with(r.gateway_ref, "expired")))
                a.outcome = gateway::Outcome::declined;
            a.gateway_ref = r.gateway_ref;
            break;
        case gateway::Operation::void_auth:
            if (sandbox && (starts_with(r.gateway_ref, "fail_void") || starts_with(r.gateway_ref, "expired")))
                a.outcome = gateway::Outcome::declined;
            a.gateway_ref = r.gateway_ref;
            break;
    }
    if (a.outcome == gateway::Outcome::declined) a.response_code = "declined";
    (void)contains;
    return a;
}

void Engine::send(std::vector<OrderState*>& flying, std::vector<gateway::Answer>& answers,
                  std::vector<gateway::LookupResult>& lookups) {
    answers.assign(flying.size(), gateway::Answer{});
    lookups.assign(flying.size(), gateway::LookupResult{});
    std::vector<gateway::Request> reqs;
    std::vector<std::size_t> idx;
    for (std::size_t i = 0; i < flying.size(); ++i) {
        const Flight& f = *flying[i]->flight;
        gateway::Request r = request_for(*flying[i], f.op);
        if (ctx_.dry_run || gw_ == nullptr) {
            answers[i] = simulate(r);
            if (ctx_.dry_run && out_ != nullptr && answers[i].outcome == gateway::Outcome::declined)
                say("  (the " + std::string(ctx_.cfg.gateway.kind == config::GatewayKind::sandbox ? "sandbox" : "gateway") +
                    " would decline this " + verb(r.op) + ")");
            continue;
        }
        if (f.lookup) {
            lookups[i] = gw_->lookup(r);
            continue;
        }
        reqs.push_back(std::move(r));
        idx.push_back(i);
    }
    if (!reqs.empty()) {
        auto got = gw_->execute(reqs);
        for (std::size_t k = 0; k < idx.size() && k < got.size(); ++k) answers[idx[k]] = std::move(got[k]);
    }
    sent_ += static_cast<std::int64_t>(flying.size());
}

bool Engine::write_outcomes(std::vector<OrderState*>& flying, const std::vector<gateway::Answer>& answers,
                            const std::vector<gateway::LookupResult>& lookups) {
    if (auto st = writer_.begin_batch(); !st) {
        // The requests stay 'pending' in the journal: the next run resolves them with the same keys.
        stats_.failure = st.error().message;
        return false;
    }
    const std::size_t chunk = static_cast<std::size_t>(std::max(1, ctx_.cfg.daemon.batch_size));
    for (std::size_t i = 0; i < flying.size(); ++i) {
        // OPS-7: one write transaction per [daemon] batch_size orders.
        if (i > 0 && i % chunk == 0) {
            if (auto st = writer_.commit_batch(); !st) {
                stats_.failure = st.error().message;
                return false;
            }
            if (auto st = writer_.begin_batch(); !st) {
                stats_.failure = st.error().message;
                return false;
            }
        }
        OrderState& s = *flying[i];
        Status st = writer_.begin_order();
        if (!st) {
            writer_.rollback_batch();
            stats_.failure = st.error().message;
            return false;
        }
        if (s.flight->lookup && !ctx_.dry_run && gw_ != nullptr) {
            const auto& l = lookups[i];
            if (l.state == gateway::LookupState::applied)
                st = apply_outcome(s, l.answer);
            else if (l.state == gateway::LookupState::not_applied)
                st = apply_not_applied(s);
            else {
                gateway::Answer u = l.answer;
                u.outcome = gateway::Outcome::unknown;
                st = apply_outcome(s, u);
            }
        } else {
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

// --- outcomes --------------------------------------------------------------------------------

Status Engine::follow_up(OrderState& s, RowId payment_id, Purpose p, Cents amount, const std::string& request_ref) {
    store::JournalOp op;
    if (ctx_.dry_run) {
        op.id = next_fake_id_--;
        op.payment_id = payment_id;
        op.operation = purpose_operation(p);
        op.purpose = std::string(purpose_name(p));
        op.amount_cents = amount;
        op.request_ref = request_ref;
    } else {
        auto j = store_.journal(payment_id, purpose_operation(p), std::string(purpose_name(p)), amount, request_ref,
                                ctx_.run_id, ctx_.now);
        if (!j) return j.error();
        op = std::move(*j);
    }
    if (store::PaymentRow* row = s.order.payment(payment_id)) {
        row->unresolved_op = true;
        row->unresolved_purpose = op.purpose;
    }
    if (ctx_.dry_run && s.flight)  // a follow-up of an outcome (the first request is printed by write_plans)
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
    auto r = writer_.apply(store::Transition{s.order.id, s.status_seen, to, reason, s.order.number});
    if (!r) return r.error();
    if (*r == store::TransitionOutcome::changed) {
        ++stats_.changed;
        s.order.status_id = to;
        s.status_seen = to;
    } else if (*r == store::TransitionOutcome::concurrent) {
        ++stats_.skipped_concurrent;
    }
    return ok_status();
}

Status Engine::apply_not_applied(OrderState& s) {
    Flight f = *s.flight;
    s.flight.reset();
    if (auto st = store_.complete(f.op.id, store::OpState::declined, "", "not_applied", ctx_.now); !st) return st;
    spdlog::info("{}: the gateway never applied journaled {} {}; sending a new attempt", job_name(job_),
                 verb(f.op.operation), f.op.idempotency_key);
    return follow_up(s, f.op.payment_id, f.purpose, f.op.amount_cents, f.op.request_ref);
}

Status Engine::apply_outcome(OrderState& s, const gateway::Answer& a) {
    Flight f = *s.flight;  // kept set until a follow-up replaces it (dry-run printing tells them apart)
    store::PaymentRow* p = s.order.payment(f.op.payment_id);
    if (p == nullptr) {
        s.flight.reset();
        return Error{"payment " + std::to_string(f.op.payment_id) + " is not in order " + s.order.number};
    }
    Status st = apply_step(s, f, a, *p);
    if (s.flight && s.flight->op.id == f.op.id) s.flight.reset();  // no follow-up
    return st;
}

Status Engine::apply_step(OrderState& s, const Flight& f, const gateway::Answer& a, store::PaymentRow& row) {
    const bool dry = ctx_.dry_run;
    const Instant now = ctx_.now;
    store::PaymentRow* p = &row;

    if (a.outcome == gateway::Outcome::unknown) {
        ++unknown_;
        // The gateway could not be reached or refused us (not a scripted lost answer).
        const std::string& rc = a.response_code;
        if (rc == "network_error" || rc == "sandbox_error" || rc.rfind("http_", 0) == 0) ++unreachable_;
        last_unknown_ = a.detail.empty() ? a.response_code : a.detail;
        if (!dry)
            if (auto st = store_.complete(f.op.id, store::OpState::unknown, "", a.response_code, now); !st) return st;
        if (!deferred_earlier(p->id)) ++stats_.deferred;
        deferred_payments_.insert(p->id);
        p->unresolved_op = true;
        s.finished = true;
        spdlog::info("{}: order {} payment {}: {} outcome unknown ({}); left for the next run, same key (CAP-7)",
                     job_name(job_), s.order.number, p->id, verb(f.op.operation),
                     a.detail.empty() ? a.response_code : a.detail);
        return ok_status();
    }
    const bool ok = a.outcome == gateway::Outcome::succeeded;
    if (!dry)
        if (auto st = store_.complete(f.op.id, ok ? store::OpState::succeeded : store::OpState::declined,
                                      a.gateway_ref, a.response_code, now);
            !st)
            return st;
    p->unresolved_op = false;
    spdlog::debug("{}: order {} payment {}: {} {}", job_name(job_), s.order.number, p->id, verb(f.op.operation),
                  ok ? "succeeded" : "declined");
    if (!ok)
        spdlog::info("{}: order {} payment {}: {} declined ({})", job_name(job_), s.order.number, p->id,
                     verb(f.op.operation), a.response_code);
    const Cents amount = f.op.amount_cents;
    const StatusId exception = exception_status();
    auto set_status = [&](store::PaymentRow& row, const char* status) -> Status {
        row.status = status;
        return dry ? ok_status() : store_.set_status(row.id, status);
    };
    auto authorized = [&](store::PaymentRow& row) -> Status {
        row.status = "authorized";
        row.gateway_ref = a.gateway_ref;
        row.authorized_at = format_utc(now);
        if (!a.avs_result.empty()) row.avs_result = a.avs_result;
        if (!a.cvv_result.empty()) row.cvv_result = a.cvv_result;
        return dry ? ok_status() : store_.mark_authorized(row.id, a.gateway_ref, now, a.avs_result, a.cvv_result);
    };
    auto captured = [&](store::PaymentRow& row) -> Status {
        row.status = "captured";
        row.captured_cents = row.amount_cents;
        if (!a.avs_result.empty()) row.avs_result = a.avs_result;
        if (!a.cvv_result.empty()) row.cvv_result = a.cvv_result;
        return dry ? ok_status() : store_.mark_captured(row.id, now, a.avs_result, a.cvv_result);
    };
    auto new_row = [&](const store::PaymentRow& old) -> Result<RowId> {
        RowId id = next_fake_id_--;
        if (!dry) {
            auto r = store_.insert_replacement(old, amount, now);
            if (!r) return r.error();
            id = *r;
        }
        store::PaymentRow n;
        n.id = id;
        n.order_id = old.order_id;
        n.method = "credit_card";
        n.status = "pending";
        n.amount_cents = amount;
        n.card_token = old.card_token;
        n.customer_ref = old.customer_ref;
        n.created_at = format_utc(now);
        n.replaces_payment_id = old.id;
        s.handled.insert(id);
        s.order.payments.push_back(std::move(n));
        return id;
    };
    auto note = [&](const std::string& line) {
        if (dry) say("  then " + line);
    };

    Status st;
    switch (f.purpose) {
        case Purpose::capture:
            if (ok) return captured(*p);
            if (st = set_status(*p, "voided"); !st) return st;
            if (!ctx_.cfg.capture.reauthorize_on_failure) {
                note("payment " + std::to_string(p->id) + " voided; order to the exception status (CAP-6)");
                return transition(s, exception, "capture_declined");
            }
            if (p->card_token.empty()) {
                ++stats_.errors;
                note("no card_token to re-authorize with (CAP-6, bad data)");
                return transition(s, exception, "reauth_capture_failed:bad_data:missing_card_token");
            } else {
                const store::PaymentRow old = *p;
                auto id = new_row(old);
                if (!id) return id.error();
                note("payment " + std::to_string(old.id) + " voided; authorize " + format_cents(amount) +
                     " again as a new payment and capture it (CAP-6 reauthorize_on_failure)");
                return follow_up(s, *id, Purpose::cap6_authorize, amount, "");
            }
        case Purpose::cap6_authorize:
            if (!ok) {
                if (st = set_status(*p, "declined"); !st) return st;
                note("new payment declined; order to the exception status (CAP-6)");
                return transition(s, exception, "reauth_capture_failed");
            }
            if (st = authorized(*p); !st) return st;
            return follow_up(s, p->id, Purpose::cap6_capture, amount, p->gateway_ref);
        case Purpose::cap6_capture:
            if (ok) return captured(*p);
            note("capture of the new authorization declined: void it (CAP-6)");
            return follow_up(s, p->id, Purpose::cap6_void, amount, p->gateway_ref);
        case Purpose::cap6_void:
            if (st = set_status(*p, "voided"); !st) return st;
            return transition(s, exception, "reauth_capture_failed");
        case Purpose::ra_void_first: {
            // RA-4: a declined void is recorded (journal) and the authorization still attempted.
            if (st = set_status(*p, "voided"); !st) return st;
            const store::PaymentRow old = *p;
            auto id = new_row(old);
            if (!id) return id.error();
            return follow_up(s, *id, Purpose::ra_authorize_after_void, amount, "");
        }
        case Purpose::ra_authorize_after_void:
        case Purpose::ra_authorize_first:
            if (!ok) {
                if (st = set_status(*p, "declined"); !st) return st;
                note("new authorization declined; order to the exception status (RA-4)");
                return transition(s, exception, "reauth_declined");
            }
            if (st = authorized(*p); !st) return st;
            if (f.purpose == Purpose::ra_authorize_first) {
                store::PaymentRow* old = s.order.payment(p->replaces_payment_id);
                if (old == nullptr) return Error{"the payment replaced by " + std::to_string(p->id) + " is missing"};
                note("void the old authorization " + std::to_string(old->id) + " (RA-3 authorize_then_void)");
                return follow_up(s, old->id, Purpose::ra_void_after_authorize, amount, old->gateway_ref);
            }
            return ok_status();
        case Purpose::ra_void_after_authorize:
            return set_status(*p, "voided");
        case Purpose::club_authorize:
            if (!dry)
                if (st = store_.count_club_attempt(p->id, now); !st) return st;
            ++p->reauth_attempts;
            p->last_attempt_at = format_utc(now);
            if (!ok) {
                s.finished = true;
                note("declined: reauth_attempts becomes " + std::to_string(p->reauth_attempts) + ", order unchanged (RA-5)");
                return ok_status();
            }
            if (st = authorized(*p); !st) return st;
            return transition(s, settings_.club_success, "club_reauthorized");
    }
    return ok_status();
}

}  // namespace olmd::jobs::payments
