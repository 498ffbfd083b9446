// Core values: money in cents, UTC timestamps, TIME arguments across DST.
#include <gtest/gtest.h>

#include <date/tz.h>

#include "olmd/core/money.hpp"
#include "olmd/core/time.hpp"
#include "olmd/core/zone.hpp"

namespace olmd {
namespace {

TEST(Money, DecimalStringsBecomeCents) {
    EXPECT_EQ(*parse_amount("500"), 50000);
    EXPECT_EQ(*parse_amount("500.5"), 50050);
    EXPECT_EQ(*parse_amount("500.05"), 50005);
    EXPECT_EQ(*parse_amount("0.99"), 99);
    EXPECT_EQ(format_cents(50005), "500.05");
}

TEST(Money, MalformedOrNegativeAmountsAreErrors) {
    for (const char* bad : {"", "-5", "5.123", "abc", "5.", ".", "1e3", "5,00"})
        EXPECT_FALSE(parse_amount(bad).ok()) << bad;
    EXPECT_NE(parse_amount("-5").error().message.find("negative"), std::string::npos);
}

TEST(Time, UtcTextRoundTrips) {
    auto t = parse_utc("2026-11-22T13:30:00Z");
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(format_utc(*t), "2026-11-22T13:30:00Z");
}

TEST(Time, MalformedTimestampsAreErrors) {
    for (const char* bad : {"2026-11-22 13:30", "2026-02-30T00:00:00Z", "2026-11-22T25:00:00Z", "2026-02-30 00:00:00",
                            "2026-11-22T13:30:00", "yesterday", ""})
        EXPECT_FALSE(parse_utc(bad).ok()) << bad;
}

TEST(Time, SqliteOwnTimestampFormatIsReadAsUtc) {
    // rules.md "timestamps read": what datetime('now') writes is UTC without the T and the Z.
    EXPECT_EQ(format_utc(*parse_utc("2026-11-22 13:30:00")), "2026-11-22T13:30:00Z");
}

TEST(TimeArg, AcceptsTheFourCliFormats) {
    auto ny = resolve_zone("America/New_York");
    ASSERT_TRUE(ny.ok());
    EXPECT_EQ(format_utc(*parse_time_arg("2026-11-22T13:30:00Z", *ny)), "2026-11-22T13:30:00Z");
    EXPECT_EQ(format_utc(*parse_time_arg("2026-11-22T08:30:00-05:00", *ny)), "2026-11-22T13:30:00Z");
    EXPECT_EQ(format_utc(*parse_time_arg("2026-11-22T08:30", *ny)), "2026-11-22T13:30:00Z");
    EXPECT_EQ(format_utc(*parse_time_arg("2026-11-22 08:30", *ny)), "2026-11-22T13:30:00Z");
}

TEST(TimeArg, LocalTimesFollowDst) {
    auto ny = resolve_zone("America/New_York");
    ASSERT_TRUE(ny.ok());
    // Summer: UTC-4.
    EXPECT_EQ(format_utc(*parse_time_arg("2026-07-01T08:30", *ny)), "2026-07-01T12:30:00Z");
    // Skipped by spring-forward: no such local time.
    auto gap = parse_time_arg("2026-03-08T02:30", *ny);
    ASSERT_FALSE(gap.ok());
    EXPECT_EQ(gap.error().code, 2);
    // Repeated by fall-back: the first occurrence (EDT).
    EXPECT_EQ(format_utc(*parse_time_arg("2026-11-01T01:30", *ny)), "2026-11-01T05:30:00Z");
}

TEST(TimeArg, MalformedTimeIsAUsageError) {
    auto ny = resolve_zone("America/New_York");
    for (const char* bad : {"garbage", "2026-13-01T00:00", "2026-11-22T08:61", "2026-11-22", "08:30"}) {
        auto r = parse_time_arg(bad, *ny);
        ASSERT_FALSE(r.ok()) << bad;
        EXPECT_EQ(r.error().code, 2);
    }
}

TEST(TimeArg, UnknownZoneIsAnError) {
    EXPECT_FALSE(resolve_zone("Mars/Olympus_Mons").ok());
}

TEST(TimeArg, LocalFormattingCarriesTheOffset) {
    auto ny = resolve_zone("America/New_York");
    EXPECT_EQ(format_local(*parse_utc("2026-03-08T07:00:00Z"), *ny), "2026-03-08T03:00:00-04:00");
    EXPECT_EQ(format_local(*parse_utc("2026-01-08T07:00:00Z"), *ny), "2026-01-08T02:00:00-05:00");
}

}  // namespace
}  // namespace olmd
