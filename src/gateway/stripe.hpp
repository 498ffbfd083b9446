#pragma once
// The Stripe gateway: the PaymentIntents subset of config.md over an http::LanePool of [gateway] concurrency.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "olmd/gateway/gateway.hpp"

namespace olmd::gateway {

/// A Stripe gateway for cfg using secret_key; the key is never logged nor put in an error.
std::unique_ptr<Gateway> make_stripe_gateway(const config::GatewayConfig& cfg, std::string secret_key,
                                             const domain::Clock& clock, const StopToken& stop);

/// config.md: Stripe re-uses a stored card off-session only with the Customer owning it.
inline bool stripe_can_reauthorize(const Request& req) { return !req.card_token.empty() && !req.customer_ref.empty(); }

/// Reads the secret key from cfg.api_key_file by files::read_credential (OPS-8: one line of at most
/// 4 KiB; $CREDENTIALS_DIRECTORY/<basename> when unreadable), trimmed of surrounding blanks; an Error
/// names the file, never its content.
Result<std::string> read_api_key(const config::GatewayConfig& cfg);

/// The amount Stripe expects for cents in currency (its minor unit: cents for usd, whole units for
/// the zero-decimal currencies such as jpy, thousandths for bhd/jod/kwd/omr/tnd); nullopt when
/// cents is no whole amount Stripe can take (e.g. 1050 cents in jpy).
std::optional<std::int64_t> to_stripe_amount(Cents cents, std::string_view currency);

/// Cents for an amount Stripe reports in currency's minor unit (the inverse of to_stripe_amount).
Cents from_stripe_amount(std::int64_t amount, std::string_view currency);

}  // namespace olmd::gateway
