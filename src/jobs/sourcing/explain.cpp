// `olmd explain` for the sourcing job: which pass selects the order (SRC-1 /
// SRC-14), the pre-check that applies, or for each unit where it would come
// from and why (the rule, every candidate warehouse ranked with its
// distance or availability, the vendor), and the resulting status (SRC-13)
// with what SRC-12 would authorize. Nothing is written; no gateway is called.
#include <algorithm>
#include <ostream>

#include "jobs/sourcing/run_state.hpp"
#include "olmd/jobs/sourcing/backorders.hpp"

namespace olmd::jobs::sourcing {

namespace {

bool contains(const std::vector<StatusId>& v, StatusId id) {
    return std::find(v.begin(), v.end(), id) != v.end();
}

std::string cents(std::int64_t c) {
    std::string f = std::to_string(c % 100);
    return std::to_string(c / 100) + "." + (f.size() < 2 ? "0" + f : f);
}

}  // namespace

void SourcingJob::explain(JobContext& ctx, const OrderRef& ref, std::ostream& out) {
    auto settings = resolve_settings(ctx.cfg, ctx.catalog);
    if (!settings) {
        out << "  cannot evaluate: " << settings.error().message << "\n";
        return;
    }
    auto repo = ctx.services.store.sourcing();
    if (!repo) {
        out << "  cannot evaluate: " << repo.error().message << "\n";
        return;
    }
    auto refdata = (*repo)->load_reference();
    if (!refdata) {
        out << "  cannot evaluate: " << refdata.error().message << "\n";
        return;
    }
    auto order = (*repo)->read_order(ref.id);
    if (!order || !*order) {
        out << "  cannot evaluate: " << (order ? std::string("the order is gone") : order.error().message)
            << "\n";
        return;
    }
    JobStats stats;
    JobContext dry = ctx;
    dry.dry_run = true;
    dry.out = nullptr;
    auto writer = sourcing_writer(dry);
    if (!writer) {
        out << "  cannot evaluate: " << writer.error().message << "\n";
        return;
    }
    RunState rs(dry, stats, std::move(*settings), std::move(*refdata), std::move(*repo), std::move(*writer));
    const SourcingOrder& o = **order;
    const std::string status = "\"" + ctx.catalog.statuses.name(o.status_id) + "\"";

    Pass pass = Pass::main;
    if (rs.settings.hold != 0 && o.status_id == rs.settings.hold) {
        out << "  SRC-1: not selected: status " << status << " is the [orders] hold_status\n";
    } else if (contains(rs.settings.statuses, o.status_id)) {
        out << "  SRC-1: selected (status " << status << " is in [sourcing] statuses)\n";
    } else if (contains(rs.settings.backorder_statuses, o.status_id) && has_backorders(o)) {
        pass = Pass::backorders;
        out << "  SRC-14: visited (status " << status << " and the order holds backordered units; "
            << "stock.auto_fulfill_backorders = true)\n";
    } else {
        out << "  SRC-1: not selected: status " << status << " is not in [sourcing] statuses\n"
            << "  (what follows is what the order would get if it were selected)\n";
    }

    if (!rs.load_stock({o})) {
        out << "  cannot evaluate: " << stats.failure << "\n";
        return;
    }
    Trace trace;
    auto d = rs.decide(o, pass, &trace);
    if (!d) {
        out << "  cannot evaluate: " << d.error().message << "\n";
        return;
    }
    for (const std::string& line : trace) out << "  " << line << "\n";
    auto name = [&](StatusId id) { return "\"" + ctx.catalog.statuses.name(id) + "\""; };
    if (d->precheck) {
        const CheckResult& c = *d->precheck;
        out << "  " << c.rule << " applies: " << c.why << " -> " << name(c.to) << ", reason " << c.reason
            << (c.bad_data ? " ([sourcing.result] exception)" : "") << "\n";
        return;
    }
    const UnitCounts& u = d->counts;
    if (pass == Pass::backorders && d->plan.empty() && !d->to) {
        out << "  SRC-14: " << d->choice.why << "\n";
        return;
    }
    if (pass == Pass::backorders && d->plan.empty())
        out << "  SRC-14: nothing can be filled now; the status is recomputed by SRC-13\n";
    out << "  units: " << u.physical << " physical, " << u.assigned << " assigned, " << u.waiting
        << " backordered or on the PO queue, " << u.dropship << " drop-ship, " << u.unsourced
        << " unsourced; " << u.shipments << " New shipment(s) from " << u.shipment_warehouses
        << " warehouse(s)\n";
    if (d->choice.in_shipping && rs.settings.rts_auth) {
        const ReadyToShip& r = d->rts;
        out << "  SRC-12: ready " << cents(r.ready) << " (New shipments" << (o.any_shipment_left ? "" : " + charges")
            << "), spent " << cents(r.spent) << " (shipments that left" << (o.any_shipment_left ? " + charges" : "")
            << "), charges " << cents(r.charges) << " (grand total beyond the lines: tax, shipping), covered "
            << cents(r.covered) << " (paid " << cents(d->payments.paid_cents) << " + authorizations still valid "
            << cents(d->payments.valid_open_auth_cents) << " of " << cents(d->payments.open_auth_cents)
            << " open, less spent)";
        if (d->auth_needed_cents > 0)
            out << ": would authorize " << cents(d->auth_needed_cents) << " on the most recent live card payment"
                << (d->payments.card_payment_id ? "" : " (the order has none: it would be declined)") << "\n";
        else
            out << ": nothing to authorize\n";
    }
    if (!d->to) {
        out << "  SRC-13: no change (" << d->choice.why << ")\n";
    } else if (*d->to == o.status_id) {
        out << "  SRC-13: " << d->choice.why << ": no change, the order is already in " << name(*d->to)
            << "\n";
    } else {
        out << "  SRC-13: " << d->choice.why << " -> would change status " << status << " -> " << name(*d->to)
            << ", reason " << d->reason << "\n";
    }
}

}  // namespace olmd::jobs::sourcing
