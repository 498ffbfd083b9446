// SRC-12 ready-to-ship authorization, with the journal of OPS-6. An order
// whose New shipments are worth more than its payments cover is rolled back
// by its batch; after the batch commits, in a transaction of its own: the
// order is read again, the difference computed again, a 'pending'
// credit_card payment for it inserted with the card of the order's most
// recent card payment and journaled (purpose rts_authorize) — committed —
// then the gateway is asked, and in the next transaction the outcome is
// recorded and, when approved, the order is sourced again (now covered); a
// decline (or no card) gives the order [sourcing.ready_to_ship_auth]
// exception_status and keeps nothing of this run's sourcing. An unknown
// outcome leaves the order as it is until the journal is reconciled at the
// start of a later run: no order is ever authorized twice.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "jobs/sourcing/run_state.hpp"
#include "olmd/domain/journal.hpp"

namespace olmd::jobs::sourcing {

namespace {

constexpr const char* kPurpose = "rts_authorize";

bool eligible(const Settings& s, const SourcingOrder& o, Pass pass) {
    const auto& v = pass == Pass::main ? s.statuses : s.backorder_statuses;
    return std::find(v.begin(), v.end(), o.status_id) != v.end();
}

/// Records a gateway answer on the journal row and the payment (inside the caller's transaction).
Status record(domain::PaymentRepository& ps, const domain::JournalOp& op, RowId payment, const domain::Answer& a,
              Instant now) {
    switch (a.outcome) {
        case domain::Outcome::succeeded:
            if (auto st = ps.complete(op.id, domain::OpState::succeeded, a.gateway_ref, a.response_code, now);
                !st)
                return st;
            return ps.mark_authorized(payment, a.gateway_ref, now, a.avs_result, a.cvv_result);
        case domain::Outcome::declined:
            if (auto st = ps.complete(op.id, domain::OpState::declined, a.gateway_ref, a.response_code, now);
                !st)
                return st;
            return ps.set_status(payment, "declined");
        case domain::Outcome::unknown:
            return ps.complete(op.id, domain::OpState::unknown, "", a.response_code, now);
        case domain::Outcome::rejected:
            // Nothing happened at the gateway: the pending row holds nothing.
            if (auto st = ps.complete(op.id, domain::OpState::declined, "", "rejected:" + a.response_code, now); !st)
                return st;
            return ps.set_status(payment, "voided");
    }
    return ok_status();
}

}  // namespace

bool RunState::ensure_gateway() {
    if (gateway) return true;
    if (gateway_failed || !use_gateway) return false;
    auto ps = ctx.services.store.payments();
    if (!ps) {
        gateway_failed = true;
        fail("SRC-12 ready-to-ship authorization: " + ps.error().message);
        return false;
    }
    auto gw = ctx.services.gateway();
    if (!gw) {
        gateway_failed = true;
        fail("SRC-12 ready-to-ship authorization: " + gw.error().message);
        return false;
    }
    payment_store = std::move(*ps);
    gateway = *gw;
    return true;
}

RunState::OrderResult RunState::decline(const SourcingOrder& o, const std::string& why, const std::string& reason,
                                       bool card_declined) {
    if (auto st = writer.begin_order(); !st) {
        fail(st.error().message);
        return OrderResult::failed;
    }
    StatusId to = settings.rts_exception;
    std::string why_status = reason;
    if (card_declined && settings.club_exception != 0 && o.is_club) {
        // RA-5: a club order whose card olmd got declined is retried by the reauth job's club pass.
        to = settings.club_exception;
        why_status = "club_auth_declined";
    }
    auto r = writer.apply(domain::Transition{o.id, o.status_id, to, why_status, o.number});
    if (!r) {
        (void)writer.end_order(false);
        fail(r.error().message);
        return OrderResult::failed;
    }
    if (*r == domain::TransitionOutcome::concurrent) {
        ++stats.skipped_concurrent;
        if (auto st = writer.end_order(false); !st) {
            fail(st.error().message);
            return OrderResult::failed;
        }
        return OrderResult::done;
    }
    if (*r == domain::TransitionOutcome::changed) ++stats.changed;
    spdlog::info("sourcing: order {}: ready-to-ship authorization declined ({}): SRC-12 exception status",
                 o.number, why);
    if (auto st = writer.end_order(true); !st) {
        fail(st.error().message);
        return OrderResult::failed;
    }
    return OrderResult::done;
}

bool RunState::authorize_pending() {
    std::vector<PendingAuth> todo;
    todo.swap(pending_auth);
    for (const PendingAuth& p : todo) {
        if (ctx.stopping()) {
            ++stats.deferred;  // left for the next run, untouched
            continue;
        }
        if (!authorize_one(p)) return false;
    }
    return true;
}

bool RunState::authorize_one(const PendingAuth& p) {
    auto give_up = [&](const Error& e) {
        writer.rollback_batch();
        fail(e.message);
        return false;
    };
    for (int round = 0; round < 3; ++round) {
        if (auto st = writer.begin_batch(); !st) {
            fail(st.error().message);
            return false;
        }
        auto read = repo->read_order(p.order);
        if (!read) return give_up(read.error());
        if (!*read || !eligible(settings, **read, p.pass)) {  // the back office moved it meanwhile
            writer.rollback_batch();
            ++stats.skipped_concurrent;
            return true;
        }
        const SourcingOrder& o = **read;
        stock.inventory.clear();
        stock.vendors.clear();
        if (!load_stock({o})) {
            writer.rollback_batch();
            return false;
        }
        auto open = repo->has_open_rts_authorization(o.id);
        if (!open) return give_up(open.error());
        if (*open) {  // an earlier authorization's outcome is unknown: never authorize twice
            writer.rollback_batch();
            ++stats.deferred;
            return true;
        }
        const StockMark mark = stock.mark();
        auto d = decide(o, p.pass, nullptr);
        if (!d) return give_up(d.error());
        if (d->auth_needed_cents == 0) {  // covered now: source it
            if (write(o, *d, mark) == OrderResult::failed) {
                writer.rollback_batch();
                return false;
            }
            if (auto st = writer.commit_batch(); !st) {
                fail(st.error().message);
                return false;
            }
            return true;
        }
        stock.undo_to(mark);
        const std::int64_t amount = d->auth_needed_cents;
        if (!d->payments.card_payment_id || d->payments.card_token.empty()) {
            if (decline(o, "the order has no credit card payment") == OrderResult::failed) {
                writer.rollback_batch();
                return false;
            }
            if (auto st = writer.commit_batch(); !st) {
                fail(st.error().message);
                return false;
            }
            return true;
        }
        if (!ensure_gateway()) {
            writer.rollback_batch();
            ++stats.deferred;
            return true;
        }
        {
            domain::Request probe;
            probe.op = domain::Operation::authorize;
            probe.card_token = d->payments.card_token;
            probe.customer_ref = d->payments.customer_ref;
            if (!gateway->can_reauthorize(probe)) {
                // config.md: the saved card cannot be re-used off-session here; nothing is sent.
                if (decline(o, "the card cannot be re-used without its gateway customer", "card_not_reusable") ==
                    OrderResult::failed) {
                    writer.rollback_batch();
                    return false;
                }
                if (auto st = writer.commit_batch(); !st) {
                    fail(st.error().message);
                    return false;
                }
                return true;
            }
        }
        // OPS-6: the payment and the journal row are committed before the request is sent.
        auto payment = repo->insert_rts_payment(*d->payments.card_payment_id, amount, writer.now_text());
        if (!payment) return give_up(payment.error());
        auto op = payment_store->journal(*payment, domain::Operation::authorize, kPurpose, amount, "",
                                         ctx.run_id, ctx.now);
        if (!op) return give_up(op.error());
        if (auto st = writer.commit_batch(); !st) {
            fail(st.error().message);
            return false;
        }
        domain::Request req;
        req.op = domain::Operation::authorize;
        req.idempotency_key = op->idempotency_key;
        req.amount = amount;
        req.card_token = d->payments.card_token;
        req.customer_ref = d->payments.customer_ref;
        const domain::Answer a = gateway->authorize(req);

        if (auto st = writer.begin_batch(); !st) {
            fail(st.error().message);
            return false;
        }
        if (auto st = record(*payment_store, *op, *payment, a, ctx.now); !st) return give_up(st.error());
        if (a.outcome == domain::Outcome::rejected) {
            ++stats.errors;
            fail("SRC-12 ready-to-ship authorization of order " + o.number + " rejected by the gateway as invalid (" +
                 a.detail + "); the order was left as it is");
        }
        if (a.outcome == domain::Outcome::declined) {
            auto again = repo->read_order(p.order);
            if (!again) return give_up(again.error());
            if (*again && (*again)->status_id == o.status_id &&
                decline(**again, a.response_code.empty() ? "declined" : a.response_code, "rts_auth_declined",
                        true) == OrderResult::failed) {
                writer.rollback_batch();
                return false;
            }
        }
        if (auto st = writer.commit_batch(); !st) {
            fail(st.error().message);
            return false;
        }
        if (a.outcome == domain::Outcome::declined || a.outcome == domain::Outcome::rejected) return true;
        if (a.outcome == domain::Outcome::unknown) {
            spdlog::warn(
                "sourcing: order {}: ready-to-ship authorization outcome unknown ({}); left for the next run",
                o.number, a.detail);
            ++stats.deferred;
            return true;
        }
        // approved: the next round sources the order, now covered
    }
    ++stats.deferred;  // the amount kept growing (stock arriving meanwhile): next run
    return true;
}

bool RunState::reconcile_rts() {
    if (!use_gateway) return true;
    auto ps = ctx.services.store.payments();
    if (!ps) return true;  // no journal table: nothing can be open
    auto ops = (*ps)->unresolved({kPurpose});
    if (!ops) {
        fail(ops.error().message);
        return false;
    }
    if (ops->empty() || !ensure_gateway()) return true;
    for (const domain::JournalOp& op : *ops) {
        auto order_id = payment_store->order_of_payment(op.payment_id);
        if (!order_id) {
            fail(order_id.error().message);
            return false;
        }
        auto po = payment_store->load_order(*order_id);
        if (!po) {
            fail(po.error().message);
            return false;
        }
        const domain::PaymentRow* pay = *po ? (*po)->payment(op.payment_id) : nullptr;
        if (pay == nullptr) continue;
        domain::Request req;
        req.op = domain::Operation::authorize;
        req.idempotency_key = op.idempotency_key;
        req.amount = op.amount_cents;
        req.card_token = pay->card_token;
        req.customer_ref = pay->customer_ref;
        // OPS-6, the one protocol of every journaling job: replay with the key, or look it up.
        // A replay's answer is recorded whatever it is; a lookup that cannot tell waits for the next run.
        const bool lookup = domain::needs_lookup(op, gateway->key_lifetime(), ctx.now);
        const domain::LookupResult lr = domain::resolve(op, req, *gateway, ctx.now);
        if (lookup && lr.state == domain::LookupState::unknown) continue;
        domain::Answer a = lr.answer;
        if (lr.state == domain::LookupState::not_applied) {
            a.outcome = domain::Outcome::declined;  // never applied: the hold does not exist
            a.response_code = "not_applied";
        }
        if (auto st = writer.begin_batch(); !st) {
            fail(st.error().message);
            return false;
        }
        if (auto st = record(*payment_store, op, op.payment_id, a, ctx.now); !st) {
            writer.rollback_batch();
            fail(st.error().message);
            return false;
        }
        if (auto st = writer.commit_batch(); !st) {
            fail(st.error().message);
            return false;
        }
        spdlog::info("sourcing: ready-to-ship authorization of payment {} reconciled: {}", op.payment_id,
                     domain::to_string(a.outcome));
    }
    return true;
}

}  // namespace olmd::jobs::sourcing
