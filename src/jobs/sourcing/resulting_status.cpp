// SRC-13: the status an order gets from the state of all its units.
#include "olmd/jobs/sourcing/resulting_status.hpp"

#include <map>

#include "olmd/jobs/sourcing/kits.hpp"
#include "olmd/jobs/sourcing/shipments.hpp"

namespace olmd::jobs::sourcing {

UnitCounts count_units(const SourcingOrder& o, const Plan& plan, const ReferenceData& ref) {
    UnitCounts c;
    std::map<RowId, std::int64_t> covered;  // physical line -> units with an allocation
    for (const OrderLine& l : o.lines)
        if (is_physical(l, ref)) {
            c.physical += l.quantity;
            covered[l.id] = 0;
        }
    auto count = [&](RowId line, AllocKind kind, std::int64_t n) {
        auto it = covered.find(line);
        if (it == covered.end()) return;
        it->second += n;
        switch (kind) {
            case AllocKind::assigned:
                c.assigned += n;
                break;
            case AllocKind::backordered:
            case AllocKind::po_queue:
                c.waiting += n;
                break;
            case AllocKind::dropship:
                c.dropship += n;
                break;
        }
    };
    for (const Allocation& a : o.allocations) count(a.line_id, a.kind, a.quantity);
    for (const AssignStep& a : plan.assigns) {
        count(a.line_id, AllocKind::assigned, a.quantity);
        if (a.backorder_id) count(a.line_id, a.from_kind, -a.quantity);  // the filled allocation shrinks
    }
    for (const ReleaseStep& r : plan.releases) count(r.line_id, r.kind, -r.quantity);
    for (const BackorderStep& b : plan.backorders) count(b.line_id, AllocKind::backordered, b.quantity);
    for (const QueueStep& q : plan.queued)
        count(q.line_id, q.method == Method::dropship ? AllocKind::dropship : AllocKind::po_queue,
              q.quantity);
    for (const OrderLine& l : o.lines) {
        auto it = covered.find(l.id);
        if (it != covered.end() && it->second < l.quantity) c.unsourced += l.quantity - it->second;
    }
    c.kit_incomplete = !plan.incomplete_kits.empty();
    c.shipments = new_shipment_count(o, plan);
    c.shipment_warehouses = static_cast<int>(shipment_warehouses(o, plan).size());
    return c;
}

StatusChoice resulting_status(const UnitCounts& c, const SourcingOrder& o, const Settings& s, bool with_why) {
    // The explanation is only written out for explain and dry runs.
    auto why = [&](const char* policy, const char* tail = "") {
        if (!with_why) return std::string();
        return std::string(policy) + std::to_string(c.shipments) + " New shipment(s), " +
               std::to_string(c.waiting) + " waiting, " + std::to_string(c.dropship) + " drop-ship" + tail;
    };
    auto in_shipping = [&](std::string because) {
        const bool split = c.shipment_warehouses > 1;
        if (split && with_why) because += "; shipments from more than one warehouse";
        return StatusChoice{split ? s.in_shipping_split : s.in_shipping,
                            split ? "in_shipping_split" : "in_shipping", true, std::move(because)};
    };
    if (c.physical == 0)
        return StatusChoice{s.requires_manual_sourcing, "nothing_to_source", false,
                            "no unit needs inventory"};
    if (c.unsourced > 0)
        return StatusChoice{
            s.requires_manual_sourcing, c.kit_incomplete ? "kit_incomplete" : "unsourced", false,
            with_why ? std::to_string(c.unsourced) + " unit(s) have no allocation" +
                           (c.kit_incomplete ? " (a kit that cannot ship complete)" : "")
                     : std::string()};
    if (s.partial_shipping == config::PartialShipping::partial) {
        if (c.shipments >= 1) return in_shipping(why("partial shipping: "));
        if (c.waiting > 0)
            return StatusChoice{s.awaiting_inventory, "awaiting_inventory", false, why("partial shipping: ")};
        if (c.dropship > 0)
            return StatusChoice{s.awaiting_dropship, "awaiting_dropship", false, why("partial shipping: ")};
    } else {
        if (c.shipments >= 1 && c.waiting == 0 && (c.dropship == 0 || s.exclude_drop_ship))
            return in_shipping(why("no partial shipping: ", c.dropship > 0 ? " (exclude_drop_ship)" : ""));
        if (c.waiting > 0) {
            if (s.partially_shipped && o.status_id == *s.partially_shipped)
                return StatusChoice{
                    std::nullopt, "", false,
                    why("no partial shipping: ", "; the order is partially shipped and keeps its status")};
            return StatusChoice{s.awaiting_inventory, "awaiting_inventory", false,
                                why("no partial shipping: ")};
        }
        if (c.dropship > 0)
            return StatusChoice{s.awaiting_dropship, "awaiting_dropship", false,
                                why("no partial shipping: ")};
    }
    return StatusChoice{std::nullopt, "", false,
                        "every unit is allocated and nothing is waiting or in a New shipment"};
}

}  // namespace olmd::jobs::sourcing
