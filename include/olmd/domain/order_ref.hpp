#pragma once
// An order as people name it: what `olmd explain` is asked about.

#include <string>

#include "olmd/core/ids.hpp"

namespace olmd::domain {

/// The order explain() is asked about.
struct OrderRef {
    OrderId id = 0;
    std::string number;
    StatusId status_id = 0;
    RowId channel_id = 0;
};

}  // namespace olmd::domain
