// Loading valid configurations: the forms a value may take (dotted keys and inline tables,
// comma-separated lists, amounts, fractions, empty cron), the job accessors, a file on disk.

#include <gtest/gtest.h>

#include <utility>

#include "config_test_util.hpp"

namespace olmd::config {
namespace {

using testing::dump;
using testing::load;

TEST(Config, DottedKeysInsideASectionAreTheSubSection) {
    const auto dotted = load("[sourcing]\nstock.auto_backorder = false\nmanual_review.max_line_items = 4\n");
    const auto table = load("[sourcing.stock]\nauto_backorder = false\n[sourcing.manual_review]\nmax_line_items = 4\n");
    const auto inline_table = load("[sourcing]\nstock = { auto_backorder = false }\n"
                                   "manual_review = { max_line_items = 4 }\n");
    for (const auto* r : {&dotted, &table, &inline_table}) {
        ASSERT_TRUE(r->ok()) << dump(*r);
        EXPECT_FALSE(r->config->sourcing.stock.auto_backorder);
        EXPECT_TRUE(r->config->sourcing.stock.auto_fulfill_backorders);
        EXPECT_EQ(r->config->sourcing.manual_review.max_line_items, 4);
    }
}

TEST(Config, CommaSeparatedStringListsEqualArrays) {
    const auto a = load(R"([fraud]
statuses = ["Ready to Process", "Review"]
channels = ["Web", "Phone"]
[fraud.blacklist]
states = ["New York", "New Mexico"]
[monitor]
warning_emails = ["a@x.org", "b@x.org"]
warning_timeout_minutes = 5
[sourcing.manual_review]
ship_states = ["AK", "HI"]
[capture]
slots = ["06:00", "18:30"]
)");
    const auto s = load(R"([fraud]
statuses = " Ready to Process ,Review,, "
channels = "Web,Phone"
[fraud.blacklist]
states = "New York, New Mexico"
[monitor]
warning_emails = "a@x.org , b@x.org"
warning_timeout_minutes = 5
[sourcing.manual_review]
ship_states = "AK,HI"
[capture]
slots = "06:00, 18:30"
)");
    ASSERT_TRUE(a.ok()) << dump(a);
    ASSERT_TRUE(s.ok()) << dump(s);
    EXPECT_EQ(a.config->fraud.statuses, (std::vector<std::string>{"Ready to Process", "Review"}));
    EXPECT_EQ(s.config->fraud.statuses, a.config->fraud.statuses);
    EXPECT_EQ(s.config->fraud.channels, a.config->fraud.channels);
    EXPECT_EQ(s.config->fraud.blacklist.states, a.config->fraud.blacklist.states);
    EXPECT_EQ(s.config->monitor.warning_emails, a.config->monitor.warning_emails);
    EXPECT_EQ(s.config->sourcing.manual_review.ship_states, a.config->sourcing.manual_review.ship_states);
    EXPECT_EQ(s.config->capture.schedule.slots, a.config->capture.schedule.slots);
    EXPECT_EQ(s.config->capture.schedule.slots, (std::vector<int>{360, 1110}));
}

TEST(Config, EmptyListStringMeansEmptyList) {
    const auto r = load("[fraud]\nchannels = \"\"\n[capture]\nstatuses = \" , \"\n");
    ASSERT_TRUE(r.ok()) << dump(r);
    EXPECT_TRUE(r.config->fraud.channels.empty());
    EXPECT_TRUE(r.config->capture.statuses.empty());
}

TEST(Config, AmountsAreCentsFromDecimalStringsOrWholeUnits) {
    const std::pair<const char*, Cents> cases[] = {
        {"\"500\"", 50000}, {"\"500.5\"", 50050}, {"\"500.00\"", 50000}, {"\"0.01\"", 1}, {"500", 50000}, {"0", 0}};
    for (const auto& [text, cents] : cases) {
        SCOPED_TRACE(text);
        const auto r = load(std::string("[fraud.grand_total]\nthreshold = ") + text + "\n");
        ASSERT_TRUE(r.ok()) << dump(r);
        EXPECT_EQ(r.config->fraud.grand_total.threshold, cents);
    }
}

TEST(Config, IpAddressUrlGoesToTheConfiguredService) {
    const auto m = load("[fraud.ip_address]\nservice = \"maxmind\"\nurl = \"http://localhost:1\"\n");
    ASSERT_TRUE(m.ok()) << dump(m);
    EXPECT_EQ(m.config->fraud.ip_address.maxmind_url, "http://localhost:1");
    EXPECT_EQ(m.config->fraud.ip_address.kickfire_url, "https://api.kickfire.com");

    // The url key may come before the service key: the service decides.
    const auto k = load("[fraud.ip_address]\nurl = \"http://localhost:2\"\nservice = \"kickfire\"\n");
    ASSERT_TRUE(k.ok()) << dump(k);
    EXPECT_EQ(k.config->fraud.ip_address.kickfire_url, "http://localhost:2");
    EXPECT_EQ(k.config->fraud.ip_address.maxmind_url, "https://geoip.maxmind.com");
}

TEST(Config, WarningTimeoutAcceptsIntegersAndFractions) {
    const auto i = load("[monitor]\nwarning_emails = \"a@b.c\"\nwarning_timeout_minutes = 30\n");
    ASSERT_TRUE(i.ok()) << dump(i);
    EXPECT_EQ(i.config->monitor.warning_timeout_minutes, 30.0);
    const auto f = load("[monitor]\nwarning_emails = \"a@b.c\"\nwarning_timeout_minutes = 0.25\n");
    ASSERT_TRUE(f.ok()) << dump(f);
    EXPECT_EQ(f.config->monitor.warning_timeout_minutes, 0.25);
}

TEST(Config, EmptyCronMeansNoCron) {
    const auto r = load("[capture]\ncron = \"\"\nslots = [\"06:00\"]\n");
    ASSERT_TRUE(r.ok()) << dump(r);
    EXPECT_FALSE(r.config->capture.schedule.cron.has_value());
    EXPECT_EQ(r.config->capture.schedule.slots, std::vector<int>{360});
}

TEST(Config, JobReturnsEachJobsCommonKeys) {
    const auto r = load("[reauth]\nenabled = true\nstatuses = [\"A\"]\nslots = [\"01:00\"]\n");
    ASSERT_TRUE(r.ok()) << dump(r);
    EXPECT_TRUE(r.config->job(JobKind::reauth).enabled);
    EXPECT_EQ(r.config->job(JobKind::reauth).statuses, std::vector<std::string>{"A"});
    EXPECT_EQ(&r.config->job(JobKind::capture), static_cast<const JobCommon*>(&r.config->capture));
    EXPECT_EQ(&r.config->job(JobKind::fraud), static_cast<const JobCommon*>(&r.config->fraud));
    EXPECT_EQ(&r.config->job(JobKind::sourcing), static_cast<const JobCommon*>(&r.config->sourcing));
}

TEST(Config, LoadsAFileFromDisk) {
    testing::TempDir dir;
    const auto path = dir.write("olmd.toml", "[daemon]\nbatch_size = 7\n");
    const auto r = load_config_file(path);
    ASSERT_TRUE(r.ok()) << dump(r);
    EXPECT_EQ(r.config->daemon.batch_size, 7);
    EXPECT_EQ(r.config->source_path, path);
}

}  // namespace
}  // namespace olmd::config
