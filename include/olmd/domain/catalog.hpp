#pragma once
// Reference names (statuses, channels, shipping methods, warehouses) and their ids,
// as one snapshot per command or run (the store loads it: store::load_catalog).

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "olmd/core/error.hpp"
#include "olmd/core/ids.hpp"

namespace olmd::domain {

/// A case-insensitive name <-> id table.
class NameTable {
public:
    /// Adds a row.
    void add(RowId id, const std::string& name);
    /// The id of a name (case-insensitive), or nullopt.
    std::optional<RowId> id(std::string_view name) const;
    /// The name of an id, or "#<id>" when unknown.
    std::string name(RowId id) const;
    /// Every name, in id order.
    std::vector<std::string> names() const;
    /// True when a row has that id.
    bool contains(RowId id) const { return by_id_.count(id) > 0; }
    /// Every id, ascending.
    std::vector<RowId> ids() const;

private:
    std::map<std::string, RowId> by_folded_;
    std::map<RowId, std::string> by_id_;
};

/// The reference names alone, as config::check_names() compares them with the config.
struct NameCatalog {
    std::vector<std::string> statuses;
    std::vector<std::string> channels;
    std::vector<std::string> shipping_methods;
    std::vector<std::string> warehouses;
    /// Active warehouses with no location: neither latitude/longitude nor a postal_code in zip_codes (SRC-8).
    std::vector<std::string> unlocated_warehouses;
};

/// Snapshot of the reference tables.
struct Catalog {
    NameTable statuses, channels, shipping_methods, warehouses;
    std::vector<std::string> unlocated_warehouses;  ///< active ones with no location (SRC-8)

    /// The names, for config::check_names().
    NameCatalog name_catalog() const;
    /// The id of a status that check_names() already validated; an Error names it otherwise.
    Result<StatusId> status_id(std::string_view name) const;
};

}  // namespace olmd::domain
