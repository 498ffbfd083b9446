// The factory of [gateway] kind.
#include "olmd/gateway/gateway.hpp"

#include "gateway/sandbox.hpp"
#include "gateway/stripe.hpp"

namespace olmd::gateway {

Result<std::unique_ptr<Gateway>> make_gateway(const config::GatewayConfig& cfg, store::Database& db,
                                              const domain::Clock& clock, const StopToken& stop) {
    return make_gateway(cfg, &db, clock, stop);
}

Result<std::unique_ptr<Gateway>> make_gateway(const config::GatewayConfig& cfg, store::Database* sandbox_db,
                                              const domain::Clock& clock, const StopToken& stop) {
    switch (cfg.kind) {
        case config::GatewayKind::sandbox:
            if (!sandbox_db)
                return Error{"[gateway] kind = \"sandbox\" keeps its ledger in a SQLite database; on PostgreSQL "
                             "use kind = \"stripe\" (a Stripe test-mode key for rehearsals)"};
            return make_sandbox_gateway(*sandbox_db);
        case config::GatewayKind::stripe: {
            auto key = read_api_key(cfg);
            if (!key) return key.error();
            return make_stripe_gateway(cfg, std::move(*key), clock, stop);
        }
    }
    return Error{"[gateway] kind: unknown gateway"};
}

}  // namespace olmd::gateway
