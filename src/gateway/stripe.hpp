#pragma once
// The Stripe gateway: the PaymentIntents subset of config.md over http::perform_all.

#include <memory>
#include <string>

#include "olmd/gateway/gateway.hpp"

namespace olmd::gateway {

/// A Stripe gateway for cfg using secret_key; the key is never logged nor put in an error.
std::unique_ptr<Gateway> make_stripe_gateway(const config::GatewayConfig& cfg, std::string secret_key);

/// Reads the secret key from cfg.api_key_file (already resolved against $CREDENTIALS_DIRECTORY),
/// trimmed of surrounding blanks; an Error names the file, never its content.
Result<std::string> read_api_key(const config::GatewayConfig& cfg);

}  // namespace olmd::gateway
