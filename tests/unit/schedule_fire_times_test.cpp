// SCH-1..SCH-3: fire times from slots and cron, across DST, merged per instant.

#include "olmd/schedule/fire_times.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "olmd/core/zone.hpp"
#include "olmd/schedule/dst.hpp"

namespace olmd::schedule {
namespace {

struct JobSpec {
    JobKind kind;
    std::vector<std::string> slots;
    std::string cron;
    bool enabled = true;
};

config::JobCommon& job_of(config::Config& cfg, JobKind k) {
    switch (k) {
        case JobKind::capture: return cfg.capture;
        case JobKind::reauth: return cfg.reauth;
        case JobKind::fraud: return cfg.fraud;
        case JobKind::sourcing: return cfg.sourcing;
    }
    return cfg.capture;
}

config::Config make_config(std::initializer_list<JobSpec> jobs) {
    config::Config cfg;
    for (const JobSpec& j : jobs) {
        config::JobCommon& job = job_of(cfg, j.kind);
        job.enabled = j.enabled;
        if (!j.slots.empty()) {
            auto slots = config::parse_slots(j.slots);
            EXPECT_TRUE(slots.ok());
            if (slots.ok()) job.schedule.slots = *slots;
        }
        if (!j.cron.empty()) {
            auto cron = config::parse_cron(j.cron);
            EXPECT_TRUE(cron.ok()) << (cron.ok() ? "" : cron.error().message);
            if (cron.ok()) job.schedule.cron = *cron;
        }
    }
    return cfg;
}

const date::time_zone* zone(const char* name) {
    auto z = olmd::resolve_zone(name);
    EXPECT_TRUE(z.ok());
    return z.ok() ? *z : nullptr;
}

FireTimeCalculator calc(const char* tz, std::initializer_list<JobSpec> jobs) {
    return FireTimeCalculator(make_config(jobs), zone(tz));
}

Instant utc(const char* text) {
    auto t = parse_utc(text);
    EXPECT_TRUE(t.ok()) << text;
    return t.ok() ? *t : Instant{};
}

std::string next(const FireTimeCalculator& c, const char* after) {
    auto f = c.next_after(utc(after));
    return f ? format_fire_time(*f) : "none";
}

std::vector<std::string> formatted(const std::vector<FireTime>& fires) {
    std::vector<std::string> out;
    for (const FireTime& f : fires) out.push_back(format_fire_time(f));
    return out;
}

/// The next n fire times after `after`, chained through next_after.
std::vector<std::string> chain(const FireTimeCalculator& c, const char* after, int n) {
    std::vector<std::string> out;
    Instant t = utc(after);
    for (int i = 0; i < n; ++i) {
        auto f = c.next_after(t);
        if (!f) break;
        out.push_back(format_fire_time(*f));
        t = f->at;
    }
    return out;
}

// --- formatting and basics ----------------------------------------------------------

TEST(Schedule, SCH1_FormatIsLocalTimeWithOffsetAndJobs) {
    FireTime f{utc("2026-03-08T07:00:00Z"), {JobKind::capture, JobKind::fraud}, {}};
    f.local = local_time(zone("America/New_York"), f.at);
    EXPECT_EQ(format_fire_time(f), "2026-03-08T03:00:00-04:00 capture,fraud");
    FireTime g{utc("2026-10-25T02:00:00Z"), {JobKind::sourcing}, {}};
    g.local = local_time(zone("Europe/London"), g.at);
    EXPECT_EQ(format_fire_time(g), "2026-10-25T02:00:00+00:00 sourcing");
    FireTime h{utc("2026-06-01T04:30:00Z"), {JobKind::reauth}, {}};
    h.local = local_time(zone("Asia/Kolkata"), h.at);
    EXPECT_EQ(format_fire_time(h), "2026-06-01T10:00:00+05:30 reauth");
}

TEST(Schedule, SCH1_DailySlotFiresEveryDayAtLocalTime) {
    auto c = calc("America/New_York", {{JobKind::capture, {"09:30"}, ""}});
    EXPECT_EQ(chain(c, "2026-06-01T00:00:00Z", 3),
              (std::vector<std::string>{"2026-06-01T09:30:00-04:00 capture", "2026-06-02T09:30:00-04:00 capture",
                                        "2026-06-03T09:30:00-04:00 capture"}));
}

TEST(Schedule, SCH1_NextAfterIsStrictlyAfter) {
    auto c = calc("UTC", {{JobKind::capture, {"12:00"}, ""}});
    EXPECT_EQ(next(c, "2026-06-01T11:59:59Z"), "2026-06-01T12:00:00+00:00 capture");
    EXPECT_EQ(next(c, "2026-06-01T12:00:00Z"), "2026-06-02T12:00:00+00:00 capture");
}

TEST(Schedule, SCH1_DisabledOrUnscheduledJobsNeverFire) {
    auto c = calc("UTC", {{JobKind::capture, {"12:00"}, "", false}, {JobKind::fraud, {}, ""}});
    EXPECT_TRUE(c.empty());
    EXPECT_FALSE(c.next_after(utc("2026-06-01T00:00:00Z")).has_value());
    EXPECT_TRUE(c.between(utc("2026-06-01T00:00:00Z"), utc("2026-06-10T00:00:00Z")).empty());

    auto d = calc("UTC", {{JobKind::capture, {"12:00"}, "", false}, {JobKind::fraud, {"13:00"}, ""}});
    EXPECT_FALSE(d.empty());
    EXPECT_EQ(next(d, "2026-06-01T00:00:00Z"), "2026-06-01T13:00:00+00:00 fraud");
}

TEST(Schedule, SCH1_CronAnyMinuteAllowed) {
    auto c = calc("UTC", {{JobKind::fraud, {}, "7,53 */6 * * *"}});
    EXPECT_EQ(chain(c, "2026-06-01T05:00:00Z", 3),
              (std::vector<std::string>{"2026-06-01T06:07:00+00:00 fraud", "2026-06-01T06:53:00+00:00 fraud",
                                        "2026-06-01T12:07:00+00:00 fraud"}));
}

TEST(Schedule, SCH1_CronVixieRuleEitherDayFieldMatches) {
    // The 13th or any Friday (both day fields restricted). March 2026: Fridays 6, 13, 20, 27.
    auto both = calc("America/New_York", {{JobKind::capture, {}, "0 12 13 * fri"}});
    EXPECT_EQ(chain(both, "2026-03-01T00:00:00Z", 7),
              (std::vector<std::string>{
                  "2026-03-06T12:00:00-05:00 capture", "2026-03-13T12:00:00-04:00 capture",
                  "2026-03-20T12:00:00-04:00 capture", "2026-03-27T12:00:00-04:00 capture",
                  "2026-04-03T12:00:00-04:00 capture", "2026-04-10T12:00:00-04:00 capture",
                  "2026-04-13T12:00:00-04:00 capture"}));
    // Only day-of-week restricted ("*/1" starts with '*'): Fridays only.
    auto dow = calc("America/New_York", {{JobKind::capture, {}, "0 12 */1 * 5"}});
    EXPECT_EQ(chain(dow, "2026-04-11T00:00:00Z", 2),
              (std::vector<std::string>{"2026-04-17T12:00:00-04:00 capture", "2026-04-24T12:00:00-04:00 capture"}));
    // Only day-of-month restricted: the 13th only.
    auto dom = calc("America/New_York", {{JobKind::capture, {}, "0 12 13 * *"}});
    EXPECT_EQ(chain(dom, "2026-03-01T00:00:00Z", 2),
              (std::vector<std::string>{"2026-03-13T12:00:00-04:00 capture", "2026-04-13T12:00:00-04:00 capture"}));
}

TEST(Schedule, SCH1_CronLeapDayFoundYearsAhead) {
    auto c = calc("America/New_York", {{JobKind::sourcing, {}, "0 0 29 2 *"}});
    EXPECT_EQ(next(c, "2026-03-01T00:00:00Z"), "2028-02-29T00:00:00-05:00 sourcing");
    EXPECT_EQ(next(c, "2028-02-29T05:00:00Z"), "2032-02-29T00:00:00-05:00 sourcing");
}

TEST(Schedule, SCH1_CronThatNeverFiresIsRefusedAndRareOnesGiveNoneWithinHorizon) {
    // config.md: a schedule that can never fire is an error, not a job that silently never runs.
    for (const char* never : {"0 0 30 2 *", "0 0 31 apr,jun *"}) {
        const auto r = config::parse_cron(never);
        ASSERT_FALSE(r.ok()) << never;
        EXPECT_NE(r.error().message.find("can never fire"), std::string::npos) << r.error().message;
    }
    // 2100 is not a leap year: the next Feb 29 after 2096 is beyond the ~5-year horizon.
    EXPECT_EQ(next(calc("UTC", {{JobKind::capture, {}, "0 0 29 2 *"}}), "2096-03-01T00:00:00Z"), "none");
}

// --- SCH-2: several jobs, fixed order -------------------------------------------------

TEST(Schedule, SCH2_JobsDueTogetherMergeInFixedOrder) {
    auto c = calc("America/New_York", {{JobKind::sourcing, {}, "0 9 * * *"},
                                       {JobKind::capture, {"09:00", "10:00"}, ""},
                                       {JobKind::fraud, {"09:00"}, ""},
                                       {JobKind::reauth, {}, "30 9 * * *"}});
    EXPECT_EQ(chain(c, "2026-06-01T00:00:00Z", 4),
              (std::vector<std::string>{"2026-06-01T09:00:00-04:00 capture,fraud,sourcing",
                                        "2026-06-01T09:30:00-04:00 reauth", "2026-06-01T10:00:00-04:00 capture",
                                        "2026-06-02T09:00:00-04:00 capture,fraud,sourcing"}));
}

// --- SCH-3: America/New_York (spring forward 2026-03-08 02:00 EST -> 03:00 EDT,
//            fall back 2026-11-01 02:00 EDT -> 01:00 EST) ----------------------------

TEST(Schedule, SCH3_SpringForwardSlotFiresAtEndOfGap) {
    auto c = calc("America/New_York", {{JobKind::capture, {"02:30"}, ""}});
    auto f = c.next_after(utc("2026-03-07T12:00:00Z"));
    ASSERT_TRUE(f.has_value());
    EXPECT_EQ(f->at, utc("2026-03-08T07:00:00Z"));
    EXPECT_EQ(format_fire_time(*f), "2026-03-08T03:00:00-04:00 capture");
    EXPECT_EQ(chain(c, "2026-03-07T00:00:00Z", 3),
              (std::vector<std::string>{"2026-03-07T02:30:00-05:00 capture", "2026-03-08T03:00:00-04:00 capture",
                                        "2026-03-09T02:30:00-04:00 capture"}));
}

TEST(Schedule, SCH3_FallBackSlotFiresAtFirstOccurrenceOnly) {
    auto c = calc("America/New_York", {{JobKind::capture, {"01:30"}, ""}});
    EXPECT_EQ(chain(c, "2026-10-31T12:00:00Z", 2),
              (std::vector<std::string>{"2026-11-01T01:30:00-04:00 capture", "2026-11-02T01:30:00-05:00 capture"}));
    // From inside the repeated hour (after the first 01:30), the second 01:30 does not fire.
    EXPECT_EQ(next(c, "2026-11-01T05:45:00Z"), "2026-11-02T01:30:00-05:00 capture");
    EXPECT_EQ(next(c, "2026-11-01T06:15:00Z"), "2026-11-02T01:30:00-05:00 capture");
}

TEST(Schedule, SCH3_CronDailyAcrossNewYorkDst) {
    auto c = calc("America/New_York", {{JobKind::fraud, {}, "30 1 * * *"}});
    EXPECT_EQ(chain(c, "2026-03-07T00:00:00Z", 3),
              (std::vector<std::string>{"2026-03-07T01:30:00-05:00 fraud", "2026-03-08T01:30:00-05:00 fraud",
                                        "2026-03-09T01:30:00-04:00 fraud"}));
    EXPECT_EQ(chain(c, "2026-10-31T00:00:00Z", 3),
              (std::vector<std::string>{"2026-10-31T01:30:00-04:00 fraud", "2026-11-01T01:30:00-04:00 fraud",
                                        "2026-11-02T01:30:00-05:00 fraud"}));
}

TEST(Schedule, SCH3_CronSundayTwoAmAcrossNewYorkDst) {
    auto c = calc("America/New_York", {{JobKind::reauth, {}, "0 2 * * 0"}});
    EXPECT_EQ(chain(c, "2026-03-01T08:00:00Z", 2),
              (std::vector<std::string>{"2026-03-08T03:00:00-04:00 reauth", "2026-03-15T02:00:00-04:00 reauth"}));
    // 02:00 on the fall-back Sunday occurs once, after the repeat, in EST.
    EXPECT_EQ(chain(c, "2026-10-26T00:00:00Z", 2),
              (std::vector<std::string>{"2026-11-01T02:00:00-05:00 reauth", "2026-11-08T02:00:00-05:00 reauth"}));
}

TEST(Schedule, SCH3_HalfHourlySpringForwardDayMergesSkippedSlots) {
    auto c = calc("America/New_York", {{JobKind::capture, {"*"}, ""}});
    // The local day 2026-03-08 runs 05:00Z .. 04:00Z next day (23 hours).
    auto fires = c.between(utc("2026-03-08T04:59:59Z"), utc("2026-03-09T03:59:59Z"));
    // 48 local times; 02:00 and 02:30 do not exist and fire with 03:00 at 07:00Z: 46 instants.
    ASSERT_EQ(fires.size(), 46u);
    auto text = formatted(fires);
    EXPECT_EQ(text[0], "2026-03-08T00:00:00-05:00 capture");
    EXPECT_EQ(text[3], "2026-03-08T01:30:00-05:00 capture");
    EXPECT_EQ(text[4], "2026-03-08T03:00:00-04:00 capture");
    EXPECT_EQ(fires[4].at, utc("2026-03-08T07:00:00Z"));
    EXPECT_EQ(text[5], "2026-03-08T03:30:00-04:00 capture");
    EXPECT_EQ(text[45], "2026-03-08T23:30:00-04:00 capture");
    for (std::size_t i = 1; i < fires.size(); ++i) EXPECT_EQ(fires[i].at - fires[i - 1].at, std::chrono::minutes{30});
}

TEST(Schedule, SCH3_HalfHourlyFallBackDayFires48TimesEachOnce) {
    auto c = calc("America/New_York", {{JobKind::capture, {"*"}, ""}});
    // The local day 2026-11-01 runs 04:00Z .. 05:00Z next day (25 hours).
    auto fires = c.between(utc("2026-11-01T03:59:59Z"), utc("2026-11-02T04:59:59Z"));
    ASSERT_EQ(fires.size(), 48u);
    std::set<std::string> local_times;
    for (const FireTime& f : fires) local_times.insert(date::format("%H:%M", f.local));
    EXPECT_EQ(local_times.size(), 48u);  // every local time of the day, exactly once
    auto text = formatted(fires);
    EXPECT_EQ(text[2], "2026-11-01T01:00:00-04:00 capture");
    EXPECT_EQ(text[3], "2026-11-01T01:30:00-04:00 capture");
    EXPECT_EQ(text[4], "2026-11-01T02:00:00-05:00 capture");
    // Nothing fires during the repeated hour (05:30Z..07:00Z).
    EXPECT_EQ(fires[4].at - fires[3].at, std::chrono::minutes{90});
}

TEST(Schedule, SCH3_EveryThirtyMinuteCronEqualsStarSlotsAcrossDst) {
    auto slots = calc("America/New_York", {{JobKind::capture, {"*"}, ""}});
    auto cron = calc("America/New_York", {{JobKind::capture, {}, "*/30 * * * *"}});
    for (const char* from : {"2026-03-06T00:00:00Z", "2026-10-30T00:00:00Z"}) {
        const Instant a = utc(from);
        const Instant b = a + std::chrono::days{4};
        EXPECT_EQ(slots.between(a, b), cron.between(a, b)) << from;
    }
    // Spring-forward weekend: 4 days of 48 minus 2 merged = 190 fires.
    EXPECT_EQ(cron.between(utc("2026-03-06T05:00:00Z"), utc("2026-03-10T04:00:00Z")).size(), 4u * 48 - 2);
    // Fall-back weekend: 4 local days, 48 each.
    EXPECT_EQ(cron.between(utc("2026-10-30T04:00:00Z"), utc("2026-11-03T05:00:00Z")).size(), 4u * 48);
}

TEST(Schedule, SCH3_SkippedSlotsMergeWithOtherJobsAtEndOfGap) {
    auto c = calc("America/New_York", {{JobKind::capture, {"02:30"}, ""},
                                       {JobKind::reauth, {"02:00"}, ""},
                                       {JobKind::fraud, {}, "0 3 * * *"},
                                       {JobKind::sourcing, {"02:30"}, "", false}});
    auto f = c.next_after(utc("2026-03-08T06:00:00Z"));
    ASSERT_TRUE(f.has_value());
    EXPECT_EQ(f->at, utc("2026-03-08T07:00:00Z"));
    EXPECT_EQ(f->jobs, (std::vector<JobKind>{JobKind::capture, JobKind::reauth, JobKind::fraud}));
    EXPECT_EQ(format_fire_time(*f), "2026-03-08T03:00:00-04:00 capture,reauth,fraud");
    // On an ordinary day they are three fire times.
    EXPECT_EQ(chain(c, "2026-03-09T00:00:00Z", 3),
              (std::vector<std::string>{"2026-03-09T02:00:00-04:00 reauth", "2026-03-09T02:30:00-04:00 capture",
                                        "2026-03-09T03:00:00-04:00 fraud"}));
}

// --- SCH-3: Europe/London (BST starts 2026-03-29 01:00 GMT -> 02:00 BST,
//            ends 2026-10-25 02:00 BST -> 01:00 GMT) ------------------------------------

TEST(Schedule, SCH3_LondonSpringForwardCronFiresAtEndOfGap) {
    auto c = calc("Europe/London", {{JobKind::fraud, {}, "30 1 * * *"}});
    EXPECT_EQ(chain(c, "2026-03-28T00:00:00Z", 3),
              (std::vector<std::string>{"2026-03-28T01:30:00+00:00 fraud", "2026-03-29T02:00:00+01:00 fraud",
                                        "2026-03-30T01:30:00+01:00 fraud"}));
    EXPECT_EQ(c.next_after(utc("2026-03-28T12:00:00Z"))->at, utc("2026-03-29T01:00:00Z"));
}

TEST(Schedule, SCH3_LondonFallBackCronFiresFirstOccurrence) {
    auto c = calc("Europe/London", {{JobKind::fraud, {}, "30 1 * * *"}});
    EXPECT_EQ(chain(c, "2026-10-24T12:00:00Z", 2),
              (std::vector<std::string>{"2026-10-25T01:30:00+01:00 fraud", "2026-10-26T01:30:00+00:00 fraud"}));
}

TEST(Schedule, SCH3_LondonSundayTwoAm) {
    auto c = calc("Europe/London", {{JobKind::sourcing, {}, "0 2 * * sun"}});
    EXPECT_EQ(chain(c, "2026-03-22T12:00:00Z", 1), (std::vector<std::string>{"2026-03-29T02:00:00+01:00 sourcing"}));
    EXPECT_EQ(chain(c, "2026-10-18T12:00:00Z", 1), (std::vector<std::string>{"2026-10-25T02:00:00+00:00 sourcing"}));
}

TEST(Schedule, SCH3_LondonDailySlotAcrossDst) {
    auto c = calc("Europe/London", {{JobKind::capture, {"01:30"}, ""}});
    EXPECT_EQ(chain(c, "2026-03-28T12:00:00Z", 2),
              (std::vector<std::string>{"2026-03-29T02:00:00+01:00 capture", "2026-03-30T01:30:00+01:00 capture"}));
    EXPECT_EQ(chain(c, "2026-10-24T12:00:00Z", 2),
              (std::vector<std::string>{"2026-10-25T01:30:00+01:00 capture", "2026-10-26T01:30:00+00:00 capture"}));
}

TEST(Schedule, SCH3_LondonHalfHourlyDstDays) {
    auto c = calc("Europe/London", {{JobKind::capture, {"*"}, ""}});
    // 2026-03-29: 00:00Z .. 23:00Z; 01:00 and 01:30 merge into 02:00 BST (01:00Z).
    auto spring = c.between(utc("2026-03-28T23:59:59Z"), utc("2026-03-29T22:59:59Z"));
    ASSERT_EQ(spring.size(), 46u);
    EXPECT_EQ(format_fire_time(spring[2]), "2026-03-29T02:00:00+01:00 capture");
    // 2026-10-25: 23:00Z (24th) .. 00:00Z (26th); 48 fires, none in the repeated hour.
    auto fall = c.between(utc("2026-10-24T22:59:59Z"), utc("2026-10-25T23:59:59Z"));
    ASSERT_EQ(fall.size(), 48u);
    EXPECT_EQ(format_fire_time(fall[3]), "2026-10-25T01:30:00+01:00 capture");
    EXPECT_EQ(format_fire_time(fall[4]), "2026-10-25T02:00:00+00:00 capture");
}

// --- SCH-3: a skipped calendar day (Pacific/Apia jumped from 2011-12-29 24:00 -10:00
//            to 2011-12-31 00:00 +14:00, at 2011-12-30T10:00:00Z) ----------------------

TEST(Schedule, SCH3_SkippedWholeDayFiresOnceAtEndOfGap) {
    auto c = calc("Pacific/Apia", {{JobKind::capture, {"12:00"}, ""}, {JobKind::fraud, {}, "0 0 31 12 *"}});
    EXPECT_EQ(chain(c, "2011-12-29T00:00:00Z", 3),
              (std::vector<std::string>{"2011-12-29T12:00:00-10:00 capture",
                                        "2011-12-31T00:00:00+14:00 capture,fraud",
                                        "2011-12-31T12:00:00+14:00 capture"}));
}

// --- between() and next_after() agree ---------------------------------------------------

TEST(Schedule, SCH3_BetweenMatchesChainedNextAfter) {
    auto c = calc("America/New_York", {{JobKind::capture, {"*"}, ""},
                                       {JobKind::reauth, {}, "15,45 1-3 * * *"},
                                       {JobKind::fraud, {}, "0 2 * * 0"}});
    for (const char* from : {"2026-03-06T00:00:00Z", "2026-10-30T00:00:00Z"}) {
        const Instant a = utc(from);
        const Instant b = a + std::chrono::days{4};
        auto all = c.between(a, b);
        std::vector<FireTime> chained;
        for (auto f = c.next_after(a); f && f->at <= b; f = c.next_after(f->at)) chained.push_back(*f);
        EXPECT_EQ(all, chained) << from;
        for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].at, all[i].at);
    }
}

TEST(Schedule, SCH5_BetweenIsOpenAfterClosedUntil) {
    auto c = calc("UTC", {{JobKind::capture, {"12:00", "12:30"}, ""}});
    auto fires = c.between(utc("2026-06-01T12:00:00Z"), utc("2026-06-02T12:00:00Z"));
    EXPECT_EQ(formatted(fires),
              (std::vector<std::string>{"2026-06-01T12:30:00+00:00 capture", "2026-06-02T12:00:00+00:00 capture"}));
    EXPECT_TRUE(c.between(utc("2026-06-02T12:00:00Z"), utc("2026-06-01T12:00:00Z")).empty());
}

TEST(Schedule, SCH3_CreateResolvesConfiguredZone) {
    config::Config cfg = make_config({{JobKind::capture, {"02:30"}, ""}});
    cfg.daemon.timezone = "America/New_York";
    auto c = FireTimeCalculator::create(cfg);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->zone()->name(), "America/New_York");
    EXPECT_EQ(next(*c, "2026-03-07T12:00:00Z"), "2026-03-08T03:00:00-04:00 capture");

    cfg.daemon.timezone = "Mars/Olympus_Mons";
    auto bad = FireTimeCalculator::create(cfg);
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().message.find("Mars/Olympus_Mons"), std::string::npos) << bad.error().message;

    cfg.daemon.timezone = "";
    EXPECT_TRUE(FireTimeCalculator::create(cfg).ok());  // the system zone
}

}  // namespace
}  // namespace olmd::schedule
