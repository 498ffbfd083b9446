// The in-memory sourcing ports (support/memory_sourcing.hpp) against the SQLite ones: the
// same random worlds (warehouses, some inactive; stock, jit, drop-ship, gift and kit SKUs;
// vendors with limited stock, some inactive; inventory; valid reservations; orders of one to
// four lines; a random sourcing config) are built in a SourcingWorld and a
// MemorySourcingWorld, the real sourcing job runs in both, stock arrives, new orders come and
// the job runs again; after every run both back offices must read the same: each order's
// status and reason, each line's allocations, the available units of every inventory row,
// each order's shipments and each line's queue units. The sourcing_memory_*_test files check
// the rules on the fake; this keeps the fake honest to the store across many combinations.
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "unit/sourcing_fixture.hpp"
#include "unit/sourcing_memory_fixture.hpp"

namespace olmd::test {
namespace {

/// A world to build in both back offices, by position (ids differ between them).
struct Scenario {
    struct Sku { std::string code, kind, method; int vendor = -1; };
    struct Line { int sku = 0; std::int64_t qty = 1; int parent = -1; int reserve_at = -1; std::int64_t reserve = 0; };
    struct Order { std::string number, channel; std::vector<Line> lines; };
    std::vector<std::pair<std::string, int>> warehouses;  ///< name, priority
    std::vector<bool> warehouse_active;
    std::vector<std::pair<std::string, bool>> vendors;     ///< name, active
    std::vector<Sku> skus;
    std::map<std::pair<int, int>, std::int64_t> stock;     ///< (warehouse, sku) -> on_hand
    std::map<std::pair<int, int>, std::int64_t> vendor_stock;
    std::vector<std::vector<Order>> orders_per_run;
    std::vector<std::map<std::pair<int, int>, std::int64_t>> received_before_run;  ///< units arriving
};

/// The ids one back office gave the scenario's rows.
struct Ids {
    std::vector<RowId> warehouses, vendors, skus;
    std::vector<std::pair<OrderId, std::vector<RowId>>> orders;  ///< order id, line ids
};

Scenario generate(std::uint64_t seed, config::Config& cfg) {
    std::mt19937_64 rng(seed);
    auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
    auto chance = [&](double p) { return std::bernoulli_distribution(p)(rng); };
    Scenario sc;
    auto& f = cfg.fulfillment;
    f.split = chance(0.5);
    f.kits_single_warehouse = chance(0.3);
    f.ship_kits_complete = chance(0.3);
    auto& s = cfg.sourcing;
    s.stock.auto_backorder = chance(0.8);
    s.stock.auto_fulfill_backorders = chance(0.8);
    s.jit.stock_first = chance(0.5);
    s.jit.source_default_vendor = chance(0.7);
    s.dropship.stock_first = chance(0.5);
    s.dropship.source_default_vendor = chance(0.7);
    s.partial_shipping = chance(0.5) ? config::PartialShipping::partial : config::PartialShipping::none;
    s.exclude_drop_ship = chance(0.4);
    cfg.daemon.batch_size = 1 + pick(4);

    const int nw = 2 + pick(3);
    for (int i = 0; i < nw; ++i) {
        sc.warehouses.emplace_back("W" + std::to_string(i), pick(3));
        sc.warehouse_active.push_back(i == 0 || chance(0.8));
    }
    for (int i = 0; i < 2; ++i) sc.vendors.emplace_back("V" + std::to_string(i), i == 0 || chance(0.7));
    const char* methods[] = {"stock", "stock", "stock", "jit", "dropship"};
    for (int i = 0; i < 6; ++i) {
        const std::string m = methods[pick(5)];
        sc.skus.push_back({"P" + std::to_string(i), "product", m, m == "stock" && chance(0.7) ? -1 : pick(2)});
    }
    sc.skus.push_back({"GC", "gift_certificate", "stock", -1});
    const int gift = static_cast<int>(sc.skus.size()) - 1;
    for (int w = 0; w < nw; ++w)
        for (int k = 0; k < 6; ++k)
            if (chance(0.6)) sc.stock[{w, k}] = pick(6);
    for (int v = 0; v < 2; ++v)
        for (int k = 0; k < 6; ++k)
            if (chance(0.5)) sc.vendor_stock[{v, k}] = pick(4);

    std::map<std::pair<int, int>, std::int64_t> reservable = sc.stock;  // what reservations may still take
    int number = 0, kits = 0;
    for (int run = 0; run < 3; ++run) {
        std::vector<Scenario::Order> orders;
        for (int n = 1 + pick(5); n > 0; --n) {
            Scenario::Order o{"O" + std::to_string(++number), chance(0.2) ? "POS" : "Website", {}};
            for (int l = 1 + pick(3); l > 0; --l) {
                if (chance(0.08)) {
                    o.lines.push_back({gift, 1});
                } else if (chance(0.25)) {
                    sc.skus.push_back({"K" + std::to_string(++kits), "kit", "stock", -1});
                    const int kit_line = static_cast<int>(o.lines.size());
                    o.lines.push_back({static_cast<int>(sc.skus.size()) - 1, 1});
                    const int first = pick(6);
                    for (int c = 0; c < 2; ++c) o.lines.push_back({(first + c) % 6, 1 + pick(2), kit_line});
                } else {
                    Scenario::Line line{pick(6), 1 + pick(3)};
                    const int w = pick(nw);
                    auto it = reservable.find({w, line.sku});
                    if (run == 0 && sc.warehouse_active[w] && sc.skus[line.sku].method == "stock" &&
                        it != reservable.end() && it->second > 0 && chance(0.2)) {
                        line.reserve_at = w;
                        line.reserve = std::min<std::int64_t>(it->second, line.qty);
                        it->second -= line.reserve;
                    }
                    o.lines.push_back(line);
                }
            }
            orders.push_back(o);
        }
        sc.orders_per_run.push_back(orders);
        std::map<std::pair<int, int>, std::int64_t> received;
        if (run > 0)
            for (int i = 1 + pick(3); i > 0; --i)
                if (auto it = sc.stock.begin(); !sc.stock.empty()) {
                    std::advance(it, pick(static_cast<int>(sc.stock.size())));
                    received[it->first] += 1 + pick(4);
                }
        sc.received_before_run.push_back(received);
    }
    return sc;
}

/// What one back office holds, by name and position: the thing both must agree on.
template <class World>
std::string readout(World& w, const Ids& ids, const Scenario& sc, int runs_done) {
    std::ostringstream s;
    for (std::size_t r = 0, o = 0; r < static_cast<std::size_t>(runs_done); ++r)
        for (const auto& spec : sc.orders_per_run[r]) {
            const auto& [oid, lines] = ids.orders[o++];
            s << spec.number << ": " << w.status(oid) << " (" << w.reason(oid) << ") shipments "
              << w.shipments(oid) << "\n";
            for (std::size_t l = 0; l < lines.size(); ++l)
                s << "  line " << l << ": " << w.allocs(lines[l]) << " | queue " << w.queued(lines[l]) << "\n";
        }
    for (const auto& [key, on_hand] : sc.stock)
        s << sc.warehouses[key.first].first << "/" << sc.skus[key.second].code << " available "
          << w.available(ids.warehouses[key.first], ids.skus[key.second]) << "\n";
    return s.str();
}

/// Builds the scenario's catalog in a world; returns the ids it gave.
template <class World>
Ids build(World& w, const Scenario& sc) {
    Ids ids;
    for (std::size_t i = 0; i < sc.warehouses.size(); ++i)
        ids.warehouses.push_back(w.warehouse(sc.warehouses[i].first, sc.warehouses[i].second, std::nullopt,
                                             std::nullopt, sc.warehouse_active[i]));
    for (const auto& [name, active] : sc.vendors) ids.vendors.push_back(w.vendor(name, active));
    return ids;
}

template <class World>
void add_skus(World& w, const Scenario& sc, Ids& ids) {
    while (ids.skus.size() < sc.skus.size()) {
        const auto& k = sc.skus[ids.skus.size()];
        ids.skus.push_back(w.sku(k.code, k.kind, k.method,
                                 k.vendor < 0 ? std::nullopt : std::optional<RowId>(ids.vendors[k.vendor])));
    }
}

template <class World>
void add_orders(World& w, const std::vector<Scenario::Order>& orders, Ids& ids) {
    for (const auto& spec : orders) {
        SrcOrder o;
        o.number = spec.number;
        o.channel = spec.channel;
        const OrderId id = w.order(o);
        std::vector<RowId> lines;
        for (const auto& l : spec.lines) {
            const std::optional<RowId> parent = l.parent < 0 ? std::nullopt : std::optional<RowId>(lines[l.parent]);
            lines.push_back(w.line(id, ids.skus[l.sku], l.qty, parent ? 0 : 1000, parent));
            if (l.reserve_at >= 0) w.reserve(lines.back(), ids.warehouses[l.reserve_at], l.reserve);
        }
        ids.orders.emplace_back(id, lines);
    }
}

struct SqlSide final : SourcingWorld {
    void TestBody() override {}
    using SourcingWorld::allocs, SourcingWorld::available, SourcingWorld::cfg, SourcingWorld::line,
        SourcingWorld::order, SourcingWorld::reason, SourcingWorld::reserve, SourcingWorld::run,
        SourcingWorld::sku, SourcingWorld::status, SourcingWorld::stock, SourcingWorld::vendor,
        SourcingWorld::vendor_stock, SourcingWorld::warehouse;
    std::int64_t shipments(OrderId id) { return count("shipments WHERE order_id = " + std::to_string(id)); }
    std::int64_t queued(RowId line) {
        return db.scalar("SELECT coalesce(sum(quantity), 0) FROM purchase_order_queue WHERE order_item_id = " +
                         std::to_string(line));
    }
    void receive(RowId wh, RowId sku, std::int64_t n) {
        db.exec("UPDATE inventory SET on_hand = on_hand + " + std::to_string(n) + " WHERE warehouse_id = " +
                std::to_string(wh) + " AND sku_id = " + std::to_string(sku));
    }
};

struct MemorySide final : MemorySourcingWorld {
    void TestBody() override {}
    using MemorySourcingWorld::allocs, MemorySourcingWorld::available, MemorySourcingWorld::cfg,
        MemorySourcingWorld::line, MemorySourcingWorld::order, MemorySourcingWorld::reason,
        MemorySourcingWorld::reserve, MemorySourcingWorld::run, MemorySourcingWorld::sku,
        MemorySourcingWorld::status, MemorySourcingWorld::stock, MemorySourcingWorld::vendor,
        MemorySourcingWorld::vendor_stock, MemorySourcingWorld::warehouse;
    std::int64_t shipments(OrderId id) { return static_cast<std::int64_t>(shipments_of(id)); }
    std::int64_t queued(RowId line) {
        std::int64_t n = 0;
        for (const auto& q : data.queue) n += q.line == line ? q.quantity : 0;
        return n;
    }
    void receive(RowId wh, RowId sku, std::int64_t n) { data.inventory.at({wh, sku}).on_hand += n; }
};

template <class World>
void stock_up(World& w, const Scenario& sc, const Ids& ids) {
    for (const auto& [key, on_hand] : sc.stock) w.stock(ids.warehouses[key.first], ids.skus[key.second], on_hand);
    for (const auto& [key, qty] : sc.vendor_stock) w.vendor_stock(ids.vendors[key.first], ids.skus[key.second], qty);
}

TEST(SourcingMemoryAgreesWithSqlite, SRC7_To_SRC15_SameWorldsSameOutcomeRunAfterRun) {
    int compared = 0, sourced = 0;
    for (std::uint64_t seed = 1; seed <= 25; ++seed) {
        SCOPED_TRACE("seed " + std::to_string(seed));
        SqlSide sql;
        MemorySide mem;
        const Scenario sc = generate(seed, sql.cfg);
        mem.cfg = sql.cfg;
        Ids sql_ids = build(sql, sc), mem_ids = build(mem, sc);
        add_skus(sql, sc, sql_ids);
        add_skus(mem, sc, mem_ids);
        stock_up(sql, sc, sql_ids);
        stock_up(mem, sc, mem_ids);
        for (std::size_t r = 0; r < sc.orders_per_run.size(); ++r) {
            for (const auto& [key, n] : sc.received_before_run[r]) {
                sql.receive(sql_ids.warehouses[key.first], sql_ids.skus[key.second], n);
                mem.receive(mem_ids.warehouses[key.first], mem_ids.skus[key.second], n);
            }
            add_skus(sql, sc, sql_ids);
            add_skus(mem, sc, mem_ids);
            add_orders(sql, sc.orders_per_run[r], sql_ids);
            add_orders(mem, sc.orders_per_run[r], mem_ids);
            const auto now = "2026-11-2" + std::to_string(2 + r) + "T12:00:00Z";
            const auto a = sql.run(now), b = mem.run(now);
            EXPECT_EQ(a.selected, b.selected) << "run " << r;
            EXPECT_EQ(a.changed, b.changed) << "run " << r;
            EXPECT_EQ(a.errors, b.errors) << "run " << r;
            const std::string want = readout(sql, sql_ids, sc, static_cast<int>(r) + 1);
            ASSERT_EQ(readout(mem, mem_ids, sc, static_cast<int>(r) + 1), want) << "run " << r;
            ++compared;
            sourced += a.changed;
        }
    }
    EXPECT_EQ(compared, 75);
    EXPECT_GT(sourced, 100) << "the worlds source something";
}

}  // namespace
}  // namespace olmd::test
