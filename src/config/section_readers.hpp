#pragma once
// Private to the config module: one reader per top-level section of config.md.
// Each reads every key of its section (and sub-sections) into the config and
// calls finish() so that unknown keys are reported.

#include "olmd/config/config.hpp"
#include "toml_reader.hpp"

namespace olmd::config::detail {

/// [daemon]: paths, time zone (validated against the tz database), limits, log level.
void read_daemon(TableReader r, DaemonConfig& c);
/// [orders]: the status names and club retry settings shared by the jobs.
void read_orders(TableReader r, OrdersConfig& c);
/// [capture].
void read_capture(TableReader r, CaptureConfig& c);
/// [reauth].
void read_reauth(TableReader r, ReauthConfig& c);
/// [fraud] and its test sub-sections.
void read_fraud(TableReader r, FraudConfig& c);
/// [sourcing] and its sub-sections.
void read_sourcing(TableReader r, SourcingConfig& c);
/// [fulfillment] and its [fulfillment.channel."Name"] overrides.
void read_fulfillment(TableReader r, FulfillmentConfig& c);
/// [monitor].
void read_monitor(TableReader r, MonitorConfig& c);
/// [metrics].
void read_metrics(TableReader r, MetricsConfig& c);
/// [smtp].
void read_smtp(TableReader r, SmtpConfig& c);
/// [gateway].
void read_gateway(TableReader r, GatewayConfig& c);

/// OPS-11: why a URL that carries a secret is refused ("" when it is https://, or
/// http:// to a loopback host).
std::string secret_url_problem(const std::string& url);
/// True for localhost, ::1 and 127.0.0.0/8.
bool is_loopback_host(const std::string& host);

}  // namespace olmd::config::detail
