#pragma once
// The ISO 3166-1 table generated at build time from iso-codes' JSON by
// scripts/embed_iso3166.cmake (see CMakeLists.txt); read through olmd/core/country.hpp.

#include <cstddef>

#include "olmd/core/country.hpp"

namespace olmd::detail {

extern const IsoCountry kIsoCountries[];
extern const std::size_t kIsoCountryCount;

}  // namespace olmd::detail
