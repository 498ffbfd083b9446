#pragma once
// SQL text the store's repositories build (store-private).

#include <string>
#include <vector>

#include "olmd/core/ids.hpp"

namespace olmd::store {

/// "1,2,3": ids for an IN (...) list (ids are integers, never user text).
inline std::string id_list(const std::vector<RowId>& ids) {
    std::string s;
    for (RowId id : ids) {
        if (!s.empty()) s += ",";
        s += std::to_string(id);
    }
    return s;
}

}  // namespace olmd::store
