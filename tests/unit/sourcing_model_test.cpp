// Issue 10, point 3: a model-based randomized test of sourcing (SRC-7..SRC-16, OPS-13).
//
// Each seed builds a random world (2-5 warehouses, some inactive, one sometimes blacklisted for
// eBay; stock, jit and drop-ship SKUs with limited vendor_stock and default vendors that are
// inactive or missing; gift certificates; kits mixing methods; random inventory and valid or
// invalid reservations) and a random config among split, kits_single_warehouse,
// ship_kits_complete, auto_backorder, auto_fulfill_backorders, jit/dropship stock_first and
// source_default_vendor, partial_shipping, exclude_drop_ship and the batch size (rule
// manual_priority, SRC-12 off). It then runs sourcing several times with back-office moves in
// between (stock received, shipments leaving with on_hand/allocated decremented, warehouses
// deactivated, queue lines placed as purchase orders, new orders). Before every run the database is
// read into plain structs and decided by the reference (sourcing_reference.cpp, from rules.md);
// after it, store::audit (instance_running = true) plus OPS-13's ship_kits_complete invariant must
// be clean and every order must agree with the reference: status, the reason where the spec fixes
// it, each physical line's allocation units by kind and warehouse/vendor, and its queue units.
//
// Bounded variant (normal suite): seeds 1..20, 3 runs of 10 new orders each.
// Long variant:  OLMD_MODEL_SEEDS=2000 ./build/tests/olmd_tests --gtest_filter='*Model*Long*'
//   (OLMD_MODEL_FIRST_SEED=N starts at seed N). A failure prints the seed, the run, the order
//   and both results; re-run one seed with OLMD_MODEL_FIRST_SEED=<seed> OLMD_MODEL_SEEDS=1.
#include <cstdlib>
#include <random>

#include "olmd/store/audit.hpp"
#include "unit/sourcing_fixture.hpp"
#include "unit/sourcing_reference.hpp"

namespace olmd::test {
namespace {

/// Named skips of single comparisons where the job and the spec's text disagreed. The six found by this
/// test (SRC14-recompute-without-fill, SRC16-order-with-unsourced-units, SRC8-split-false-kit-at-reserved-
/// warehouse, SRC14-kits-single-warehouse-with-split, SRC14-split-false-kit-filled-away-from-order-warehouse,
/// SRC7-kit-incomplete-without-any-warehouse) were fixed in the job and their skips removed.
/// A reason starting "SKIP:" is still honoured unless OLMD_MODEL_NO_SKIPS=1, for the next disagreement.
const bool kNamedSkips = std::getenv("OLMD_MODEL_NO_SKIPS") == nullptr;

struct Tally {
    int orders = 0, compared = 0, loose = 0, failures = 0;
    std::map<std::string, int> skips;  ///< named skip -> how many comparisons it left out
};

class ModelWorld : public SourcingWorld {
public:
    ModelWorld(std::uint64_t seed, Tally& tally) : seed_(seed), rng_(seed), tally_(tally) {}
    void TestBody() override {}

    void simulate(int runs, int orders_per_run) {
        build_catalog();
        for (int r = 0; r < runs; ++r) {
            if (r > 0) back_office();
            const int n = 1 + pick(orders_per_run);
            for (int i = 0; i < n; ++i) new_order();
            run_and_compare(r);
            if (tally_.failures > 5) return;
        }
    }

private:
    int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
    bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
    std::string idstr(std::int64_t v) { return std::to_string(v); }

    void build_catalog() {
        db.exec("INSERT INTO order_statuses (name) VALUES ('In Shipping Split')");
        cfg.sourcing.result.in_shipping_split = "In Shipping Split";
        auto& f = cfg.fulfillment;
        f.split = rc.split = chance(0.5);
        f.kits_single_warehouse = rc.kits_single_warehouse = chance(0.4);
        f.ship_kits_complete = rc.ship_kits_complete = chance(0.4);
        auto& s = cfg.sourcing;
        s.stock.auto_backorder = rc.auto_backorder = chance(0.8);
        s.stock.auto_fulfill_backorders = rc.auto_fulfill_backorders = chance(0.8);
        s.jit.stock_first = rc.jit_stock_first = chance(0.5);
        s.jit.source_default_vendor = rc.jit_default_vendor = chance(0.6);
        s.dropship.stock_first = rc.drop_stock_first = chance(0.5);
        s.dropship.source_default_vendor = rc.drop_default_vendor = chance(0.6);
        rc.partial = chance(0.5);
        s.partial_shipping = rc.partial ? config::PartialShipping::partial : config::PartialShipping::none;
        s.exclude_drop_ship = rc.exclude_drop_ship = chance(0.5);
        cfg.daemon.batch_size = std::vector<int>{2, 5, 500}[static_cast<std::size_t>(pick(3))];

        const int nw = 2 + pick(4);
        for (int i = 0; i < nw; ++i) whs_.push_back(warehouse("W" + idstr(i), pick(3), {}, {}, i == 0 || chance(0.8)));
        if (chance(0.5)) {
            const std::size_t b = static_cast<std::size_t>(pick(nw));
            config::FulfillmentConfig::ChannelOverride o;
            o.blacklisted_warehouses = {"W" + idstr(static_cast<std::int64_t>(b))};
            f.channel["eBay"] = o;
            rc.blacklisted["eBay"] = {whs_[b]};
        }
        const int nv = 1 + pick(3);
        for (int i = 0; i < nv; ++i) vendors_.push_back(vendor("V" + idstr(i), chance(0.75)));
        auto def_vendor = [&]() -> std::optional<std::int64_t> {
            if (chance(0.2)) return std::nullopt;
            return vendors_[static_cast<std::size_t>(pick(nv))];
        };
        for (int i = 0; i < 3; ++i) physical_.push_back(sku("S" + idstr(i)));
        for (int i = 0; i < 2; ++i) physical_.push_back(sku("J" + idstr(i), "product", "jit", def_vendor()));
        for (int i = 0; i < 2; ++i) physical_.push_back(sku("D" + idstr(i), "product", "dropship", def_vendor()));
        gift_ = sku("GC", "gift_certificate");
        for (auto w : whs_)
            for (auto k : physical_)
                if (chance(0.6)) stock(w, k, pick(5));
        for (auto v : vendors_)
            for (std::size_t k = 3; k < physical_.size(); ++k)
                if (chance(0.6)) vendor_stock(v, physical_[k], pick(4));
    }

    /// A reservation as the back office makes it (counted in allocated; the inventory row made if needed).
    void reserve_at(std::int64_t line_id, std::int64_t sku_id, std::int64_t wh, std::int64_t qty) {
        db.exec("INSERT OR IGNORE INTO inventory (warehouse_id, sku_id, on_hand, allocated) VALUES (" + idstr(wh) +
                ", " + idstr(sku_id) + ", 0, 0)");
        db.exec("UPDATE inventory SET on_hand = max(on_hand, allocated + " + idstr(qty) + ") WHERE warehouse_id = " +
                idstr(wh) + " AND sku_id = " + idstr(sku_id));
        reserve(line_id, wh, qty);
    }
    std::int64_t avail_at(std::int64_t wh, std::int64_t k) {
        return db.scalar("SELECT on_hand - allocated FROM inventory WHERE warehouse_id = " + idstr(wh) +
                         " AND sku_id = " + idstr(k));
    }
    bool usable_for(std::int64_t wh, const std::string& channel) {
        auto it = rc.blacklisted.find(channel);
        return db.scalar("SELECT active FROM warehouses WHERE id = " + idstr(wh)) == 1 &&
               !(it != rc.blacklisted.end() && it->second.count(wh));
    }
    void maybe_reserve(std::int64_t line_id, std::int64_t k, std::int64_t qty, const std::string& channel) {
        if (chance(0.2)) {  // valid: a usable warehouse with the units available
            const auto w = whs_[static_cast<std::size_t>(pick(static_cast<int>(whs_.size())))];
            const std::int64_t q = 1 + pick(static_cast<int>(qty));
            if (usable_for(w, channel) && avail_at(w, k) >= q) reserve(line_id, w, q);
        } else if (chance(0.04)) {  // invalid: more units than the line needs, or an inactive warehouse
            const auto w = whs_[static_cast<std::size_t>(pick(static_cast<int>(whs_.size())))];
            const bool active = db.scalar("SELECT active FROM warehouses WHERE id = " + idstr(w)) == 1;
            if (!active || usable_for(w, channel)) reserve_at(line_id, k, w, active ? qty + 1 : 1);
        }
    }

    void new_order() {
        ++orders_;
        SrcOrder o;
        o.number = "M" + idstr(orders_);
        o.channel = chance(0.6) ? "Website" : "eBay";
        const int secs = std::max(0, orders_ * 60 + pick(600) - 300);
        char buf[32];
        std::snprintf(buf, sizeof buf, "2026-11-20T%02d:%02d:%02dZ", secs / 3600, secs / 60 % 60, secs % 60);
        o.created_at = buf;
        const auto id = order(o);
        std::vector<std::int64_t> left = physical_;
        std::shuffle(left.begin(), left.end(), rng_);
        auto next = [&]() {
            const auto k = left.back();
            left.pop_back();
            return k;
        };
        auto qty_of = [&](std::int64_t k) { return 1 + pick(k == physical_[0] || k == physical_[1] || k == physical_[2] ? 3 : 2); };
        const int nlines = 1 + pick(4);
        for (int i = 0; i < nlines && !left.empty(); ++i) {
            if (chance(0.08)) {
                const auto g = line(id, gift_, 1);
                if (chance(0.1)) reserve_at(g, gift_, whs_[0], 1);  // invalid: a gift certificate line
            } else if (chance(0.3) && left.size() >= 2) {
                const auto k = sku("K" + idstr(++kits_), "kit");
                const auto kl = line(id, k, 1, 500);
                if (chance(0.05)) reserve_at(kl, k, whs_[0], 1);  // invalid: on the kit line itself
                const int parts = 2 + pick(std::min<int>(2, static_cast<int>(left.size()) - 1));
                for (int p = 0; p < parts; ++p) {
                    const auto c = next();
                    const auto q = qty_of(c);
                    maybe_reserve(line(id, c, q, 0, kl), c, q, o.channel);
                }
            } else {
                const auto k = next();
                const auto q = qty_of(k);
                maybe_reserve(line(id, k, q), k, q, o.channel);
            }
        }
    }

    void back_office() {
        for (int i = 1 + pick(4); i > 0; --i) {  // stock received
            const auto w = whs_[static_cast<std::size_t>(pick(static_cast<int>(whs_.size())))];
            const auto k = physical_[static_cast<std::size_t>(pick(static_cast<int>(physical_.size())))];
            db.exec("INSERT OR IGNORE INTO inventory (warehouse_id, sku_id, on_hand, allocated) VALUES (" + idstr(w) +
                    ", " + idstr(k) + ", 0, 0)");
            db.exec("UPDATE inventory SET on_hand = on_hand + " + idstr(1 + pick(3)) + " WHERE warehouse_id = " +
                    idstr(w) + " AND sku_id = " + idstr(k));
        }
        SQLite::Statement q(db.db().raw(), "SELECT id, order_id FROM shipments WHERE status = 'New'");
        std::vector<std::pair<std::int64_t, std::int64_t>> ship;
        while (q.executeStep())
            if (chance(0.4)) ship.emplace_back(q.getColumn(0).getInt64(), q.getColumn(1).getInt64());
        for (const auto& [s, o] : ship) {  // a shipment leaves: on_hand and allocated go down by its units
            db.exec("UPDATE shipments SET status = 'Shipped' WHERE id = " + idstr(s));
            db.exec("UPDATE inventory SET on_hand = on_hand - (SELECT sum(si.quantity) FROM shipment_items si JOIN "
                    "order_items i ON i.id = si.order_item_id WHERE si.shipment_id = " + idstr(s) +
                    " AND i.sku_id = inventory.sku_id), allocated = allocated - (SELECT sum(si.quantity) FROM "
                    "shipment_items si JOIN order_items i ON i.id = si.order_item_id WHERE si.shipment_id = " + idstr(s) +
                    " AND i.sku_id = inventory.sku_id) WHERE warehouse_id = (SELECT warehouse_id FROM shipments WHERE "
                    "id = " + idstr(s) + ") AND sku_id IN (SELECT i.sku_id FROM shipment_items si JOIN order_items i "
                    "ON i.id = si.order_item_id WHERE si.shipment_id = " + idstr(s) + ")");
            const bool all_left =
                db.scalar("SELECT count(*) FROM order_items i JOIN skus k ON k.id = i.sku_id WHERE i.order_id = " +
                          idstr(o) + " AND k.kind = 'product' AND i.quantity > coalesce((SELECT sum(si.quantity) "
                          "FROM shipment_items si JOIN shipments s ON s.id = si.shipment_id WHERE si.order_item_id = "
                          "i.id AND s.status <> 'New'), 0)") == 0;
            const std::string to = all_left ? "Shipped" : chance(0.5) ? "Partially Shipped" : "";
            if (!to.empty())
                db.exec("UPDATE orders SET status_id = " + idstr(db.status_id(to)) + " WHERE id = " + idstr(o));
        }
        if (chance(0.2)) {  // a warehouse is deactivated (one stays active)
            const auto w = whs_[static_cast<std::size_t>(pick(static_cast<int>(whs_.size())))];
            if (db.scalar("SELECT count(*) FROM warehouses WHERE active = 1 AND id <> " + idstr(w)) > 0)
                db.exec("UPDATE warehouses SET active = 0 WHERE id = " + idstr(w));
        }
        SQLite::Statement pq(db.db().raw(), "SELECT id FROM purchase_order_queue");
        std::vector<std::int64_t> placed;
        while (pq.executeStep())
            if (chance(0.3)) placed.push_back(pq.getColumn(0).getInt64());
        for (auto id : placed) db.exec("DELETE FROM purchase_order_queue WHERE id = " + idstr(id));
    }

    std::string audit_lines(const std::string& now) {
        store::AuditOptions opt;
        opt.now = *parse_utc(now);
        opt.instance_running = true;
        auto found = store::audit(db.db(), opt);
        std::string out;
        if (!found) return "audit failed: " + found.error().message + "\n";
        for (const auto& v : *found) out += store::to_line(v) + "\n";
        if (rc.ship_kits_complete) {  // OPS-13: no kit has some but not all of its component units in shipments
            SQLite::Statement q(db.db().raw(),
                                "SELECT k.id, sum(c.quantity), sum(coalesce((SELECT sum(si.quantity) FROM shipment_items "
                                "si WHERE si.order_item_id = c.id), 0)) FROM order_items k JOIN order_items c ON "
                                "c.parent_item_id = k.id GROUP BY k.id");
            while (q.executeStep())
                if (q.getColumn(2).getInt64() > 0 && q.getColumn(2).getInt64() < q.getColumn(1).getInt64())
                    out += "kit_partly_shipped: order_items.id=" + q.getColumn(0).getString() + ": " +
                           q.getColumn(2).getString() + " of " + q.getColumn(1).getString() + " units in shipments\n";
        }
        return out;
    }

    std::string config_text() const {
        return std::string("split=") + (rc.split ? "1" : "0") + " kits_single_warehouse=" + (rc.kits_single_warehouse ? "1" : "0") +
               " ship_kits_complete=" + (rc.ship_kits_complete ? "1" : "0") + " auto_backorder=" + (rc.auto_backorder ? "1" : "0") +
               " auto_fulfill_backorders=" + (rc.auto_fulfill_backorders ? "1" : "0") + " jit.stock_first=" +
               (rc.jit_stock_first ? "1" : "0") + " jit.source_default_vendor=" + (rc.jit_default_vendor ? "1" : "0") +
               " dropship.stock_first=" + (rc.drop_stock_first ? "1" : "0") + " dropship.source_default_vendor=" +
               (rc.drop_default_vendor ? "1" : "0") + " partial=" + (rc.partial ? "1" : "0") +
               " exclude_drop_ship=" + (rc.exclude_drop_ship ? "1" : "0") + " batch_size=" + std::to_string(cfg.daemon.batch_size);
    }

    static std::string vendors_text(const ref::World& w, std::int64_t k) {
        const auto& s = w.skus.at(k);
        if (s.method == "stock" || s.kind != "product") return "";
        std::string t = " [default vendor " + (s.default_vendor ? std::to_string(*s.default_vendor) : std::string("none"));
        for (const auto& [vid, v] : w.vendors) {
            const auto q = w.vendor_qty.find({vid, k});
            const auto u = w.queued.find({vid, k});
            t += "; v" + std::to_string(vid) + (v.active ? "" : " inactive") + " stock " +
                 (q == w.vendor_qty.end() ? std::string("-") : std::to_string(q->second)) + " queued " +
                 (u == w.queued.end() ? std::string("0") : std::to_string(u->second));
        }
        return t + "]";
    }
    std::string order_text(const ref::World& w, const ref::Order& o) const {
        std::string s = o.number + " (id " + std::to_string(o.id) + ", " + o.status + ", " + o.channel + ", " + o.created_at + ")";
        for (const auto& l : o.lines)
            s += "\n    line " + std::to_string(l.id) + " sku " + std::to_string(l.sku) + " " + w.skus.at(l.sku).kind + "/" +
                 w.skus.at(l.sku).method + " x" + std::to_string(l.qty) + (l.parent ? " in kit " + std::to_string(*l.parent) : "") +
                 ": " + ref::describe(ref::actual_allocs(w, o, l.id)) + vendors_text(w, l.sku);
        for (const auto& r : o.reservations)
            s += "\n    reservation " + std::to_string(r.id) + " line " + std::to_string(r.line) + " @" +
                 std::to_string(r.wh) + " x" + std::to_string(r.qty);
        return s;
    }

    void run_and_compare(int r) {
        const std::string now = "2026-11-22T1" + std::to_string(2 + r) + ":00:00Z";
        const ref::World before = ref::read_world(db.db().raw());
        const auto expect = ref::reference_run(before, rc);
        run(now);
        const std::int64_t this_run = run_id;
        const ref::World after = ref::read_world(db.db().raw());
        const std::string where = "seed " + std::to_string(seed_) + ", run " + std::to_string(r) + " (" + config_text() + ")";
        const std::string audit = audit_lines("2026-11-23T00:00:00Z");
        if (!audit.empty()) {
            ++tally_.failures;
            ADD_FAILURE() << where << ": OPS-13 audit violations after the run:\n" << audit;
        }
        for (std::size_t i = 0; i < after.orders.size(); ++i) {
            const ref::Order& o = after.orders[i];
            const ref::Order& b = before.orders[i];
            const ref::Expect& e = expect.at(o.id);
            ++tally_.orders;
            for (const auto& n : e.notes)
                if (n.rfind("SKIP:", 0) == 0) ++tally_.skips[n.substr(5)];
            if (e.loose) {
                ++tally_.loose;
                if (e.why_loose.rfind("SKIP:", 0) == 0) ++tally_.skips[e.why_loose.substr(5)];
                continue;
            }
            std::string diff;
            const std::string reason =
                db.text("SELECT reason FROM order_status_history WHERE order_id = " + std::to_string(o.id) +
                        " AND run_id = " + std::to_string(this_run) + " ORDER BY id DESC LIMIT 1");
            if (e.reason.rfind("SKIP:", 0) == 0 && kNamedSkips) {
                ++tally_.skips[e.reason.substr(5, e.reason.find(':', 5) - 5)];  // a named skip: status not compared
            } else {
                if (e.status && *e.status != o.status) diff += "  status: reference " + *e.status + ", job " + o.status + "\n";
                const bool prefix = !e.reason.empty() && e.reason.back() == ':';
                if (!e.reason.empty() && (prefix ? reason.rfind(e.reason, 0) != 0 : reason != e.reason))
                    diff += "  reason: reference " + e.reason + ", job " + reason + "\n";
            }
            for (const auto& [line, want] : e.lines) {
                const auto got = ref::actual_allocs(after, o, line);
                std::map<std::string, std::int64_t> want_total, got_total;
                std::set<std::string> wild;
                for (const auto& [k, n] : want) want_total[k.first] += n, k.second == -1 ? (void)wild.insert(k.first) : (void)0;
                for (const auto& [k, n] : got) got_total[k.first] += n;
                bool same = want_total == got_total;
                for (const auto& [k, n] : want)
                    if (same && !wild.count(k.first)) same = got.count(k) && got.at(k) == n;
                for (const auto& [k, n] : got)
                    if (same && !wild.count(k.first)) same = want.count(k) > 0;
                if (!same) diff += "  line " + std::to_string(line) + ": reference " + ref::describe(want) + "; job " + ref::describe(got) + "\n";
                const auto& m = before.skus.at(std::find_if(o.lines.begin(), o.lines.end(), [&](auto& l) { return l.id == line; })->sku).method;
                const auto wq = e.queue.count(line) ? e.queue.at(line) : 0;
                const auto gq = after.queue_by_line.count(line) ? after.queue_by_line.at(line) : 0;
                if (m != "stock" && wq != gq)
                    diff += "  line " + std::to_string(line) + " queue units: reference " + std::to_string(wq) + ", job " + std::to_string(gq) + "\n";
            }
            ++tally_.compared;
            if (diff.empty()) continue;
            ++tally_.failures;
            std::string notes;
            for (const auto& n : e.notes) notes += "    " + n + "\n";
            ADD_FAILURE() << where << ", order " << o.number << ":\n" << diff << "  before: " << order_text(before, b)
                          << "\n  after: " << order_text(after, o) << "\n  job reason: " << reason
                          << "\n  reference notes:\n" << notes;
            if (tally_.failures > 5) return;
        }
    }

    std::uint64_t seed_;
    std::mt19937_64 rng_;
    Tally& tally_;
    ref::Config rc;
    std::vector<std::int64_t> whs_, vendors_, physical_;
    std::int64_t gift_ = 0;
    int orders_ = 0, kits_ = 0;
};

void run_seeds(std::uint64_t first, std::uint64_t n, int runs, int orders_per_run) {
    Tally t;
    for (std::uint64_t s = first; s < first + n && t.failures <= 5; ++s) {
        ModelWorld w(s, t);
        w.simulate(runs, orders_per_run);
    }
    std::string skips;
    for (const auto& [k, v] : t.skips) skips += " " + k + "=" + std::to_string(v);
    std::printf("[model] seeds %llu..%llu: %d order results, %d compared, %d loose (not fixed by the spec), "
                "%d failures; named skips:%s\n",
                static_cast<unsigned long long>(first), static_cast<unsigned long long>(first + n - 1), t.orders,
                t.compared, t.loose, t.failures, skips.empty() ? " none" : skips.c_str());
}

class SourcingModel : public ::testing::TestWithParam<int> {};

TEST_P(SourcingModel, SRC7_To_SRC16_ModelAgreesWithTheReferenceAndAuditIsClean) {
    run_seeds(static_cast<std::uint64_t>(GetParam()), 1, 3, 10);
}

INSTANTIATE_TEST_SUITE_P(Seed, SourcingModel, ::testing::Range(1, 21));

TEST(SourcingModelLong, SRC7_To_SRC16_ModelAgreesWithTheReferenceAndAuditIsCleanLong) {
    const char* n = std::getenv("OLMD_MODEL_SEEDS");
    if (n == nullptr) GTEST_SKIP() << "set OLMD_MODEL_SEEDS=<count> (and optionally OLMD_MODEL_FIRST_SEED)";
    const char* f = std::getenv("OLMD_MODEL_FIRST_SEED");
    run_seeds(f ? std::strtoull(f, nullptr, 10) : 1000, std::strtoull(n, nullptr, 10), 4, 10);
}

}  // namespace
}  // namespace olmd::test
