#include "olmd/store/catalog.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <cctype>

namespace olmd::store {

namespace {

std::string fold(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

void load_table(SQLite::Database& db, const char* table, NameTable& into) {
    SQLite::Statement q(db, std::string("SELECT id, name FROM ") + table + " ORDER BY id");
    while (q.executeStep()) into.add(q.getColumn(0).getInt64(), q.getColumn(1).getString());
}

}  // namespace

void NameTable::add(RowId id, const std::string& name) {
    by_folded_[fold(name)] = id;
    by_id_[id] = name;
}

std::optional<RowId> NameTable::id(std::string_view name) const {
    auto it = by_folded_.find(fold(name));
    if (it == by_folded_.end()) return std::nullopt;
    return it->second;
}

std::string NameTable::name(RowId id) const {
    auto it = by_id_.find(id);
    return it == by_id_.end() ? "#" + std::to_string(id) : it->second;
}

std::vector<RowId> NameTable::ids() const {
    std::vector<RowId> v;
    v.reserve(by_id_.size());
    for (const auto& [id, name] : by_id_) v.push_back(id);
    return v;
}

std::vector<std::string> NameTable::names() const {
    std::vector<std::string> out;
    out.reserve(by_id_.size());
    for (const auto& [id, n] : by_id_) out.push_back(n);
    return out;
}

Result<Catalog> Catalog::load(Database& database) {
    Catalog c;
    try {
        SQLite::Database& db = database.raw();
        load_table(db, "order_statuses", c.statuses);
        load_table(db, "channels", c.channels);
        load_table(db, "shipping_methods", c.shipping_methods);
        load_table(db, "warehouses", c.warehouses);
        SQLite::Statement q(db,
                            "SELECT w.name FROM warehouses w WHERE w.active = 1 AND (w.latitude IS NULL OR "
                            "w.longitude IS NULL) AND NOT EXISTS (SELECT 1 FROM zip_codes z WHERE z.zip = "
                            "substr(trim(w.postal_code), 1, 5)) ORDER BY w.priority, w.id");
        while (q.executeStep()) c.unlocated_warehouses.push_back(q.getColumn(0).getString());
    } catch (const std::exception& e) {
        return Error{std::string("cannot read reference tables: ") + e.what() + " (run `olmd init-db`)",
                     exit_code::database};
    }
    return c;
}

config::NameCatalog Catalog::name_catalog() const {
    return config::NameCatalog{statuses.names(), channels.names(), shipping_methods.names(), warehouses.names(),
                               unlocated_warehouses};
}

Result<StatusId> Catalog::status_id(std::string_view name) const {
    if (auto id = statuses.id(name)) return *id;
    return Error{"unknown status \"" + std::string(name) + "\" (add it to order_statuses or fix the config)"};
}

}  // namespace olmd::store
