// One order through SRC-2..SRC-14 without writing.
#include "olmd/jobs/sourcing/decide_order.hpp"

#include "olmd/jobs/sourcing/backorders.hpp"
#include "olmd/jobs/sourcing/kits.hpp"
#include "olmd/jobs/sourcing/ready_to_ship.hpp"

namespace olmd::jobs::sourcing {

bool dropship_follow_up(const SourcingOrder& o, const Settings& s, const ReferenceData& ref) {
    // SRC-16: exclude_drop_ship, every shipment has left, and only drop-ship units are open
    // (no backordered, queued jit, unassigned or unsourced unit).
    if (!s.exclude_drop_ship || !o.new_shipments.empty() || !o.any_shipment_left) return false;
    for (const OrderLine& l : o.lines)
        if (is_physical(l, ref) && uncovered_units(o, l) > 0) return false;
    bool dropship = false;
    for (const Allocation& a : o.allocations) {
        if (a.kind == AllocKind::backordered || a.kind == AllocKind::po_queue) return false;
        if (a.kind == AllocKind::assigned && !a.shipment_id) return false;
        dropship = dropship || a.kind == AllocKind::dropship;
    }
    return dropship;
}

namespace {

SourcingDecision& bad_decision(SourcingDecision& d, CheckResult c) {
    d.to = c.to;
    d.reason = c.reason;
    d.bad_data = true;
    d.precheck = std::move(c);
    return d;
}

}  // namespace

Result<SourcingDecision> decide_order(const SourcingOrder& o, Pass pass, PlanInput& in,
                                      const PaymentsFn& payments) {
    SourcingDecision d;
    const Settings& s = in.settings;
    if (pass == Pass::main) {
        auto check = run_prechecks(o, s, in.ref, payments, in.trace);
        if (!check) return check.error();
        if (*check) {
            d.to = (*check)->to;
            d.reason = (*check)->reason;
            d.bad_data = (*check)->bad_data;
            d.precheck = std::move(**check);
            return d;
        }
    } else if (BadData bad = order_bad_data(o, in.ref)) {
        return bad_decision(d, bad_data_result(s, bad));
    }
    // Shared rows (the ship ZIP's centroid under closest, inventory, vendor stock, warehouses,
    // vendors) that the order's open units would use.
    if (in.origin_bad) return bad_decision(d, bad_data_result(s, bad_data_of(in.origin_bad)));
    if (BadData bad = stock_bad_data(o, in.ref, in.stock, s)) return bad_decision(d, bad_data_result(s, bad));

    const StockMark mark = in.stock.mark();
    PlanOutcome out;
    fill_backorders(o, in, out);
    if (pass == Pass::main) source_units(o, in, out);
    if (!out.bad_data.empty()) {
        in.stock.undo_to(mark);
        d.to = s.exception;
        d.reason = out.bad_data;
        d.bad_data = true;
        d.precheck = CheckResult{s.exception, out.bad_data, "bad data", "the order cannot be sourced", true};
        return d;
    }
    d.plan = std::move(out.plan);
    // SRC-14 recomputes the status by SRC-13 on every visit, whether or not anything was filled;
    // SRC-16 visits only orders whose sole open units are drop-ship ones. Others are not visited.
    if (pass == Pass::backorders && !has_backorders(o) && !dropship_follow_up(o, s, in.ref)) {
        d.choice.why = "neither waiting units (SRC-14) nor a drop-ship follow-up (SRC-16): not visited";
        return d;
    }
    d.counts = count_units(o, d.plan, in.ref);
    d.choice = resulting_status(d.counts, o, s, in.trace != nullptr);
    d.to = d.choice.to;
    d.reason = d.choice.reason;
    if (d.choice.in_shipping && s.rts_auth) {
        auto p = payments(o.id);
        if (!p) return p.error();
        if (p->bad) {  // SRC-12 cannot judge what the payments cover: nothing of the plan is kept
            in.stock.undo_to(mark);
            d = SourcingDecision{};
            return bad_decision(d, bad_data_result(s, bad_data_of(p->bad)));
        }
        d.payments = *p;
        d.rts = ready_to_ship(o, d.plan, in.ref, d.payments);
        d.ready_cents = d.rts.ready;
        d.auth_needed_cents = d.rts.needed;
    }
    return d;
}

}  // namespace olmd::jobs::sourcing
