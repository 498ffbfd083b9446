#pragma once
// The two implementations of the domain::Gateway port, chosen by [gateway] kind:
// the deterministic sandbox (ledger in the database) and Stripe (PaymentIntents).

#include <memory>

#include "olmd/config/config.hpp"
#include "olmd/core/error.hpp"
#include "olmd/core/stop_token.hpp"
#include "olmd/domain/clock.hpp"
#include "olmd/domain/gateway.hpp"
#include "olmd/store/database.hpp"

namespace olmd::gateway {

// The port's vocabulary, by the short names the implementations use.
using domain::Answer;
using domain::Gateway;
using domain::LookupResult;
using domain::LookupState;
using domain::Operation;
using domain::Outcome;
using domain::Request;
using domain::kAlreadyCaptured;
using domain::kAuthorizationReleased;

/// Builds the gateway [gateway] kind names: the sandbox keeps its ledger in db (migration 0002);
/// stripe reads its secret key from cfg.api_key_file and waits between retries through clock, a stop
/// ending the retries (the answers left say unknown; OPS-6 resolves them). clock and stop must outlive
/// the gateway. An Error says why it cannot be used.
Result<std::unique_ptr<Gateway>> make_gateway(const config::GatewayConfig& cfg, store::Database& db,
                                              const domain::Clock& clock, const StopToken& stop);
/// The same where the database may be PostgreSQL (sandbox_db null): the sandbox then is an Error naming
/// the choice, since its ledger is kept in SQLite only.
Result<std::unique_ptr<Gateway>> make_gateway(const config::GatewayConfig& cfg, store::Database* sandbox_db,
                                              const domain::Clock& clock, const StopToken& stop);

/// The gateway of a dry run (run-once --dry-run, explain): answers at once, sends and writes
/// nothing; a sandbox's answers follow its token rules (cli.md), any other gateway approves.
std::unique_ptr<Gateway> make_dry_run_gateway(const config::GatewayConfig& cfg);

}  // namespace olmd::gateway
