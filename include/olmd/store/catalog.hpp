#pragma once
// Reference names (statuses, channels, shipping methods, warehouses) and their ids.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "olmd/config/loader.hpp"
#include "olmd/core/error.hpp"
#include "olmd/core/ids.hpp"
#include "olmd/store/database.hpp"

namespace olmd::store {

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

/// Snapshot of the reference tables, loaded once per command or run.
struct Catalog {
    NameTable statuses, channels, shipping_methods, warehouses;
    std::vector<std::string> unlocated_warehouses;  ///< active ones with no location (SRC-8)

    /// Loads the four tables.
    static Result<Catalog> load(Database& db);
    /// The names, for config::check_names().
    config::NameCatalog name_catalog() const;
    /// The id of a status that check_names() already validated; an Error names it otherwise.
    Result<StatusId> status_id(std::string_view name) const;
};

}  // namespace olmd::store
