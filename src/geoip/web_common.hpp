#pragma once
// Helpers shared by the web-service locators (MaxMind Insights, KickFire).

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "olmd/core/error.hpp"

namespace olmd::geoip::web {

/// The secret in path (config key `key`) by files::read_credential (OPS-8: one line, at most 4 KiB;
/// $CREDENTIALS_DIRECTORY/<basename of path> when path cannot be read), blanks around it trimmed.
/// An Error names the file(s) and what to do; it never contains the secret.
Result<std::string> read_secret(const std::string& path, std::string_view key, std::string_view what);

/// j[key] when j is an object and j[key] a string, else "".
std::string string_at(const nlohmann::json& j, const char* key);

/// base without trailing slashes.
std::string trim_base_url(std::string base);

/// True when s has only the characters of an IPv4/IPv6 address (safe in a URL path).
bool ip_chars_only(std::string_view s);

/// text with every occurrence of secret replaced, and cut to at most max_chars characters.
std::string scrubbed(std::string text, const std::string& secret, std::size_t max_chars = 300);

}  // namespace olmd::geoip::web
