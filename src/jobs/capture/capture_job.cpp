// The capture job: CAP-2/CAP-3 selection in the store, CAP-4..CAP-6 decisions in
// the planner, requests, journal and outcomes through the payment engine (CAP-7, OPS-6).
#include "olmd/jobs/capture/capture_job.hpp"

#include <algorithm>

#include "olmd/jobs/capture/follow_ups.hpp"

namespace olmd::jobs::capture {

using payment_engine::OrderState;
using payment_engine::Step;

namespace {

Step exception(const payment_engine::Settings& s, RowId payment, std::string reason, std::string rule, bool bad) {
    Step st;
    st.kind = Step::Kind::transition;
    st.payment_id = payment;
    st.to = s.capture_exception;
    st.reason = std::move(reason);
    st.rule = std::move(rule);
    st.bad_data = bad;
    return st;
}

domain::CaptureFilter filter_of(const config::Config& cfg, const payment_engine::Settings& s) {
    domain::CaptureFilter f;
    f.statuses = s.capture_statuses;
    f.hold_status = s.hold;
    f.only_fully_shipped = cfg.capture.available_when == config::AvailableWhen::order_fully_shipped;
    f.fully_shipped_status = s.fully_shipped;
    f.delayed_on_creation = cfg.capture.delayed_delivery_on_creation;
    return f;
}

std::string on_payment(const char* column, RowId id) {
    return std::string("bad_data:payments.") + column + ":payments.id=" + std::to_string(id);
}

}  // namespace

bool CapturePlanner::available(const domain::PaymentOrder& o) const {
    // CAP-3: delayed-delivery orders follow delayed_delivery_on_creation whatever available_when says.
    const bool shipped = s_.fully_shipped != 0 && o.status_id == s_.fully_shipped;
    if (o.is_delayed_delivery) return cfg_.capture.delayed_delivery_on_creation || shipped;
    return cfg_.capture.available_when == config::AvailableWhen::order_created || shipped;
}

std::optional<Step> CapturePlanner::plan(OrderState& s) {
    auto& o = s.order;
    for (const auto& p : o.payments) {
        if (p.unresolved_op) {
            Step d;
            d.kind = Step::Kind::defer;
            d.payment_id = p.id;
            d.rule = "CAP-7";
            return d;
        }
    }
    if (!s.handled.count(0)) {
        s.handled.insert(0);
        // Bad data (rules.md): money that cannot be interpreted never reaches the gateway.
        if (auto bad = payment_engine::money_problem(o, s_.known_statuses))
            return exception(s_, 0, "bad_data:" + bad.field, "bad data: " + bad.detail, true);
        // More money already taken than the order's total.
        if (o.paid_cents() > o.grand_total_cents)
            return exception(s_, 0, "bad_data:payments_exceed_total", "bad data", true);
    }
    if (s.order.status_id == s_.hold) return std::nullopt;
    if (!s_.capture_statuses.empty() &&
        std::find(s_.capture_statuses.begin(), s_.capture_statuses.end(), o.status_id) == s_.capture_statuses.end())
        return std::nullopt;  // CAP-2 (the selection already filters; a re-read may see another status)
    if (!available(o)) return std::nullopt;
    for (auto& p : o.payments) {
        if (!p.is_card() || p.status != "authorized" || s.handled.count(p.id)) continue;
        s.handled.insert(p.id);
        if (p.amount_cents <= 0) return exception(s_, p.id, on_payment("amount_cents", p.id), "bad data", true);
        if (p.uncaptured() <= 0) return exception(s_, p.id, on_payment("captured_cents", p.id), "bad data", true);
        if (p.gateway_ref.empty()) return exception(s_, p.id, on_payment("gateway_ref", p.id), "bad data", true);
        // CAP-4, on the order as read; the engine decides again on it under the write lock.
        if (p.uncaptured() > o.balance_due_cents())
            return exception(s_, p.id, "auth_exceeds_balance", "CAP-4", false);
        Step st;
        st.kind = Step::Kind::send;
        st.payment_id = p.id;
        st.purpose = payment_engine::Purpose::capture;
        st.amount = p.uncaptured();
        st.rule = "CAP-5";
        return st;
    }
    return std::nullopt;
}

void CaptureJob::run(JobContext& ctx, JobStats& stats) {
    auto settings = payment_engine::Settings::resolve(ctx.cfg, ctx.catalog, JobKind::capture);
    if (!settings) {
        stats.failure = settings.error().message;
        return;
    }
    auto store = ctx.services.store.payments();
    if (!store) {
        stats.failure = store.error().message;
        return;
    }
    const domain::CaptureFilter filter = filter_of(ctx.cfg, *settings);
    if (ctx.progress)
        if (auto n = (*store)->capture_count(filter)) ctx.progress->selected.store(*n, std::memory_order_relaxed);
    CapturePlanner planner(ctx.cfg, *settings);
    domain::PaymentRepository& st = **store;
    payment_engine::Pass pass{[&st, &filter](OrderId after, int limit) { return st.capture_orders(filter, after, limit); },
                        &planner};
    CaptureFollowUps follow_ups;
    payment_engine::run_job(ctx, stats, JobKind::capture, *settings, st, follow_ups, {pass});
}

void CaptureJob::explain(JobContext& ctx, const OrderRef& ref, std::ostream& out) {
    auto in = payment_engine::load_explain_inputs(ctx, JobKind::capture, ref, out);
    if (!in) return;
    const payment_engine::Settings* settings = &in->settings;
    domain::PaymentRepository& payment_store = *in->store;
    const auto& c = ctx.cfg.capture;
    const domain::PaymentOrder& o = in->order;
    const std::string status = ctx.catalog.statuses.name(o.status_id);
    bool selected = true;
    if (o.status_id == settings->hold) {
        out << "  not selected: the order is in the hold status (rules.md)\n";
        selected = false;
    } else if (settings->capture_statuses.empty()) {
        out << "  CAP-2: [capture] statuses is empty: any status qualifies (\"" << status << "\")\n";
    } else if (std::find(settings->capture_statuses.begin(), settings->capture_statuses.end(), o.status_id) ==
               settings->capture_statuses.end()) {
        out << "  CAP-2: not selected: status \"" << status << "\" is not in [capture] statuses\n";
        selected = false;
    } else {
        out << "  CAP-2: status \"" << status << "\" is in [capture] statuses\n";
    }
    if (selected) {
        const bool shipped = o.status_id == settings->fully_shipped && settings->fully_shipped != 0;
        if (o.is_delayed_delivery) {
            if (c.delayed_delivery_on_creation)
                out << "  CAP-3: a delayed-delivery order with delayed_delivery_on_creation = true: available on "
                       "creation\n";
            else if (shipped)
                out << "  CAP-3: a delayed-delivery order, now \"" << ctx.cfg.orders.fully_shipped_status
                    << "\": available\n";
            else {
                out << "  CAP-3: not available: a delayed-delivery order with delayed_delivery_on_creation = false "
                       "waits until it is \""
                    << ctx.cfg.orders.fully_shipped_status << "\" (whatever available_when says)\n";
                selected = false;
            }
        } else if (c.available_when == config::AvailableWhen::order_created) {
            out << "  CAP-3: available_when = \"order_created\": available\n";
        } else if (shipped) {
            out << "  CAP-3: available_when = \"order_fully_shipped\" and the order is \""
                << ctx.cfg.orders.fully_shipped_status << "\": available\n";
        } else {
            out << "  CAP-3: not available: available_when = \"order_fully_shipped\" and the order is not \""
                << ctx.cfg.orders.fully_shipped_status << "\"\n";
            selected = false;
        }
    }
    bool any = false;
    for (const auto& p : o.payments) any = any || (p.is_card() && p.status == "authorized");
    if (selected && !any) out << "  CAP-2: no authorized credit_card payment: nothing to capture\n";
    CapturePlanner planner(ctx.cfg, *settings);
    CaptureFollowUps follow_ups;
    payment_engine::explain_order(ctx, JobKind::capture, *settings, payment_store, follow_ups, o, selected && any,
                                  planner, out);
    if (!(selected && any)) return;
    // The paths the gateway's answer can take (README "Capture: what happens on each path").
    const bool reauth = c.reauthorize_on_failure;
    out << "  CAP-5: captured_cents becomes what the gateway reports received; if an earlier partial capture "
           "released the rest, what was received is recorded and the remainder "
        << (reauth ? "is authorized anew and captured" : "sends the order to exception_status (auth_released)")
        << "\n";
    out << "  CAP-6: a declined capture is voided at the gateway (no hold stays on the card), the payment becomes "
           "voided, then "
        << (reauth ? "a new authorization for the same amount is taken and captured (a decline: "
                     "reauth_capture_failed, club orders club_auth_declined)"
                   : "the order goes to exception_status (capture_declined)")
        << "\n";
    if (reauth && ctx.cfg.gateway.kind == config::GatewayKind::stripe)
        for (const auto& p : o.payments)
            if (p.is_card() && p.status == "authorized" && p.customer_ref.empty())
                out << "  CAP-6: payment " << p.id << " has no customer_ref: Stripe cannot re-use its card "
                       "off-session, so a re-authorization would not be sent (card_not_reusable)\n";
}

}  // namespace olmd::jobs::capture

namespace olmd::jobs {

std::unique_ptr<Job> make_capture_job() { return std::make_unique<capture::CaptureJob>(); }

}  // namespace olmd::jobs
