#pragma once
// The fraud rules work on the domain's fraud order (olmd/domain/fraud_order.hpp) by its
// short names: jobs::fraud::FraudOrder is domain::FraudOrder.

#include "olmd/domain/fraud_order.hpp"

namespace olmd::jobs::fraud {
using domain::Address;
using domain::FraudOrder;
}  // namespace olmd::jobs::fraud
