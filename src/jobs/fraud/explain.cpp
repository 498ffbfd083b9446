// `olmd explain` for the fraud job: FR-1 selection, every enabled test with the
// values it compared, and FR-11's resulting status and reason. Nothing is
// written and no remote service is called (a local .mmdb is read).
#include <ostream>

#include "olmd/jobs/fraud/fraud_job.hpp"
#include "olmd/jobs/fraud/selection.hpp"
#include "olmd/jobs/fraud/verdict.hpp"

namespace olmd::jobs::fraud {

namespace {

void explain_selection(const JobContext& ctx, const Selection& s, const FraudOrder& o, std::ostream& out) {
    const auto& names = ctx.catalog;
    const std::string status = "\"" + names.statuses.name(o.status_id) + "\"";
    const std::string channel = "\"" + names.channels.name(o.channel_id) + "\"";
    switch (select_order(s, o.status_id, o.channel_id)) {
        case SelectOutcome::selected:
            out << "  FR-1: selected (status " << status << " is in [fraud] statuses; channel " << channel
                << (s.filter.channels.empty() ? ": [fraud] channels is empty = every channel)\n"
                                              : " is in [fraud] channels)\n");
            return;
        case SelectOutcome::hold_status:
            out << "  FR-1: not selected: status " << status << " is the [orders] hold_status\n";
            break;
        case SelectOutcome::status_not_listed:
            out << "  FR-1: not selected: status " << status << " is not in [fraud] statuses\n";
            break;
        case SelectOutcome::channel_not_listed:
            out << "  FR-1: not selected: channel " << channel << " is not in [fraud] channels\n";
            break;
    }
    out << "  (the tests below show what the order would get if it were selected)\n";
}

void explain_result(const JobContext& ctx, const OrderDecision& d, const FraudOrder& o, std::ostream& out) {
    if (d.deferred) {
        out << "  FR-11: deferred: the order is left as it is and tried again next run (FR-7)\n";
        return;
    }
    if (!d.to) return;
    const std::string to = ctx.catalog.statuses.name(*d.to);
    if (*d.to == o.status_id)
        out << "  FR-11: no change: the order is already in \"" << to << "\" (reason " << d.reason << ")\n";
    else
        out << "  FR-11: would change status \"" << ctx.catalog.statuses.name(o.status_id) << "\" -> \"" << to
            << "\", reason " << d.reason << (d.bad_data ? " (bad data: [orders] non_compliant_status)" : "") << "\n";
}

}  // namespace

void FraudJob::explain(JobContext& ctx, const OrderRef& ref, std::ostream& out) {
    auto selection = resolve_selection(ctx.cfg, ctx.catalog);
    if (!selection) {
        out << "  cannot evaluate: " << selection.error().message << "\n";
        return;
    }
    auto statuses = ResultStatuses::resolve(ctx.cfg, ctx.catalog);
    if (!statuses) {
        out << "  cannot evaluate: " << statuses.error().message << "\n";
        return;
    }
    auto order = ctx.services.store.fraud_order(ref.id);
    if (!order || !*order) {
        out << "  cannot read the order: " << (order ? "it is gone" : order.error().message) << "\n";
        return;
    }
    const FraudOrder& o = **order;
    explain_selection(ctx, *selection, o, out);

    const Rules rules = Rules::from_config(ctx.cfg.fraud);
    domain::GeoLocator* locator = nullptr;
    if (rules.on(TestId::ip_address) && ctx.cfg.fraud.ip_address.service == config::IpService::mmdb) {
        auto made = ctx.services.locator();
        if (made) locator = *made;
        else out << "  FR-7: " << made.error().message << "\n";
    }
    const Evaluation e = evaluate(o, rules, locator, true);
    if (e.problem) out << "  bad data: " << e.problem.detail << " (reason bad_data:" << e.problem.field << ")\n";
    bool any = false;
    for (int i = 0; i < kTestCount; ++i) {
        const auto t = static_cast<TestId>(i);
        if (!e.ran[static_cast<std::size_t>(i)]) continue;
        any = true;
        const TestResult& r = e.at(t);
        out << "  " << test_rule(t) << " " << test_name(t) << ": " << outcome_name(r.outcome);
        if (!r.compared.empty()) out << " - " << r.compared;
        out << "\n";
    }
    if (!any) out << "  no fraud test is enabled: every selected order passes\n";
    if (!locator && e.is(TestId::ip_address, Outcome::deferred)) {
        // A web service is not called from explain: show what the other tests decide.
        out << "  FR-11: depends on FR-7 (the web service is not called by explain); if ip_address passes:\n";
        Evaluation without_ip = e;
        without_ip.ran[static_cast<std::size_t>(TestId::ip_address)] = false;
        explain_result(ctx, decide(without_ip, *statuses), o, out);
        return;
    }
    explain_result(ctx, decide(e, *statuses), o, out);
}

}  // namespace olmd::jobs::fraud
