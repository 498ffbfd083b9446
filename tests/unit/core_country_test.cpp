// rules.md "country codes": ISO 3166-1 alpha-2, alpha-3 and English names fold
// to the alpha-2 code; NULL/blank is no country; anything else is kept as written.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "olmd/core/country.hpp"

namespace olmd {
namespace {

TEST(Country, Country_IsoTableFromIsoCodes) {
    // The compiled-in table is iso-codes' whole list, entry for entry.
    std::ifstream in("/usr/share/iso-codes/json/iso_3166-1.json");
    ASSERT_TRUE(in) << "the iso-codes package is needed to build olmd";
    const auto json = nlohmann::json::parse(in)["3166-1"];
    const auto table = iso_countries();
    ASSERT_EQ(table.size(), json.size());
    EXPECT_GE(table.size(), 249u);
    for (std::size_t i = 0; i < table.size(); ++i) {
        EXPECT_EQ(table[i].alpha2, json[i]["alpha_2"].get<std::string>());
        EXPECT_EQ(table[i].alpha3, json[i]["alpha_3"].get<std::string>());
        EXPECT_EQ(table[i].name, json[i]["name"].get<std::string>());
        EXPECT_EQ(table[i].official_name, json[i].value("official_name", std::string()));
    }
}

TEST(Country, Country_EveryCodeAndNameFoldsToItsAlpha2) {
    // No two entries share a key: every code and name of the table answers its own entry.
    for (const IsoCountry& c : iso_countries()) {
        SCOPED_TRACE(std::string(c.alpha2));
        EXPECT_TRUE(is_iso_country(c.alpha2));
        EXPECT_EQ(country_code(c.alpha2), c.alpha2);
        EXPECT_EQ(country_code(c.alpha3), c.alpha2);
        EXPECT_EQ(country_code(c.name), c.alpha2);
        if (!c.official_name.empty()) {
            EXPECT_EQ(country_code(c.official_name), c.alpha2);
        }
        if (!c.common_name.empty()) {
            EXPECT_EQ(country_code(c.common_name), c.alpha2);
        }
    }
}

TEST(Country, Country_UsWrittenEveryWayIsUs) {
    for (const char* us : {"US", "us", " Us ", "USA", "usa", "United States", "united  states",
                           "UNITED STATES OF AMERICA", "\tUnited States of America\n", "U.S.", "U.S.A."})
        EXPECT_EQ(country_code(us), "US") << us;
}

TEST(Country, Country_NullOrBlankIsNoCountry) {
    EXPECT_EQ(country_code(""), "");
    EXPECT_EQ(country_code("   \t"), "");
}

TEST(Country, Country_UnknownValueIsKeptUpperCased) {
    EXPECT_EQ(country_code(" narnia "), "NARNIA");
    EXPECT_EQ(country_code("Middle  earth"), "MIDDLE EARTH");
    EXPECT_EQ(country_code("xx"), "XX");
    EXPECT_EQ(country_code("U1"), "U1");
    EXPECT_FALSE(is_iso_country("XX"));
    EXPECT_FALSE(is_iso_country("USA"));
    EXPECT_FALSE(is_iso_country("UK"));  // an alias, not a code
}

TEST(Country, Country_AliasesAccentsAndArticles) {
    EXPECT_EQ(country_code("UK"), "GB");
    EXPECT_EQ(country_code("u.k."), "GB");
    EXPECT_EQ(country_code("Great Britain"), "GB");
    EXPECT_EQ(country_code("United Kingdom"), "GB");
    EXPECT_EQ(country_code("Turkey"), "TR");
    EXPECT_EQ(country_code("Türkiye"), "TR");
    EXPECT_EQ(country_code("TÜRKIYE"), "TR");
    EXPECT_EQ(country_code("Cote d'Ivoire"), "CI");
    EXPECT_EQ(country_code("Côte d\u2019Ivoire"), "CI");
    EXPECT_EQ(country_code("Curacao"), "CW");
    EXPECT_EQ(country_code("The Netherlands"), "NL");
    EXPECT_EQ(country_code("the Bahamas"), "BS");
    EXPECT_EQ(country_code("South Korea"), "KR");
    EXPECT_EQ(country_code("Virgin Islands, U.S."), "VI");
}

TEST(Country, Country_NameOfACode) {
    EXPECT_EQ(country_name("US"), "United States");
    EXPECT_EQ(country_name("gb"), "United Kingdom");
    EXPECT_EQ(country_name("XX"), "");
}

}  // namespace
}  // namespace olmd
