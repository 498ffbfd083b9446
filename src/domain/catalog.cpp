#include "olmd/domain/catalog.hpp"

#include "olmd/core/text.hpp"

namespace olmd::domain {

void NameTable::add(RowId id, const std::string& name) {
    by_folded_[ascii_lower(name)] = id;
    by_id_[id] = name;
}

std::optional<RowId> NameTable::id(std::string_view name) const {
    auto it = by_folded_.find(ascii_lower(name));
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

NameCatalog Catalog::name_catalog() const {
    return NameCatalog{statuses.names(), channels.names(), shipping_methods.names(), warehouses.names(),
                       unlocated_warehouses};
}

Result<StatusId> Catalog::status_id(std::string_view name) const {
    if (auto id = statuses.id(name)) return *id;
    return Error{"unknown status \"" + std::string(name) + "\" (add it to order_statuses or fix the config)"};
}

}  // namespace olmd::domain
