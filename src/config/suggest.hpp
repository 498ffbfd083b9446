#pragma once
// Private to the config module: "did you mean …?" for misspelt keys, values and names.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace olmd::config::detail {

/// Case-insensitive optimal-string-alignment distance (Levenshtein plus adjacent transpositions).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to word when it is close enough to be a likely typo, else nullopt.
std::optional<std::string> nearest(std::string_view word, const std::vector<std::string>& candidates);

/// OPS-10: names longer than this get no suggestion (the distance is quadratic).
inline constexpr std::size_t kMaxSuggestedLength = 64;

/// A value quoted for a message: escapes, and at most 80 characters then "…(N bytes)".
std::string quote_value(std::string_view s);

/// ASCII lower-case copy.
std::string lower(std::string_view s);

/// Case-insensitive ASCII equality.
bool iequals(std::string_view a, std::string_view b);

/// The items joined with sep.
std::string join(const std::vector<std::string>& items, std::string_view sep);

}  // namespace olmd::config::detail
