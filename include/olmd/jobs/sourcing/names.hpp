#pragma once
// The sourcing rules work on the domain's sourcing values (olmd/domain/sourcing.hpp)
// by their short names: jobs::sourcing::SourcingOrder is domain::sourcing::SourcingOrder.

#include "olmd/domain/sourcing.hpp"

namespace olmd::jobs::sourcing {
using namespace olmd::domain::sourcing;
}  // namespace olmd::jobs::sourcing
