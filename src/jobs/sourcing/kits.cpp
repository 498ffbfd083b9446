// SRC-7 kits: grouping component lines under their top-level kit line.
#include "olmd/jobs/sourcing/kits.hpp"

#include <map>

namespace olmd::jobs::sourcing {

bool is_physical(const OrderLine& line, const ReferenceData& ref) {
    const Sku* s = ref.sku(line.sku_id);
    return s != nullptr && s->kind == SkuKind::product;
}

namespace {

/// The top-level kit line above a line, or null (a standalone line, or one under a non-kit line).
const OrderLine* top_kit(const SourcingOrder& o, const OrderLine& line, const ReferenceData& ref) {
    const OrderLine* kit = nullptr;
    const OrderLine* cur = &line;
    for (std::size_t hops = 0; cur->parent_id && hops <= o.lines.size(); ++hops) {
        const OrderLine* parent = o.line(*cur->parent_id);
        if (parent == nullptr) break;
        const Sku* s = ref.sku(parent->sku_id);
        if (s != nullptr && s->kind == SkuKind::kit) kit = parent;
        cur = parent;
    }
    return kit;
}

}  // namespace

std::vector<LineGroup> physical_groups(const SourcingOrder& o, const ReferenceData& ref) {
    std::vector<LineGroup> groups;
    std::map<RowId, std::size_t> kit_group;  // kit line id -> index in groups
    for (const OrderLine& l : o.lines) {
        if (!is_physical(l, ref)) continue;
        const OrderLine* kit = top_kit(o, l, ref);
        if (kit == nullptr) {
            groups.push_back(LineGroup{nullptr, {&l}});
            continue;
        }
        auto [it, fresh] = kit_group.emplace(kit->id, groups.size());
        if (fresh) groups.push_back(LineGroup{kit, {}});
        groups[it->second].lines.push_back(&l);
    }
    return groups;
}

}  // namespace olmd::jobs::sourcing
