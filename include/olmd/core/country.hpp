#pragma once
// Country codes (rules.md "country codes"): bill_country / ship_country are
// compared as ISO 3166-1 alpha-2 codes after normalization. The table is the
// whole of ISO 3166-1 as Debian's iso-codes ships it, compiled in at build time.

#include <span>
#include <string>
#include <string_view>

namespace olmd {

/// One ISO 3166-1 entry as iso-codes lists it (name fields "" when iso-codes has none).
struct IsoCountry {
    std::string_view alpha2, alpha3;
    std::string_view name;           ///< the English short name ("United States")
    std::string_view official_name;  ///< the English official name ("United States of America")
    std::string_view common_name;    ///< a common name iso-codes adds ("South Korea")
};

/// Every ISO 3166-1 country, in iso-codes' order.
std::span<const IsoCountry> iso_countries();

/// The ISO 3166-1 alpha-2 code of a country written as alpha-2, alpha-3 or its English name
/// (short, official or common, or one of a few aliases such as "UK"; case-, blank- and
/// Latin-1-accent-insensitive); "" for no country; the upper-cased text itself when it is none of these.
std::string country_code(std::string_view text);

/// country_code() written into out (reuses out's buffer).
void country_code_into(std::string_view text, std::string& out);

/// True when code is an assigned ISO 3166-1 alpha-2 code (upper case, as country_code returns it).
bool is_iso_country(std::string_view code);

/// The English short name of an alpha-2 code ("US" -> "United States"); "" when it is not one.
std::string_view country_name(std::string_view alpha2);

}  // namespace olmd
