// The reauth job: RA-2 selection in the store, RA-3/RA-4 and RA-5 decisions in
// the planners, requests, journal and outcomes through the payment engine (RA-6, OPS-6).
#include "olmd/jobs/reauth/reauth_job.hpp"

#include <algorithm>
#include <chrono>

#include "olmd/jobs/reauth/follow_ups.hpp"


namespace olmd::jobs::reauth {

using payment_engine::OrderState;
using payment_engine::Step;

namespace {

Step to_exception(const payment_engine::Settings& s, RowId payment, std::string reason, std::string rule) {
    Step st;
    st.kind = Step::Kind::transition;
    st.payment_id = payment;
    st.to = s.reauth_exception;
    st.reason = std::move(reason);
    st.rule = std::move(rule);
    st.bad_data = true;
    return st;
}

std::optional<Step> defer_if_open(const OrderState& s, const char* rule) {
    for (const auto& p : s.order.payments) {
        if (p.unresolved_op) {
            Step d;
            d.kind = Step::Kind::defer;
            d.payment_id = p.id;
            d.rule = rule;
            return d;
        }
    }
    return std::nullopt;
}

Instant cutoff_of(const config::Config& cfg, Instant now) { return now - std::chrono::days(cfg.reauth.after_days); }

/// RA-5: the most recent credit_card payment (highest id), or null.
const domain::PaymentRow* most_recent_card(const domain::PaymentOrder& o) {
    const domain::PaymentRow* last = nullptr;
    for (const auto& p : o.payments)
        if (p.is_card() && (last == nullptr || p.id > last->id)) last = &p;
    return last;
}

std::optional<Step> money_bad_data(OrderState& s, const payment_engine::Settings& settings, const char* rule) {
    if (s.handled.count(0)) return std::nullopt;
    s.handled.insert(0);
    if (auto bad = payment_engine::money_problem(s.order, settings.known_statuses))
        return to_exception(settings, 0, "bad_data:" + bad.field, std::string(rule) + ", bad data: " + bad.detail);
    return std::nullopt;
}

std::string on_payment(const char* column, RowId id) {
    return std::string("bad_data:payments.") + column + ":payments.id=" + std::to_string(id);
}

}  // namespace

std::optional<Step> ReauthPlanner::plan(OrderState& s) {
    if (auto d = defer_if_open(s, "RA-6")) return d;
    if (auto bad = money_bad_data(s, s_, "RA-2")) return bad;
    const Instant cutoff = cutoff_of(cfg_, now_);
    for (auto& p : s.order.payments) {
        if (!p.is_card() || p.status != "authorized" || p.captured_cents >= p.amount_cents || s.handled.count(p.id))
            continue;
        s.handled.insert(p.id);
        auto at = parse_utc(p.authorized_at);
        if (p.authorized_at.empty() || !at)
            return to_exception(s_, p.id, on_payment("authorized_at", p.id), "RA-2, bad data");
        if (*at > cutoff) continue;
        if (p.card_token.empty()) return to_exception(s_, p.id, on_payment("card_token", p.id), "RA-3, bad data");
        if (p.gateway_ref.empty()) return to_exception(s_, p.id, on_payment("gateway_ref", p.id), "RA-3, bad data");
        if (!reusable(p)) {
            // config.md: Stripe re-uses a saved card off-session only with its Customer; nothing is sent.
            Step st = to_exception(s_, p.id, "card_not_reusable", "RA-3, config.md card_not_reusable");
            st.bad_data = false;
            return st;
        }
        Step st;
        st.kind = Step::Kind::send;
        st.payment_id = p.id;
        st.amount = p.uncaptured();
        if (cfg_.reauth.order == config::ReauthOrder::void_then_authorize) {
            st.purpose = payment_engine::Purpose::ra_void_first;
            st.rule = "RA-3 void_then_authorize";
        } else {
            st.purpose = payment_engine::Purpose::ra_authorize_first;
            st.new_payment = true;
            st.rule = "RA-3 authorize_then_void";
        }
        return st;
    }
    return std::nullopt;
}

std::optional<Step> ClubPlanner::plan(OrderState& s) {
    if (s.handled.count(0)) return std::nullopt;  // one retry per order and run
    s.handled.insert(0);
    const domain::PaymentOrder& o = s.order;
    if (!o.is_club || o.status_id != s_.club_exception) return std::nullopt;
    const domain::PaymentRow* p = most_recent_card(o);
    if (p == nullptr || p->status != "declined") return std::nullopt;
    if (auto d = defer_if_open(s, "RA-6")) return d;
    if (auto bad = payment_engine::money_problem(o, s_.known_statuses))
        return to_exception(s_, p->id, "bad_data:" + bad.field, "RA-5, bad data: " + bad.detail);
    if (p->reauth_attempts >= cfg_.orders.club_reauth_attempts) return std::nullopt;
    const std::string& since_text = p->last_attempt_at.empty() ? p->created_at : p->last_attempt_at;
    auto since = parse_utc(since_text);
    if (!since)
        return to_exception(s_, p->id, on_payment(p->last_attempt_at.empty() ? "created_at" : "last_attempt_at", p->id),
                            "RA-5, bad data");
    if (now_ < *since + std::chrono::days(cfg_.orders.club_reauth_interval_days)) return std::nullopt;
    if (p->card_token.empty()) return to_exception(s_, p->id, on_payment("card_token", p->id), "RA-5, bad data");
    if (p->amount_cents <= 0) return to_exception(s_, p->id, on_payment("amount_cents", p->id), "RA-5, bad data");
    if (!reusable(*p)) {
        Step st = to_exception(s_, p->id, "card_not_reusable", "RA-5, config.md card_not_reusable");
        st.bad_data = false;
        return st;
    }
    Step st;
    st.kind = Step::Kind::send;
    st.payment_id = p->id;
    st.purpose = payment_engine::Purpose::club_authorize;
    st.amount = p->amount_cents;
    st.rule = "RA-5 club retry " + std::to_string(p->reauth_attempts + 1) + " of " +
              std::to_string(cfg_.orders.club_reauth_attempts);
    return st;
}

void ReauthJob::run(JobContext& ctx, JobStats& stats) {
    auto settings = payment_engine::Settings::resolve(ctx.cfg, ctx.catalog, JobKind::reauth);
    if (!settings) {
        stats.failure = settings.error().message;
        return;
    }
    auto store = ctx.services.store.payments();
    if (!store) {
        stats.failure = store.error().message;
        return;
    }
    domain::ReauthFilter filter;
    filter.statuses = settings->reauth_statuses;
    filter.hold_status = settings->hold;
    filter.cutoff = format_utc(cutoff_of(ctx.cfg, ctx.now));
    ReauthPlanner ra(ctx.cfg, *settings, ctx.now);
    ClubPlanner club(ctx.cfg, *settings, ctx.now);
    domain::PaymentRepository& st = **store;
    const StatusId club_status = settings->club_exception;
    const StatusId hold = settings->hold;
    std::vector<payment_engine::Pass> passes;
    if (!filter.statuses.empty())
        passes.push_back({[&st, &filter](OrderId after, int limit) { return st.reauth_orders(filter, after, limit); },
                          &ra});
    if (club_status != hold)
        passes.push_back(
            {[&st, club_status](OrderId after, int limit) { return st.club_orders(club_status, after, limit); }, &club});
    ReauthFollowUps follow_ups;
    payment_engine::run_job(ctx, stats, JobKind::reauth, *settings, st, follow_ups, passes);
}

void ReauthJob::explain(JobContext& ctx, const OrderRef& ref, std::ostream& out) {
    auto in = payment_engine::load_explain_inputs(ctx, JobKind::reauth, ref, out);
    if (!in) return;
    const payment_engine::Settings* settings = &in->settings;
    domain::PaymentRepository& payment_store = *in->store;
    const domain::PaymentOrder& o = in->order;
    const std::string status = ctx.catalog.statuses.name(o.status_id);
    const Instant cutoff = cutoff_of(ctx.cfg, ctx.now);
    bool ra_selected = false;
    if (o.status_id == settings->hold) {
        out << "  not selected: the order is in the hold status (rules.md)\n";
    } else if (std::find(settings->reauth_statuses.begin(), settings->reauth_statuses.end(), o.status_id) ==
               settings->reauth_statuses.end()) {
        out << "  RA-2: status \"" << status << "\" is not in [reauth] statuses\n";
    } else {
        out << "  RA-2: status \"" << status << "\" is in [reauth] statuses; authorizations dated on or before "
            << format_utc(cutoff) << " (after_days = " << ctx.cfg.reauth.after_days << ") are re-authorized, "
            << (ctx.cfg.reauth.order == config::ReauthOrder::void_then_authorize ? "void_then_authorize"
                                                                                  : "authorize_then_void")
            << " (RA-3)\n";
        for (const auto& p : o.payments) {
            // As the store selects (RA-2): bad amounts are selected, to be reported as bad data.
            if (!p.is_card() || p.status != "authorized" || (p.bad_types.empty() && p.captured_cents == p.amount_cents))
                continue;
            auto at = parse_utc(p.authorized_at);
            if (at && *at > cutoff) {
                out << "  RA-2: payment " << p.id << " authorized at " << p.authorized_at << " is not old enough\n";
            } else {
                ra_selected = true;
                if (ctx.cfg.gateway.kind == config::GatewayKind::stripe && p.customer_ref.empty())
                    out << "  RA-3: payment " << p.id << " has no customer_ref: Stripe re-uses a saved card "
                           "off-session only with the Customer it is attached to, so nothing would be sent and "
                           "the order would go to [reauth] exception_status (card_not_reusable)\n";
            }
        }
        if (!ra_selected) out << "  RA-2: no authorization to re-authorize\n";
    }
    bool club_selected = false;
    if (o.is_club && o.status_id == settings->club_exception && o.status_id != settings->hold) {
        const domain::PaymentRow* p = most_recent_card(o);
        if (p == nullptr || p->status != "declined") {
            out << "  RA-5: club order in \"" << status << "\", but its most recent card payment is not declined\n";
        } else if (p->reauth_attempts >= ctx.cfg.orders.club_reauth_attempts) {
            out << "  RA-5: payment " << p->id << " was retried " << p->reauth_attempts
                << " times already ([orders] club_reauth_attempts = " << ctx.cfg.orders.club_reauth_attempts
                << "): no more retries\n";
        } else {
            const std::string& since_text = p->last_attempt_at.empty() ? p->created_at : p->last_attempt_at;
            auto since = parse_utc(since_text);
            if (since && ctx.now < *since + std::chrono::days(ctx.cfg.orders.club_reauth_interval_days)) {
                out << "  RA-5: payment " << p->id << " was last tried at " << since_text << "; the next retry is due "
                    << format_utc(*since + std::chrono::days(ctx.cfg.orders.club_reauth_interval_days)) << "\n";
            } else {
                out << "  RA-5: club order in \"" << status << "\" with declined payment " << p->id << " (attempts "
                    << p->reauth_attempts << " of " << ctx.cfg.orders.club_reauth_attempts << "): retry due\n";
                club_selected = true;
            }
        }
    } else if (o.is_club) {
        out << "  RA-5: club order not in [orders] club_cc_exception_status (\""
            << ctx.cfg.orders.club_cc_exception_status << "\")\n";
    }
    ReauthPlanner ra(ctx.cfg, *settings, ctx.now);
    ClubPlanner club(ctx.cfg, *settings, ctx.now);
    ReauthFollowUps follow_ups;
    payment_engine::explain_order(ctx, JobKind::reauth, *settings, payment_store, follow_ups, o, ra_selected, ra, out);
    if (club_selected)
        payment_engine::explain_order(ctx, JobKind::reauth, *settings, payment_store, follow_ups, o, true, club, out);
}

}  // namespace olmd::jobs::reauth

namespace olmd::jobs {

std::unique_ptr<Job> make_reauth_job() { return std::make_unique<reauth::ReauthJob>(); }

}  // namespace olmd::jobs
