#pragma once
// A reference implementation of SRC-7..SRC-16 written from rules.md for clarity, not speed,
// used by sourcing_model_test.cpp. It never calls the production planner: it reads the
// database into the plain structs below (read_world), decides one sourcing run on them
// (reference_run), and the test compares its decisions with what the job wrote.
//
// Where the spec leaves a choice open the reference either adopts the only rule the spec
// gives for the situation (documented at each place with "ADOPTED") or marks the order
// `loose` (compare only the audit), and every order sharing a SKU with a loose order later
// in the same run is loose too (its stock is no longer known).

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace olmd::test::ref {

using Id = std::int64_t;

struct Warehouse { Id id; std::string name; int priority; bool active; };
struct Vendor { Id id; bool active; };
struct Sku { Id id; std::string kind, method; std::optional<Id> default_vendor; };
struct Line { Id id; Id sku; std::int64_t qty; std::optional<Id> parent; };
struct Alloc { Id id; Id line; std::string kind; std::int64_t qty; std::optional<Id> wh, vendor, shipment; };
struct Reservation { Id id; Id line; Id wh; std::int64_t qty; };
struct Shipment { Id id; Id order; Id wh; std::string status; };
struct Order {
    Id id;
    std::string number, status, channel, created_at;
    std::vector<Line> lines;
    std::vector<Alloc> allocs;
    std::vector<Reservation> reservations;
};

/// The database state a run decides on.
struct World {
    std::vector<Warehouse> warehouses;
    std::map<Id, Vendor> vendors;
    std::map<Id, Sku> skus;
    std::map<std::pair<Id, Id>, std::int64_t> available;   ///< (warehouse, sku) -> on_hand - allocated
    std::map<std::pair<Id, Id>, std::int64_t> vendor_qty;  ///< (vendor, sku) -> vendor_stock.quantity
    std::map<std::pair<Id, Id>, std::int64_t> queued;      ///< (vendor, sku) -> Σ queue quantity
    std::map<Id, std::int64_t> queue_by_line;              ///< order_item -> Σ queue quantity
    std::vector<Order> orders;                             ///< by id
    std::vector<Shipment> shipments;
};

/// The switches the reference models (rule = manual_priority, SRC-12 off).
struct Config {
    bool split = false, kits_single_warehouse = false, ship_kits_complete = false;
    bool auto_backorder = true, auto_fulfill_backorders = true;
    bool jit_stock_first = false, jit_default_vendor = true, drop_stock_first = false, drop_default_vendor = true;
    bool partial = true, exclude_drop_ship = false;
    std::map<std::string, std::set<Id>> blacklisted;  ///< channel name -> warehouse ids
};

/// Expected allocation units of a line, keyed by (kind, warehouse or vendor id; -1 = not fixed by the spec).
using LineAllocs = std::map<std::pair<std::string, Id>, std::int64_t>;

/// What the reference expects of one order after the run.
struct Expect {
    bool visited = false;          ///< selected by SRC-1 or SRC-14/16
    bool loose = false;            ///< the spec does not fix the outcome: compare the audit only
    std::string why_loose;
    std::optional<std::string> status;  ///< the status after the run (nullopt = not compared)
    std::string reason;                 ///< the history reason when the status changes ("" = not compared)
    std::map<Id, LineAllocs> lines;     ///< physical lines
    std::map<Id, std::int64_t> queue;   ///< order_item -> Σ purchase_order_queue quantity (jit/dropship lines)
    std::vector<std::string> notes;     ///< how the reference decided (printed on failure)
};

/// Reads everything the reference needs (call before the run, and after it for the comparison).
World read_world(SQLite::Database& db);

/// Decides one sourcing run over `w` (SRC-14/16 pass first, oldest first; then SRC-1 orders by id).
std::map<Id, Expect> reference_run(const World& w, const Config& cfg);

/// A line's allocations as the job left them, in the same keys (every location is fixed).
LineAllocs actual_allocs(const World& after, const Order& o, Id line);

/// "kind@loc=n, ..." for messages.
std::string describe(const LineAllocs& a);

}  // namespace olmd::test::ref
