// FR-12 normalization: case, blanks, NULL = "", US states by code or name, ZIP+4,
// and config lists written as one comma-separated string.

#include <gtest/gtest.h>

#include "fraud_test_util.hpp"
#include "olmd/config/loader.hpp"
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

TEST(FraudNormalize, FR12_CountryMustBeTwoLetters) {
    std::string out;
    EXPECT_TRUE(normalize_country_into(" us ", out));
    EXPECT_EQ(out, "US");
    EXPECT_TRUE(normalize_country_into("", out));  // NULL compares as ""
    EXPECT_EQ(out, "");
    EXPECT_FALSE(normalize_country_into("USA", out));
    EXPECT_FALSE(normalize_country_into("U1", out));
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
