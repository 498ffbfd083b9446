// Names of operations and outcomes, and the factory of [gateway] kind.
#include "olmd/gateway/gateway.hpp"

#include "gateway/sandbox.hpp"
#include "gateway/stripe.hpp"

namespace olmd::gateway {

std::string_view to_string(Operation op) {
    switch (op) {
        case Operation::authorize: return "authorize";
        case Operation::capture: return "capture";
        case Operation::void_auth: return "void";
    }
    return "?";
}

Result<Operation> operation_from_string(std::string_view text) {
    if (text == "authorize") return Operation::authorize;
    if (text == "capture") return Operation::capture;
    if (text == "void") return Operation::void_auth;
    return Error{"unknown gateway operation \"" + std::string(text) + "\""};
}

std::string_view to_string(Outcome o) {
    switch (o) {
        case Outcome::succeeded: return "succeeded";
        case Outcome::declined: return "declined";
        case Outcome::unknown: return "unknown";
        case Outcome::rejected: return "rejected";
    }
    return "?";
}

Result<std::unique_ptr<Gateway>> make_gateway(const config::GatewayConfig& cfg, store::Database& db) {
    switch (cfg.kind) {
        case config::GatewayKind::sandbox: return make_sandbox_gateway(db);
        case config::GatewayKind::stripe: {
            auto key = read_api_key(cfg);
            if (!key) return key.error();
            return make_stripe_gateway(cfg, std::move(*key));
        }
    }
    return Error{"[gateway] kind: unknown gateway"};
}

}  // namespace olmd::gateway
