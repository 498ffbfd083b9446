#pragma once
// SRC-8 fulfillment rule: which warehouses an order may draw on and in what
// order. Candidates are the active warehouses minus the channel's
// blacklisted ones. "manual_priority": priority ascending, ties by id;
// "closest": great-circle distance from the ship ZIP's centroid to the
// warehouse, nearest first (unknown ZIP -> manual priority order);
// "highest_available": most available units of the SKU first (for a set of
// SKUs, the most of them in total). Ties always fall back to manual priority.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "olmd/jobs/sourcing/availability.hpp"
#include "olmd/jobs/sourcing/names.hpp"
#include "olmd/jobs/sourcing/settings.hpp"

namespace olmd::jobs::sourcing {

/// Great-circle (haversine) distance in kilometres on a sphere of the Earth's mean radius.
double great_circle_km(LatLon a, LatLon b);

/// The five-digit ZIP an order ships to when it is a US order with a ZIP that starts with
/// five digits; "" otherwise (no centroid can be looked up).
std::string ship_zip5(const SourcingOrder& o);

/// One warehouse in a ranking, with what it was ranked by.
struct RankedWarehouse {
    const Warehouse* warehouse = nullptr;
    std::optional<double> distance_km;  ///< closest only
    std::int64_t available = 0;         ///< of the SKU (or the SKUs) ranked for
};

struct RankerOutcome;

/// Ranks an order's candidate warehouses.
class WarehouseRanker {
public:
    /// Builds the ranker for an order under policy; origin is the centroid of ship_zip5(order)
    /// (nullopt when unknown: closest falls back to manual priority).
    static RankerOutcome make(const ChannelPolicy& policy, const ReferenceData& ref, const std::string& zip5,
                              std::optional<LatLon> origin);

    /// The candidate warehouses ranked for one SKU.
    std::vector<RankedWarehouse> for_sku(RowId sku, const Availability& stock) const;
    /// The candidates ranked for a set of (SKU, units) needed together (highest_available: total available).
    std::vector<RankedWarehouse> for_units(const std::vector<std::pair<RowId, std::int64_t>>& units,
                                           const Availability& stock) const;
    /// True when no warehouse may be used at all.
    bool empty() const { return candidates_.empty(); }
    /// How the ranking is made, e.g. "closest to ZIP 12866" or "manual_priority (ZIP 99999 unknown)".
    const std::string& basis() const { return basis_; }
    /// A ranking written out: "1. Edison NJ (priority 0, 312.4 km, available 5); 2. ...".
    static std::string describe(const std::vector<RankedWarehouse>& ranked);

private:
    WarehouseRanker() = default;
    std::vector<RankedWarehouse> ranked(std::vector<RankedWarehouse> v) const;
    config::FulfillmentRule rule_ = config::FulfillmentRule::manual_priority;  ///< effective rule
    std::vector<RankedWarehouse> candidates_;  ///< priority order, distances filled under closest
    std::string basis_;
};

/// What building a ranker gave: a ranker, or bad data (a warehouse without coordinates under closest).
struct RankerOutcome {
    std::optional<WarehouseRanker> ranker;
    std::string bad_data;  ///< non-empty: the reason, naming the warehouse row
};

}  // namespace olmd::jobs::sourcing
