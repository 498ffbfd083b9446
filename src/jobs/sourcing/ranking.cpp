// SRC-8: candidate warehouses and their order under the channel's rule.
#include "olmd/jobs/sourcing/ranking.hpp"

#include "olmd/core/country.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace olmd::jobs::sourcing {

namespace {

constexpr double kEarthRadiusKm = 6371.0088;
constexpr double kPi = 3.14159265358979323846;

double radians(double deg) {
    return deg * kPi / 180.0;
}

bool by_priority(const RankedWarehouse& a, const RankedWarehouse& b) {
    if (a.warehouse->priority != b.warehouse->priority) return a.warehouse->priority < b.warehouse->priority;
    return a.warehouse->id < b.warehouse->id;
}

std::string trimmed_upper(std::string_view s) {
    std::size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    std::string out(s.substr(b, e - b));
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

double great_circle_km(LatLon a, LatLon b) {
    const double dlat = radians(b.lat - a.lat);
    const double dlon = radians(b.lon - a.lon);
    const double h = std::sin(dlat / 2) * std::sin(dlat / 2) + std::cos(radians(a.lat)) *
                                                                   std::cos(radians(b.lat)) *
                                                                   std::sin(dlon / 2) * std::sin(dlon / 2);
    return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(h)));
}

std::string ship_zip5(const SourcingOrder& o) {
    if (country_code(o.ship_country) != "US") return "";  // US, USA, United States, ... (rules.md)
    const std::string z = trimmed_upper(o.ship_zip);
    if (z.size() < 5) return "";
    for (int i = 0; i < 5; ++i)
        if (!std::isdigit(static_cast<unsigned char>(z[static_cast<std::size_t>(i)]))) return "";
    return z.substr(0, 5);
}

RankerOutcome WarehouseRanker::make(const ChannelPolicy& policy, const ReferenceData& ref,
                                    const std::string& zip5, std::optional<LatLon> origin) {
    WarehouseRanker r;
    for (const Warehouse& w : ref.warehouses) {
        if (!w.active) continue;
        if (std::find(policy.blacklisted.begin(), policy.blacklisted.end(), w.id) != policy.blacklisted.end())
            continue;
        r.candidates_.push_back(RankedWarehouse{&w, std::nullopt, 0});
    }
    std::sort(r.candidates_.begin(), r.candidates_.end(), by_priority);
    r.rule_ = policy.rule;
    switch (policy.rule) {
        case config::FulfillmentRule::manual_priority:
            r.basis_ = "manual_priority (warehouse priority ascending, ties by id)";
            break;
        case config::FulfillmentRule::highest_available:
            r.basis_ = "highest_available (most available units first, ties by priority)";
            break;
        case config::FulfillmentRule::closest:
            if (!origin) {
                r.rule_ = config::FulfillmentRule::manual_priority;
                r.basis_ = zip5.empty()
                               ? "closest, but the order has no US ship ZIP: manual_priority order"
                               : "closest, but ZIP " + zip5 + " is not in zip_codes: manual_priority order";
                break;
            }
            // A warehouse with no location is ranked after every located one, in manual-priority order.
            for (RankedWarehouse& c : r.candidates_)
                if (c.warehouse->latitude && c.warehouse->longitude)
                    c.distance_km =
                        great_circle_km(*origin, LatLon{*c.warehouse->latitude, *c.warehouse->longitude});
            char buf[96];
            std::snprintf(buf, sizeof buf, "closest to ZIP %s (%.4f, %.4f), great-circle distance",
                          zip5.c_str(), origin->lat, origin->lon);
            r.basis_ = buf;
            break;
    }
    return RankerOutcome{std::move(r), ""};
}

std::vector<RankedWarehouse> WarehouseRanker::ranked(std::vector<RankedWarehouse> v) const {
    switch (rule_) {
        case config::FulfillmentRule::manual_priority:
            break;  // candidates_ are in priority order already
        case config::FulfillmentRule::closest:
            std::stable_sort(v.begin(), v.end(), [](const RankedWarehouse& a, const RankedWarehouse& b) {
                if (a.distance_km.has_value() != b.distance_km.has_value()) return a.distance_km.has_value();
                return a.distance_km.value_or(0) < b.distance_km.value_or(0);
            });
            break;
        case config::FulfillmentRule::highest_available:
            std::stable_sort(v.begin(), v.end(), [](const RankedWarehouse& a, const RankedWarehouse& b) {
                return a.available > b.available;
            });
            break;
    }
    return v;
}

std::vector<RankedWarehouse> WarehouseRanker::for_sku(RowId sku, const Availability& stock) const {
    std::vector<RankedWarehouse> v = candidates_;
    for (RankedWarehouse& c : v) c.available = stock.available(sku, c.warehouse->id);
    return ranked(std::move(v));
}

std::vector<RankedWarehouse> WarehouseRanker::for_units(
    const std::vector<std::pair<RowId, std::int64_t>>& units, const Availability& stock) const {
    std::vector<RankedWarehouse> v = candidates_;
    for (RankedWarehouse& c : v) {
        c.available = 0;
        for (const auto& u : units) c.available += stock.available(u.first, c.warehouse->id);
    }
    return ranked(std::move(v));
}

std::string WarehouseRanker::describe(const std::vector<RankedWarehouse>& ranked) {
    if (ranked.empty()) return "no active, non-blacklisted warehouse";
    std::string s;
    int i = 0;
    for (const RankedWarehouse& r : ranked) {
        if (!s.empty()) s += "; ";
        s += std::to_string(++i) + ". " + r.warehouse->name + " (priority " +
             std::to_string(r.warehouse->priority);
        if (r.distance_km) {
            char buf[32];
            std::snprintf(buf, sizeof buf, ", %.1f km%s", *r.distance_km,
                          r.warehouse->located_by_postal_code ? " from its postal_code" : "");
            s += buf;
        }
        s += ", available " + std::to_string(r.available) + ")";
    }
    return s;
}

}  // namespace olmd::jobs::sourcing
