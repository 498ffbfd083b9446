#pragma once
// Logging to stderr through spdlog (OPS-5): plain timestamped lines on a
// terminal, "<N>"-prefixed syslog priorities without timestamps under systemd.

#include <string>
#include <string_view>

#include "olmd/core/error.hpp"

namespace olmd {

/// Installs the stderr logger at level (trace…critical, off); journald format when
/// JOURNAL_STREAM is set. An unknown level is an Error (usage).
Status setup_logging(std::string_view level);

/// Changes the level of the installed logger (SIGHUP reload).
Status set_log_level(std::string_view level);

}  // namespace olmd
