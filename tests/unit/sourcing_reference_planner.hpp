#pragma once
// The sourcing reference's planner (sourcing_reference.hpp): one order being decided by
// rules.md, its allocations as they will be after the run. The helpers every step uses
// (SRC-8 ranking, taking stock, SRC-9 vendors, kit groups, reservations) are here; the steps
// are in sourcing_reference_new_units.cpp (SRC-7..SRC-11: an order's new units, kits
// complete or not) and sourcing_reference_backorders.cpp (SRC-14 and SRC-16: waiting units
// filled; SRC-13: the resulting status); sourcing_reference.cpp reads the database and runs
// the planner over every order.

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "unit/sourcing_reference.hpp"

namespace olmd::test::ref::detail {

inline const std::string kRts = "Ready to Source", kIs = "In Shipping", kIss = "In Shipping Split",
                  kAi = "Awaiting Inventory", kAd = "Awaiting Drop-ship Confirmation",
                  kRms = "Requires Manual Sourcing", kExc = "Inv. Automation Exceptions", kPs = "Partially Shipped";


/// Units per SKU.
using Units = std::map<Id, std::int64_t>;

/// One order being decided: its allocations as they will be after the run.
struct Planner {
    World& w;
    const Config& cfg;
    const Order& o;
    Expect& e;
    std::vector<Alloc> allocs;        ///< current + planned (planned ones have id 0)
    std::set<Id> new_assigned_at;     ///< warehouses of this run's assignments (SRC-11 new shipments)
    std::set<Id> incomplete_kits;     ///< SRC-7 kit_incomplete
    std::set<Id> consumed;            ///< reservations consumed

    const Sku& sku_of(const Line& l) const { return w.skus.at(l.sku); }
    bool physical(const Line& l) const { return sku_of(l).kind == "product"; }
    const Warehouse* wh(Id id) const {
        for (const Warehouse& x : w.warehouses)
            if (x.id == id) return &x;
        return nullptr;
    }
    // SRC-8: inactive warehouses and the channel's blacklisted_warehouses are never used;
    // manual_priority: priority ascending, ties by id.
    bool usable(Id id) const {
        const Warehouse* x = wh(id);
        auto it = cfg.blacklisted.find(o.channel);
        return x && x->active && !(it != cfg.blacklisted.end() && it->second.count(id));
    }
    std::vector<Id> ranked() const {
        std::vector<const Warehouse*> v;
        for (const Warehouse& x : w.warehouses)
            if (usable(x.id)) v.push_back(&x);
        std::sort(v.begin(), v.end(), [](auto* a, auto* b) {
            return a->priority != b->priority ? a->priority < b->priority : a->id < b->id;
        });
        std::vector<Id> out;
        for (auto* x : v) out.push_back(x->id);
        return out;
    }
    std::int64_t& avail(Id wh_id, Id sku) { return w.available[{wh_id, sku}]; }
    bool can_assign(Id wh_id, const Units& u) {
        for (const auto& [s, n] : u)
            if (avail(wh_id, s) < n) return false;
        return true;
    }
    void note(const std::string& s) { e.notes.push_back(s); }
    void loose(const std::string& why) {
        if (!e.loose) e.why_loose = why;
        e.loose = true;
    }
    void add(Id line, const std::string& kind, std::int64_t n, std::optional<Id> where, std::optional<Id> vendor = {}) {
        if (n <= 0) return;
        allocs.push_back(Alloc{0, line, kind, n, where, vendor, std::nullopt});
        if (kind == "assigned") new_assigned_at.insert(*where);
    }
    /// SRC-10: takes up to n units of a line's SKU from `from` in order; returns what is left.
    std::int64_t take(const Line& l, std::int64_t n, const std::vector<Id>& from) {
        for (Id x : from) {
            const std::int64_t a = std::min(n, std::max<std::int64_t>(0, avail(x, l.sku)));
            if (a <= 0) continue;
            avail(x, l.sku) -= a;
            add(l.id, "assigned", a, x);
            n -= a;
        }
        return n;
    }
    /// SRC-9: the default vendor first if it qualifies, then by vendor id; else source_default_vendor.
    void to_vendor(const Line& l, std::int64_t n) {
        if (n <= 0) return;
        const Sku& s = sku_of(l);
        const bool drop = s.method == "dropship";
        auto vavail = [&](Id v) { return w.vendor_qty[{v, s.id}] - w.queued[{v, s.id}]; };
        std::optional<Id> pick;
        if (s.default_vendor && w.vendors.count(*s.default_vendor) && w.vendors.at(*s.default_vendor).active &&
            w.vendor_qty.count({*s.default_vendor, s.id}) && vavail(*s.default_vendor) >= n)
            pick = s.default_vendor;
        for (const auto& [vid, v] : w.vendors)
            if (!pick && v.active && w.vendor_qty.count({vid, s.id}) && vavail(vid) >= n) pick = vid;
        const bool use_default = drop ? cfg.drop_default_vendor : cfg.jit_default_vendor;
        if (!pick && use_default && s.default_vendor && w.vendors.count(*s.default_vendor) &&
            w.vendors.at(*s.default_vendor).active)
            pick = s.default_vendor;
        if (!pick) return note("line " + std::to_string(l.id) + ": no vendor, unsourced");
        w.queued[{*pick, s.id}] += n;
        e.queue[l.id] += n;
        add(l.id, drop ? "dropship" : "po_queue", n, std::nullopt, pick);
    }
    bool from_stock_first(const Sku& s) const {
        return s.method == "stock" || (s.method == "jit" ? cfg.jit_stock_first : cfg.drop_stock_first);
    }
    std::vector<const Line*> group_lines(const Line& top) const {
        std::vector<const Line*> g;
        if (sku_of(top).kind == "kit") {
            for (const Line& c : o.lines)
                if (c.parent == top.id && physical(c)) g.push_back(&c);
        } else if (physical(top)) {
            g.push_back(&top);
        }
        return g;
    }
    std::int64_t reserved(const Line& l) const {
        std::int64_t n = 0;
        for (const Reservation& r : o.reservations)
            if (r.line == l.id) n += r.qty;
        return n;
    }
    /// SRC-8 split = false: the first warehouse holding a reservation of the order that can assign every
    /// remaining stock unit, else the first-ranked that can assign every stock unit, else the first-ranked.
    /// "stock unit" is read three ways (stock-method SKUs; + stock_first jit/dropship; + ship_kits_complete
    /// drop-ship kit components): when the readings choose differently the spec does not fix the warehouse.
    std::optional<Id> choose_one(const std::vector<const Line*>& lines, const std::vector<Id>& reserved_at,
                                 const std::string& what, bool* ambiguous) {
        const auto r = ranked();
        std::optional<Id> got[3];
        for (int reading = 0; reading < 3; ++reading) {
            Units u;
            for (const Line* l : lines) {
                const Sku& s = sku_of(*l);
                const bool kit_drop = cfg.ship_kits_complete && l->parent && s.method == "dropship";
                const bool counts = s.method == "stock" || (reading >= 1 && from_stock_first(s)) ||
                                    (reading == 2 && kit_drop);
                if (counts) u[l->sku] += l->qty - reserved(*l);
            }
            int qualifying_reserved = 0;
            for (Id x : r)
                if (std::count(reserved_at.begin(), reserved_at.end(), x) && can_assign(x, u)) {
                    if (!got[reading]) got[reading] = x;
                    ++qualifying_reserved;
                }
            if (qualifying_reserved > 1) *ambiguous = true;  // "first": by rank or by reservation?
            for (Id x : r)
                if (!got[reading] && can_assign(x, u)) got[reading] = x;
            if (!got[reading] && !r.empty()) got[reading] = r.front();
        }
        if (got[0] != got[1] || got[1] != got[2]) *ambiguous = true;
        note(what + ": " + (got[1] ? std::to_string(*got[1]) : std::string("none")));
        return got[1];
    }
    /// SRC-14: a jit unit assigned from stock shrinks its queue line (if not yet placed), freeing vendor units.
    void shrink_queue(const Alloc& a, Id sku, std::int64_t n) {
        const std::int64_t s = std::min(n, e.queue[a.line]);
        e.queue[a.line] -= s;
        w.queued[{*a.vendor, sku}] -= s;
    }
    void source_new();
    void source_complete_kit(const Line& kit, const std::vector<const Line*>& g, std::optional<Id> home);
    void fill_backorders();
    void finish(bool src14, bool changed);
};

}  // namespace olmd::test::ref::detail
