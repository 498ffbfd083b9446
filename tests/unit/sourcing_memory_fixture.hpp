#pragma once
// The sourcing world of unit/sourcing_fixture.hpp on the in-memory ports
// (support/memory_sourcing.hpp): the same builders (warehouse, sku, vendor, stock,
// order, line, reserve, payment) and the same readers (status, reason, allocs,
// available), so that a rule is checked against the same expectations on both
// implementations of the sourcing repository; the job sees only RunServices.

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "olmd/config/config.hpp"
#include "olmd/jobs/job.hpp"
#include "olmd/jobs/sourcing/sourcing_job.hpp"
#include "support/memory_sourcing.hpp"
#include "support/sourcing_order.hpp"

namespace olmd::test {

class MemorySourcingWorld : public ::testing::Test {
protected:
    MemorySourcingWorld() : catalog(seeded_catalog()) {
        cfg.sourcing.enabled = true;
        data.shipping_method_is_cod = {{1, false}, {2, true}};  // Ground, COD Ground
    }

    /// Adds a warehouse; returns its id.
    RowId warehouse(const std::string& name, int priority, std::optional<double> lat = std::nullopt,
                    std::optional<double> lon = std::nullopt, bool active = true) {
        src::Warehouse w;
        w.id = data.new_id();
        w.name = name;
        w.priority = priority;
        w.latitude = lat;
        w.longitude = lon;
        w.active = active;
        data.warehouses.push_back(w);
        catalog.warehouses.add(w.id, name);
        return w.id;
    }
    /// Adds a vendor; returns its id.
    RowId vendor(const std::string& name, bool active = true, const std::string& method = "email",
                 const std::string& tmpl = "standard_po") {
        const RowId id = data.new_id();
        data.vendors[id] = src::Vendor{id, name, method, tmpl, active, {}};
        return id;
    }
    /// Adds a SKU (kind and method spelled as in the database); returns its id.
    RowId sku(const std::string& code, const std::string& kind = "product", const std::string& method = "stock",
              std::optional<RowId> default_vendor = std::nullopt) {
        src::Sku s;
        s.id = data.new_id();
        s.code = code;
        s.kind = kind == "kit"                ? src::SkuKind::kit
                 : kind == "gift_certificate" ? src::SkuKind::gift_certificate
                 : kind == "club_membership"  ? src::SkuKind::club_membership
                                              : src::SkuKind::product;
        s.method = method == "jit" ? src::Method::jit : method == "dropship" ? src::Method::dropship : src::Method::stock;
        s.default_vendor = default_vendor;
        data.skus[s.id] = s;
        return s.id;
    }
    /// Sets a SKU's inventory at a warehouse.
    void stock(RowId wh, RowId sku_id, std::int64_t on_hand, std::int64_t allocated = 0) {
        data.inventory[{wh, sku_id}] = src::InventoryRow{sku_id, wh, on_hand, allocated, {}};
    }
    /// Sets a vendor's stock of a SKU.
    void vendor_stock(RowId v, RowId sku_id, std::int64_t qty) { data.vendor_stock[{v, sku_id}] = qty; }
    /// Adds an order; returns its id.
    OrderId order(const SrcOrder& spec) {
        src::SourcingOrder o;
        o.id = data.new_id();
        o.number = spec.number;
        o.status_id = *catalog.statuses.id(spec.status);
        o.channel_id = *catalog.channels.id(spec.channel);
        if (spec.shipping_method) o.shipping_method_id = *catalog.shipping_methods.id(*spec.shipping_method);
        o.created_at = spec.created_at;
        o.grand_total_cents = spec.grand_total_cents;
        o.ship_country = spec.ship_country;
        o.ship_state = spec.ship_state;
        o.ship_zip = spec.ship_zip;
        data.orders.push_back(o);
        return o.id;
    }
    /// An order with defaults and the given number.
    OrderId order(const std::string& number) {
        SrcOrder o;
        o.number = number;
        return order(o);
    }
    /// Adds a line; returns its id.
    RowId line(OrderId order_id, RowId sku_id, std::int64_t qty, std::int64_t price = 1000,
               std::optional<RowId> parent = std::nullopt) {
        const RowId id = data.new_id();
        data.order(order_id)->lines.push_back(src::OrderLine{id, sku_id, qty, price, parent, {}});
        return id;
    }
    /// Adds a reservation (and counts it in inventory.allocated, as the back office does).
    void reserve(RowId line_id, RowId wh, std::int64_t qty) {
        data.reservations.push_back(src::Reservation{data.new_id(), line_id, wh, qty, {}});
        const src::OrderLine* l = data.order(data.order_of_line(line_id))->line(line_id);
        auto it = data.inventory.find({wh, l->sku_id});
        if (it != data.inventory.end()) it->second.allocated += qty;
    }
    /// Adds a payment row.
    void payment(OrderId order_id, const std::string& method, const std::string& status, std::int64_t amount,
                 std::int64_t captured = 0, const std::string& token = "") {
        data.payments.push_back(MemPayment{data.new_id(), order_id, method, status, amount, captured, token, "", "2026-11-20T10:00:00Z"});
    }

    /// Runs the sourcing job once (run id 7, then 8, ...) and returns its stats.
    jobs::JobStats run(const std::string& now = "2026-11-22T12:00:00Z", bool dry_run = false) {
        ++run_id;
        MemorySourcingStore store(data);
        jobs::RunServices services{store, [] { return Result<domain::Gateway*>(Error{"no gateway"}); },
                                   [] { return Result<domain::GeoLocator*>(Error{"no locator"}); }};
        jobs::JobContext ctx{cfg, services, catalog, dry_run ? 0 : run_id, *parse_utc(now), dry_run, &dry_out,
                             nullptr, nullptr};
        jobs::JobStats stats;
        job.run(ctx, stats);
        EXPECT_EQ(stats.failure, "") << stats.failure;
        return stats;
    }

    /// The order's status name.
    std::string status(OrderId id) const { return catalog.statuses.name(data.order(id)->status_id); }
    /// The reason of the order's last history row ("" when none).
    std::string reason(OrderId id) const {
        for (auto it = data.history.rbegin(); it != data.history.rend(); ++it)
            if (it->order == id) return it->reason;
        return "";
    }
    /// A line's allocations as "kind qty @warehouse-or-vendor-name", sorted, comma-separated.
    std::string allocs(RowId line_id) const {
        std::vector<std::string> parts;
        for (const auto& a : data.allocations) {
            if (a.row.line_id != line_id) continue;
            std::string x = std::string(src::to_string(a.row.kind)) + " " + std::to_string(a.row.quantity);
            if (a.row.warehouse_id) x += " @" + catalog.warehouses.name(*a.row.warehouse_id);
            if (a.row.vendor_id) x += " @" + data.vendors.at(*a.row.vendor_id).name;
            parts.push_back(x);
        }
        std::sort(parts.begin(), parts.end());
        std::string out;
        for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
        return out;
    }
    /// Available units of a SKU at a warehouse.
    std::int64_t available(RowId wh, RowId sku_id) const {
        const auto& r = data.inventory.at({wh, sku_id});
        return r.on_hand - r.allocated;
    }
    /// The allocations of an order's lines.
    std::size_t allocations_of(OrderId id) const {
        return static_cast<std::size_t>(std::count_if(data.allocations.begin(), data.allocations.end(),
                                                      [&](const auto& a) { return data.order_of_line(a.row.line_id) == id; }));
    }
    /// The shipments of an order.
    std::size_t shipments_of(OrderId id) const {
        return static_cast<std::size_t>(
            std::count_if(data.shipments.begin(), data.shipments.end(), [&](const auto& s) { return s.order == id; }));
    }

    MemorySourcingData data;
    domain::Catalog catalog;
    config::Config cfg;
    RunId run_id = 6;
    std::ostringstream dry_out;
    jobs::sourcing::SourcingJob job;
};

/// The fixture of the sourcing tests on memory (sourcing_memory_*_test.cpp), one class for
/// every file: GoogleTest wants one fixture type per test suite.
class SourcingOnMemory : public MemorySourcingWorld {
protected:
    /// An order of one line of qty × sku.
    OrderId one_line(const std::string& number, RowId sku_id, std::int64_t qty = 1) {
        const OrderId id = order(number);
        line(id, sku_id, qty);
        return id;
    }
};

}  // namespace olmd::test
