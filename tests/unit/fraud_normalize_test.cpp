// FR-12 normalization: case, blanks, NULL = "", US states by code or name, ZIP+4,
// countries as ISO codes (the home country too), and config lists written as one
// comma-separated string or as a TOML array (whose items may hold commas).

#include <gtest/gtest.h>

#include "fraud_test_util.hpp"
#include "olmd/config/loader.hpp"
#include "olmd/core/country.hpp"
#include "olmd/jobs/fraud/normalize.hpp"
#include "olmd/jobs/fraud/rules.hpp"

namespace olmd::jobs::fraud {
namespace {

TEST(FraudNormalize, FR12_CaseAndBlanksAreFolded) {
    EXPECT_EQ(normalize("  Las   Vegas\t"), "LAS VEGAS");
    EXPECT_EQ(normalize("las vegas"), normalize("LAS VEGAS "));
    EXPECT_EQ(normalize(""), "");
    EXPECT_EQ(normalize("   "), "");
    EXPECT_NE(normalize("Las Vegas"), normalize("LasVegas"));
}

TEST(FraudNormalize, FR12_StateCodeEqualsFullName) {
    EXPECT_EQ(normalize_state("NY"), "NY");
    EXPECT_EQ(normalize_state("New York"), "NY");
    EXPECT_EQ(normalize_state("  new   york "), "NY");
    EXPECT_EQ(normalize_state("ny"), "NY");
    EXPECT_EQ(normalize_state("District of Columbia"), "DC");
    EXPECT_EQ(normalize_state("Puerto Rico"), "PR");
    EXPECT_EQ(normalize_state("Guam"), "GU");
    EXPECT_EQ(normalize_state("Washington"), "WA");
}

TEST(FraudNormalize, FR12_DifferentStatesStayDifferent) {
    EXPECT_NE(normalize_state("New York"), normalize_state("New Mexico"));
    EXPECT_NE(normalize_state("NY"), normalize_state("NJ"));
    // A non-US region is compared as written (normalized).
    EXPECT_EQ(normalize_state(" ontario "), "ONTARIO");
}

TEST(FraudNormalize, FR12_StateNamesAndCodesRoundTrip) {
    EXPECT_EQ(us_state_name("ny"), "New York");
    EXPECT_EQ(us_state_code("NEW MEXICO"), "NM");
    EXPECT_EQ(us_state_code("NEW YORK CITY"), "");
    EXPECT_EQ(us_state_name("ZZ"), "");
}

TEST(FraudNormalize, FR12_ZipPlusFourComparesOnFiveDigits) {
    EXPECT_EQ(normalize_zip("12866-1234"), "12866");
    EXPECT_EQ(normalize_zip(" 12866 "), "12866");
    EXPECT_EQ(normalize_zip("12866 1234"), "12866");
    EXPECT_EQ(normalize_zip("128661234"), "12866");
}

TEST(FraudNormalize, FR12_MalformedZipIsNotCut) {
    EXPECT_EQ(normalize_zip("12866-"), "12866-");
    EXPECT_EQ(normalize_zip("1286-61234"), "1286-61234");
    EXPECT_EQ(normalize_zip("128660"), "128660");
    EXPECT_EQ(normalize_zip("sw1a 1aa"), "SW1A 1AA");
    EXPECT_NE(normalize_zip("12866"), normalize_zip("12867-1234"));
}

TEST(FraudNormalize, FR12_NameIsFirstSpaceLast) {
    std::string out;
    normalize_name_into(" John ", "  Smith", out);
    EXPECT_EQ(out, "JOHN SMITH");
    normalize_name_into("", "Smith", out);
    EXPECT_EQ(out, "SMITH");
    normalize_name_into("John", "", out);
    EXPECT_EQ(out, "JOHN");
    normalize_name_into("", "", out);
    EXPECT_EQ(out, "");
}

TEST(FraudNormalize, FR12_CountryNamesAndAlpha3Normalize) {
    EXPECT_EQ(country_code(" us "), "US");
    EXPECT_EQ(country_code("USA"), "US");
    EXPECT_EQ(country_code("united states"), "US");
    EXPECT_EQ(country_code("United  States of America"), "US");
    EXPECT_EQ(country_code("CAN"), "CA");
    EXPECT_EQ(country_code("Canada"), "CA");
    EXPECT_EQ(country_code("deu"), "DE");
    EXPECT_EQ(country_code("Germany"), "DE");
    EXPECT_EQ(country_code(""), "");       // NULL compares as "": no country
    EXPECT_EQ(country_code("U1"), "U1");   // none of these: kept as written, upper-cased
    EXPECT_EQ(country_code("Narnia"), "NARNIA");
    // The job's home country goes through the same normalization.
    config::FraudConfig c;
    c.home_country = "usa";
    EXPECT_EQ(Rules::from_config(c).home_country, "US");
}

TEST(FraudNormalize, FR12_HomeCountryIsReadAsItsIsoCode) {
    for (const char* written : {"USA", "United States", "united states of america", "us"}) {
        SCOPED_TRACE(written);
        const auto loaded = config::load_config_text(std::string("[fraud]\nhome_country = \"") + written + "\"\n",
                                                     "test.toml");
        ASSERT_TRUE(loaded.ok());
        EXPECT_TRUE(loaded.diagnostics.items.empty());
        EXPECT_EQ(loaded.config->fraud.home_country, "US");
    }
    const auto gb = config::load_config_text("[fraud]\nhome_country = \"Great Britain\"\n", "test.toml");
    ASSERT_TRUE(gb.ok());
    EXPECT_EQ(gb.config->fraud.home_country, "GB");
}

TEST(FraudNormalize, FR12_UnassignedTwoLetterHomeCountryWarns) {
    const auto loaded = config::load_config_text("[fraud]\nhome_country = \"xk\"\n", "test.toml");
    ASSERT_TRUE(loaded.ok());
    ASSERT_EQ(loaded.diagnostics.items.size(), 1u);
    EXPECT_EQ(loaded.diagnostics.items[0].severity, config::Severity::warning);
    EXPECT_EQ(loaded.diagnostics.items[0].key, "fraud.home_country");
    EXPECT_EQ(loaded.config->fraud.home_country, "XK");
}

TEST(FraudNormalize, FR12_HomeCountryThatIsNoCountryIsAnError) {
    const auto loaded = config::load_config_text("[fraud]\nhome_country = \"Narnia\"\n", "test.toml");
    ASSERT_FALSE(loaded.ok());
    EXPECT_NE(loaded.diagnostics.items[0].message.find("ISO 3166-1"), std::string::npos)
        << loaded.diagnostics.items[0].message;
}

TEST(FraudNormalize, FR12_TomlArrayItemIsOneValueEvenWithAComma) {
    const auto loaded = config::load_config_text(R"(
[fraud]
channels = ["Web, Mobile", "POS"]
[fraud.blacklist]
names = ["Smith, John", "Jane Doe"]
addresses = ["1 Main St, Apt 2"]
cities = ["Washington, D.C."]
states = ["New York", "Bogus, State"]
zips = ["10465, 33130"]
emails = ["a@example.com"]
[fraud.shipping_method]
methods = ["Ground, Saturday", "Next Day Air"]
)",
                                                 "test.toml");
    ASSERT_TRUE(loaded.ok());
    const auto& f = loaded.config->fraud;
    EXPECT_EQ(f.channels, (std::vector<std::string>{"Web, Mobile", "POS"}));
    EXPECT_EQ(f.blacklist.names, (std::vector<std::string>{"Smith, John", "Jane Doe"}));
    EXPECT_EQ(f.blacklist.addresses, (std::vector<std::string>{"1 Main St, Apt 2"}));
    EXPECT_EQ(f.blacklist.cities, (std::vector<std::string>{"Washington, D.C."}));
    EXPECT_EQ(f.blacklist.states, (std::vector<std::string>{"New York", "Bogus, State"}));
    EXPECT_EQ(f.blacklist.zips, (std::vector<std::string>{"10465, 33130"}));
    EXPECT_EQ(f.shipping_method.methods, (std::vector<std::string>{"Ground, Saturday", "Next Day Air"}));
    const Rules r = Rules::from_config(f);
    EXPECT_EQ(r.addresses, (Rules::List{"1 MAIN ST, APT 2"}));
    EXPECT_EQ(r.methods, (std::vector<std::string>{"GROUND, SATURDAY", "NEXT DAY AIR"}));
    // The same lists as one comma-separated string are split at each comma.
    const auto split = config::load_config_text(
        "[fraud.blacklist]\nnames = \"Smith, John\"\n[fraud.shipping_method]\nmethods = \"Ground, Saturday\"\n",
        "test.toml");
    ASSERT_TRUE(split.ok());
    EXPECT_EQ(split.config->fraud.blacklist.names, (std::vector<std::string>{"Smith", "John"}));
    EXPECT_EQ(split.config->fraud.shipping_method.methods, (std::vector<std::string>{"Ground", "Saturday"}));
}

TEST(FraudNormalize, FR12_BlacklistedAddressWithACommaMatches) {
    config::FraudConfig c;
    c.blacklist.check_addresses = true;
    c.blacklist.addresses = {"1 Main St, Apt 2"};
    const Rules r = Rules::from_config(c);
    auto o = testing::clean_order();
    o.ship.address1 = "1 main st,  apt 2";
    EXPECT_EQ(check_blacklist(TestId::blacklist_address, o, r, false).outcome, Outcome::fail);
}

TEST(FraudNormalize, FR12_ConfigListsAreNormalizedOnceFromCommaStrings) {
    const auto loaded = config::load_config_text(R"(
[fraud.blacklist]
check_states = true
states = "New York, New Mexico"
zips = "10465-1234 ,33130"
names = "john   smith,Jane Doe"
cities = ["  las vegas "]
[fraud.shipping_method]
methods = "next day air, Ground"
)",
                                                 "test.toml");
    ASSERT_TRUE(loaded.ok());
    const Rules r = Rules::from_config(loaded.config->fraud);
    EXPECT_EQ(r.states, (Rules::List{"NY", "NM"}));
    EXPECT_EQ(r.zips, (Rules::List{"10465", "33130"}));
    EXPECT_EQ(r.names, (Rules::List{"JOHN SMITH", "JANE DOE"}));
    EXPECT_EQ(r.cities, (Rules::List{"LAS VEGAS"}));
    EXPECT_EQ(r.methods, (std::vector<std::string>{"NEXT DAY AIR", "GROUND"}));
    EXPECT_TRUE(r.on(TestId::blacklist_state));
    EXPECT_FALSE(r.on(TestId::blacklist_zip));
}

TEST(FraudNormalize, FR12_BlacklistNewYorkCatchesStateCodeNY) {
    config::FraudConfig c;
    c.blacklist.check_states = true;
    c.blacklist.states = {"New York", "New Mexico"};
    const Rules r = Rules::from_config(c);
    auto o = testing::clean_order();
    o.bill.state = "ny";
    o.ship.state = "ny";
    EXPECT_EQ(check_blacklist(TestId::blacklist_state, o, r, false).outcome, Outcome::fail);
}

}  // namespace
}  // namespace olmd::jobs::fraud
