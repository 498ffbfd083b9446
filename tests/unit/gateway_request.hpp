#pragma once
// A gateway request in one call, for the gateway tests (stripe_*_test.cpp,
// gateway_sandbox_test.cpp): operation, key and amount, a card that Stripe's test
// mode accepts by default, and the authorization and customer when a test needs them.

#include <string>
#include <utility>

#include "olmd/domain/gateway.hpp"

namespace olmd::test {

inline domain::Request req(domain::Operation op, std::string key, Cents amount, std::string token = "pm_card_visa",
                           std::string ref = "", std::string customer = "") {
    return domain::Request{op, std::move(key), amount, std::move(token), std::move(customer), std::move(ref)};
}

}  // namespace olmd::test
