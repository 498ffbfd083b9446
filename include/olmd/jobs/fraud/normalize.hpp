#pragma once
// FR-12 normalization: case-insensitive, blanks trimmed and folded, NULL = "",
// US states by code or full name, US zips on their first five digits. Countries
// are normalized by olmd/core/country.hpp (shared with sourcing's SRC-3).

#include <string>
#include <string_view>
#include <vector>

namespace olmd::jobs::fraud {

/// Writes s into out trimmed, with inner runs of blanks folded to one space, upper-cased (ASCII).
void normalize_into(std::string_view s, std::string& out);
/// normalize_into() returning a new string.
std::string normalize(std::string_view s);

/// The two-letter code of a US state, DC or territory given its normalized full name
/// ("NEW YORK" -> "NY"); empty when the name is not one.
std::string_view us_state_code(std::string_view normalized_name);
/// The full name of a US state code ("NY" -> "New York"); empty when unknown.
std::string_view us_state_name(std::string_view code);
/// A state normalized for comparison: normalized, and a US full name replaced by its code.
void normalize_state_into(std::string_view s, std::string& out);
/// normalize_state_into() returning a new string.
std::string normalize_state(std::string_view s);

/// A zip normalized for comparison: normalized, and a US ZIP or ZIP+4
/// ("12866", "12866-1234", "12866 1234", "128661234") cut to its first five digits.
void normalize_zip_into(std::string_view s, std::string& out);
/// normalize_zip_into() returning a new string.
std::string normalize_zip(std::string_view s);

/// "first last" of a name pair, normalized (either part may be empty).
void normalize_name_into(std::string_view first, std::string_view last, std::string& out);

}  // namespace olmd::jobs::fraud
