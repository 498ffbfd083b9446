// SCH-1: the syntax of slots and cron expressions.

#include "olmd/config/schedule_spec.hpp"

#include <gtest/gtest.h>

namespace olmd::config {
namespace {

CronSpec cron(std::string_view text) {
    auto r = parse_cron(text);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : CronSpec{};
}

std::string cron_error(std::string_view text) {
    auto r = parse_cron(text);
    EXPECT_FALSE(r.ok()) << "expected an error for " << text;
    return r.ok() ? "" : r.error().message;
}

TEST(ScheduleSpec, SCH1_SlotOnTheHalfHourParses) {
    EXPECT_EQ(*parse_slot("00:00"), 0);
    EXPECT_EQ(*parse_slot("02:30"), 150);
    EXPECT_EQ(*parse_slot("23:30"), 1410);
}

TEST(ScheduleSpec, SCH1_SlotOffTheHalfHourIsError) {
    for (const char* bad : {"13:15", "24:00", "9:30", "", "ab:cd", "12:300", "12-30"}) {
        auto r = parse_slot(bad);
        ASSERT_FALSE(r.ok()) << bad;
        EXPECT_NE(r.error().message.find("\"HH:00\" or \"HH:30\""), std::string::npos) << r.error().message;
        EXPECT_NE(r.error().message.find(std::string("\"") + bad + "\""), std::string::npos) << r.error().message;
    }
}

TEST(ScheduleSpec, SCH1_SlotsStarIsAll48) {
    auto r = parse_slots({"*"});
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->size(), 48u);
    EXPECT_EQ(r->front(), 0);
    EXPECT_EQ(r->back(), 1410);
}

TEST(ScheduleSpec, SCH1_SlotsSortedAndUnique) {
    auto r = parse_slots({"14:00", "02:30", "14:00", "00:00"});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(*r, (std::vector<int>{0, 150, 840}));
}

TEST(ScheduleSpec, SCH1_SlotsWithOneBadEntryIsError) {
    auto r = parse_slots({"02:30", "13:15"});
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("13:15"), std::string::npos);
}

TEST(ScheduleSpec, SCH1_CronStarSelectsEverything) {
    CronSpec c = cron("* * * * *");
    EXPECT_EQ(c.minutes.count(), 60u);
    EXPECT_EQ(c.hours.count(), 24u);
    EXPECT_EQ(c.days_of_month.count(), 31u);
    EXPECT_FALSE(c.days_of_month[0]);
    EXPECT_EQ(c.months.count(), 12u);
    EXPECT_FALSE(c.months[0]);
    EXPECT_EQ(c.days_of_week.count(), 7u);
    EXPECT_FALSE(c.dom_restricted);
    EXPECT_FALSE(c.dow_restricted);
    EXPECT_EQ(c.text, "* * * * *");
}

TEST(ScheduleSpec, SCH1_CronListsRangesAndSteps) {
    CronSpec c = cron("0,15,45 9-17/4 */10 1-12/3 1-5");
    EXPECT_EQ(c.minutes.count(), 3u);
    EXPECT_TRUE(c.minutes[0] && c.minutes[15] && c.minutes[45]);
    EXPECT_EQ(c.hours.count(), 3u);
    EXPECT_TRUE(c.hours[9] && c.hours[13] && c.hours[17]);
    EXPECT_EQ(c.days_of_month.count(), 4u);  // 1, 11, 21, 31
    EXPECT_TRUE(c.days_of_month[1] && c.days_of_month[11] && c.days_of_month[21] && c.days_of_month[31]);
    EXPECT_EQ(c.months.count(), 4u);  // 1, 4, 7, 10
    EXPECT_TRUE(c.months[1] && c.months[4] && c.months[7] && c.months[10]);
    EXPECT_EQ(c.days_of_week.count(), 5u);
    EXPECT_FALSE(c.days_of_week[0]);
    EXPECT_FALSE(c.dom_restricted);  // "*/10" starts with '*'
    EXPECT_TRUE(c.dow_restricted);
}

TEST(ScheduleSpec, SCH1_CronStartSlashStepRunsToTheEnd) {
    CronSpec c = cron("50/5 * * * *");
    EXPECT_EQ(c.minutes.count(), 2u);
    EXPECT_TRUE(c.minutes[50] && c.minutes[55]);
}

TEST(ScheduleSpec, SCH1_CronMonthAndDayNamesCaseInsensitive) {
    CronSpec c = cron("0 0 * JAN,mar-May Mon-fri");
    EXPECT_EQ(c.months.count(), 4u);
    EXPECT_TRUE(c.months[1] && c.months[3] && c.months[4] && c.months[5]);
    EXPECT_EQ(c.days_of_week.count(), 5u);
    EXPECT_TRUE(c.days_of_week[1] && c.days_of_week[5]);
    CronSpec s = cron("0 0 * * sun");
    EXPECT_TRUE(s.days_of_week[0]);
    EXPECT_EQ(s.days_of_week.count(), 1u);
}

TEST(ScheduleSpec, SCH1_CronDayOfWeekSevenIsSunday) {
    CronSpec c = cron("0 0 * * 7");
    EXPECT_TRUE(c.days_of_week[0]);
    EXPECT_EQ(c.days_of_week.count(), 1u);
    CronSpec r = cron("0 0 * * 5-7");
    EXPECT_EQ(r.days_of_week.count(), 3u);
    EXPECT_TRUE(r.days_of_week[5] && r.days_of_week[6] && r.days_of_week[0]);
}

TEST(ScheduleSpec, SCH1_CronExtraWhitespaceIsFine) {
    CronSpec c = cron("  30\t1  * * *  ");
    EXPECT_TRUE(c.minutes[30]);
    EXPECT_TRUE(c.hours[1]);
}

TEST(ScheduleSpec, SCH1_CronSixFieldsIsError) {
    EXPECT_EQ(cron_error("0 0 * * * *"),
              "cron \"0 0 * * * *\": expected 5 fields (minute hour day-of-month month day-of-week), got 6");
    EXPECT_NE(cron_error("0 0 *").find("got 3"), std::string::npos);
    EXPECT_NE(cron_error("").find("got 0"), std::string::npos);
}

TEST(ScheduleSpec, SCH1_CronOutOfRangeNamesFieldColumnAndRange) {
    EXPECT_EQ(cron_error("61 * * * *"), "cron \"61 * * * *\": field 1 (minute) at column 1: 61 is out of range 0-59");
    EXPECT_EQ(cron_error("0 24 * * *"), "cron \"0 24 * * *\": field 2 (hour) at column 3: 24 is out of range 0-23");
    EXPECT_EQ(cron_error("0 0 0 * *"),
              "cron \"0 0 0 * *\": field 3 (day-of-month) at column 5: 0 is out of range 1-31");
    EXPECT_EQ(cron_error("0 0 * 13 *"), "cron \"0 0 * 13 *\": field 4 (month) at column 7: 13 is out of range 1-12");
    EXPECT_EQ(cron_error("0 0 * * 8"),
              "cron \"0 0 * * 8\": field 5 (day-of-week) at column 9: 8 is out of range 0-7");
}

TEST(ScheduleSpec, SCH1_CronErrorColumnPointsInsideLists) {
    // "1,2,99": the bad item starts at column 5 of the text.
    EXPECT_EQ(cron_error("1,2,99 * * * *"),
              "cron \"1,2,99 * * * *\": field 1 (minute) at column 5: 99 is out of range 0-59");
    EXPECT_EQ(cron_error("0 1-25 * * *"),
              "cron \"0 1-25 * * *\": field 2 (hour) at column 5: 25 is out of range 0-23");
}

TEST(ScheduleSpec, SCH1_CronBadTokensAreErrors) {
    std::string e = cron_error("0 0 * foo *");
    EXPECT_NE(e.find("field 4 (month) at column 7"), std::string::npos) << e;
    EXPECT_NE(e.find("\"foo\""), std::string::npos) << e;
    EXPECT_NE(e.find("1-12 or jan-dec"), std::string::npos) << e;

    e = cron_error("*/0 * * * *");
    EXPECT_NE(e.find("field 1 (minute) at column 3"), std::string::npos) << e;
    EXPECT_NE(e.find("step"), std::string::npos) << e;

    e = cron_error("0 0 * * mon-sun/x");
    EXPECT_NE(e.find("field 5 (day-of-week)"), std::string::npos) << e;

    e = cron_error("5-3 * * * *");
    EXPECT_NE(e.find("backwards"), std::string::npos) << e;
    EXPECT_NE(e.find("0-59"), std::string::npos) << e;

    e = cron_error("1,,2 * * * *");
    EXPECT_NE(e.find("empty list item"), std::string::npos) << e;

    e = cron_error("0 0 * * funday");
    EXPECT_NE(e.find("sun-sat"), std::string::npos) << e;

    EXPECT_TRUE(parse_cron("0 0 * jan *").ok());
    EXPECT_TRUE(parse_cron("0 0 1 * mon").ok());
    EXPECT_FALSE(parse_cron("-1 * * * *").ok());
    EXPECT_FALSE(parse_cron("0 0 * * 1-").ok());
}

TEST(ScheduleSpec, SCH1_CronVixieDayRule) {
    // Both restricted: the 1st of the month OR any Monday.
    CronSpec both = cron("0 0 1 * mon");
    EXPECT_TRUE(both.dom_restricted);
    EXPECT_TRUE(both.dow_restricted);
    EXPECT_TRUE(both.day_matches(1, 6, 3));    // the 1st, a Wednesday
    EXPECT_TRUE(both.day_matches(15, 6, 1));   // a Monday the 15th
    EXPECT_FALSE(both.day_matches(15, 6, 3));  // neither

    // Only day-of-month restricted: day-of-week ignored.
    CronSpec dom = cron("0 0 1 * *");
    EXPECT_TRUE(dom.day_matches(1, 6, 3));
    EXPECT_FALSE(dom.day_matches(15, 6, 1));

    // Only day-of-week restricted.
    CronSpec dow = cron("0 0 * * 1");
    EXPECT_FALSE(dow.day_matches(1, 6, 3));
    EXPECT_TRUE(dow.day_matches(15, 6, 1));

    // "*/2" in day-of-month starts with '*': not "restricted" for the OR rule, so as in Vixie
    // cron both fields must match (odd days that are Mondays), never day-of-week alone (fuzz F4).
    CronSpec star = cron("0 0 */2 * 1");
    EXPECT_FALSE(star.dom_restricted);
    EXPECT_FALSE(star.day_matches(1, 6, 3));
    EXPECT_FALSE(star.day_matches(2, 6, 1));
    EXPECT_TRUE(star.day_matches(3, 6, 1));

    // The month always has to match.
    CronSpec feb = cron("0 0 29 2 *");
    EXPECT_TRUE(feb.day_matches(29, 2, 4));
    EXPECT_FALSE(feb.day_matches(29, 3, 4));
}

}  // namespace
}  // namespace olmd::config
