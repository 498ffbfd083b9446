// PG-1: which backend [daemon] database names, and the URI as messages show it (never a password).
#include "olmd/core/database_uri.hpp"

#include <gtest/gtest.h>

namespace olmd {
namespace {

TEST(DatabaseUri, PG1_BothSchemesArePostgres) {
    EXPECT_TRUE(is_postgres_uri("postgresql://olmd@db.example.com:5432/olmd"));
    EXPECT_TRUE(is_postgres_uri("postgres://olmd@db/olmd"));
    EXPECT_TRUE(is_postgres_uri("postgresql://"));
}

TEST(DatabaseUri, PG1_PathsAndOtherSchemesAreSqlite) {
    EXPECT_FALSE(is_postgres_uri("/var/lib/olmd/olmd.db"));
    EXPECT_FALSE(is_postgres_uri("olmd.db"));
    EXPECT_FALSE(is_postgres_uri("postgresql:/db"));
    EXPECT_FALSE(is_postgres_uri("file:postgresql://db"));
    EXPECT_FALSE(is_postgres_uri("./postgresql://db"));
    EXPECT_FALSE(is_postgres_uri("POSTGRESQL://db"));  // libpq reads the lower-case prefix only
    EXPECT_FALSE(is_postgres_uri(""));
}

TEST(DatabaseUri, PG1_UriWithoutPasswordIsUnchanged) {
    EXPECT_EQ(redact_database_uri("postgresql://olmd@db:5432/olmd?sslmode=require"),
              "postgresql://olmd@db:5432/olmd?sslmode=require");
    EXPECT_EQ(redact_database_uri("postgres://db/olmd"), "postgres://db/olmd");
    EXPECT_EQ(redact_database_uri("postgresql://h1:5432,h2:5433/olmd"), "postgresql://h1:5432,h2:5433/olmd");
}

TEST(DatabaseUri, PG1_UserInfoPasswordIsDropped) {
    EXPECT_EQ(redact_database_uri("postgresql://olmd:s3cret@db:5432/olmd"), "postgresql://olmd@db:5432/olmd");
    EXPECT_EQ(redact_database_uri("postgres://olmd:s3cret@db"), "postgres://olmd@db");
    EXPECT_EQ(redact_database_uri("postgresql://:s3cret@db/x"), "postgresql://@db/x");
}

TEST(DatabaseUri, PG1_PasswordWithRawAtOrSlashIsDroppedWhole) {
    const std::string shown = redact_database_uri("postgresql://olmd:p@ss/w@rd@db:5432/olmd");
    EXPECT_EQ(shown.find("ss"), std::string::npos) << shown;
    EXPECT_EQ(shown.find("rd"), std::string::npos) << shown;
    EXPECT_EQ(shown, "postgresql://olmd@db:5432/olmd");
}

TEST(DatabaseUri, PG1_PasswordWithRawQuestionMarkIsDroppedWhole) {
    // libpq reads everything before the '@' as user info, '?' included.
    EXPECT_EQ(redact_database_uri("postgresql://olmd:pa?ss@db/olmd"), "postgresql://olmd@db/olmd");
    EXPECT_EQ(redact_database_uri("postgresql://olmd:pa?ss@db/olmd?password=x&sslmode=require"),
              "postgresql://olmd@db/olmd?sslmode=require");
}

TEST(DatabaseUri, PG1_AtSignInAQueryValueIsNoUserInfo) {
    EXPECT_EQ(redact_database_uri("postgresql://db:5432/olmd?application_name=ops@host"),
              "postgresql://db:5432/olmd?application_name=ops@host");
    EXPECT_EQ(redact_database_uri("postgresql://u:pw@db/olmd?application_name=ops@host"),
              "postgresql://u@db/olmd?application_name=ops@host");
    EXPECT_EQ(redact_database_uri("postgresql://u:p?w@db/olmd?application_name=ops@host"),
              "postgresql://u@db/olmd?application_name=ops@host");
}

TEST(DatabaseUri, PG1_PasswordQueryParametersAreDropped) {
    EXPECT_EQ(redact_database_uri("postgresql://olmd@db/olmd?password=s3cret"), "postgresql://olmd@db/olmd");
    EXPECT_EQ(
        redact_database_uri("postgresql://olmd@db/olmd?sslmode=require&password=s3cret&connect_timeout=5"),
        "postgresql://olmd@db/olmd?sslmode=require&connect_timeout=5");
    EXPECT_EQ(redact_database_uri("postgresql://db/olmd?PassWord=s3cret&password=again"),
              "postgresql://db/olmd");
    // A parameter that only starts like one is kept.
    EXPECT_EQ(redact_database_uri("postgresql://db/olmd?passfile=/etc/olmd/pgpass"),
              "postgresql://db/olmd?passfile=/etc/olmd/pgpass");
}

TEST(DatabaseUri, PG1_BothPlacesAtOnce) {
    const std::string shown = redact_database_uri("postgresql://u:one@db/x?password=two&application_name=a");
    EXPECT_EQ(shown, "postgresql://u@db/x?application_name=a");
}

TEST(DatabaseUri, PG1_SqlitePathIsReturnedAsIs) {
    EXPECT_EQ(redact_database_uri("/var/lib/olmd/user:pw@host.db"), "/var/lib/olmd/user:pw@host.db");
}

}  // namespace
}  // namespace olmd
