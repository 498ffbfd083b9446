// Invalid configurations, how they are reported: file:line:column, syntax errors, unknown
// keys and sections with the nearest known name, wrong types, every mistake at once, files
// that cannot be read. The values out of range are in config_value_errors_test.cpp, what
// enabled features require in config_required_errors_test.cpp.

#include <gtest/gtest.h>

#include "config_test_util.hpp"

namespace olmd::config {
namespace {

using testing::dump;
using testing::errors;
using testing::has;
using testing::load;
using testing::only_error;

TEST(ConfigErrors, DiagnosticPrintsFileLineColumnKeyAndMessage) {
    Diagnostic d{Severity::error, "/etc/olmd/olmd.toml", 12, 3, "fraud.statuses", "must not be empty"};
    EXPECT_EQ(d.to_string(), "/etc/olmd/olmd.toml:12:3: error: fraud.statuses: must not be empty");
    d.line = 0;
    d.severity = Severity::warning;
    EXPECT_EQ(d.to_string(), "/etc/olmd/olmd.toml: warning: fraud.statuses: must not be empty");
    d.key.clear();
    EXPECT_EQ(d.to_string(), "/etc/olmd/olmd.toml: warning: must not be empty");

    Diagnostics all;
    EXPECT_FALSE(all.has_errors());
    all.warning("f", 1, 1, "k", "w");
    EXPECT_FALSE(all.has_errors());
    all.error("f", 2, 1, "k", "e");
    EXPECT_TRUE(all.has_errors());
    ASSERT_EQ(all.items.size(), 2u);
    EXPECT_EQ(all.items[1].to_string(), "f:2:1: error: k: e");
}

TEST(ConfigErrors, SyntaxErrorHasLineAndColumn) {
    const auto r = load("[daemon]\nbatch_size = 5\ntimezone = \"UTC\n");
    ASSERT_FALSE(r.ok());
    const auto e = errors(r);
    ASSERT_EQ(e.size(), 1u) << dump(r);
    EXPECT_EQ(e[0].file, "test.toml");
    EXPECT_EQ(e[0].line, 3);
    EXPECT_GT(e[0].column, 0);
    EXPECT_TRUE(has(e[0].to_string(), "test.toml:3:")) << e[0].to_string();
    EXPECT_TRUE(has(e[0].message, "syntax")) << e[0].message;
    ASSERT_NE(r.config, nullptr);  // still a (default) config
    EXPECT_EQ(r.config->daemon.batch_size, 500);
}

TEST(ConfigErrors, DuplicateKeyIsASyntaxError) {
    const auto d = only_error("[daemon]\nbatch_size = 5\nbatch_size = 6\n");
    EXPECT_EQ(d.line, 3);
}

TEST(ConfigErrors, UnknownKeySuggestsTheNearestKnownKey) {
    const auto d = only_error("[fraud.grand_total]\nenabled = false\n  threshhold = \"500\"\n");
    EXPECT_EQ(d.line, 3);
    EXPECT_EQ(d.column, 3);
    EXPECT_EQ(d.key, "fraud.grand_total.threshhold");
    EXPECT_TRUE(has(d.message, "unknown key \"threshhold\"")) << d.message;
    EXPECT_TRUE(has(d.message, "did you mean \"threshold\"?")) << d.message;
    EXPECT_TRUE(has(d.to_string(), "test.toml:3:3: error: fraud.grand_total.threshhold: ")) << d.to_string();
}

TEST(ConfigErrors, TransposedLettersAreSuggestedToo) {
    const auto d = only_error("[capture]\nstauses = []\n");
    EXPECT_TRUE(has(d.message, "did you mean \"statuses\"?")) << d.message;
}

TEST(ConfigErrors, UnknownSectionSuggestsTheNearestSection) {
    const auto d = only_error("[deamon]\nbatch_size = 5\n");
    EXPECT_EQ(d.line, 1);
    EXPECT_EQ(d.column, 2);
    EXPECT_TRUE(has(d.message, "unknown section [deamon]")) << d.message;
    EXPECT_TRUE(has(d.message, "did you mean [daemon]?")) << d.message;

    const auto s = only_error("[fraud.grand_totals]\nenabled = true\n");
    EXPECT_TRUE(has(s.message, "unknown section [fraud.grand_totals]")) << s.message;
    EXPECT_TRUE(has(s.message, "did you mean [fraud.grand_total]?")) << s.message;
}

TEST(ConfigErrors, UnknownNameWithoutNearMatchListsTheValidOnes) {
    const auto d = only_error("[zzz]\n");
    EXPECT_TRUE(has(d.message, "valid sections: daemon, orders")) << d.message;
    const auto k = only_error("[metrics]\ncompletely_different = 1\n");
    EXPECT_TRUE(has(k.message, "valid keys: textfile")) << k.message;
}

TEST(ConfigErrors, KeyWrittenInTheWrongSectionNamesItsSection) {
    const auto d = only_error("[capture]\ncatch_up_hours = 3\n");
    EXPECT_TRUE(has(d.message, "belongs in [daemon]")) << d.message;
}

TEST(ConfigErrors, KeyOutsideAnySectionIsUnknown) {
    const auto d = only_error("batch_size = 5\n");
    EXPECT_EQ(d.line, 1);
    EXPECT_TRUE(has(d.message, "outside any section")) << d.message;
    EXPECT_TRUE(has(d.message, "[daemon]")) << d.message;
}

TEST(ConfigErrors, UnknownKeysAreFoundInEverySection) {
    std::vector<std::string> sections = testing::kEverySection;
    sections.push_back("fulfillment.channel.\"Web\"");
    for (const auto& section : sections) {
        SCOPED_TRACE(section);
        const auto d = only_error("[" + section + "]\nbogus_key_xyz = 1\n");
        EXPECT_EQ(d.line, 2);
        EXPECT_EQ(d.column, 1);
        EXPECT_TRUE(has(d.message, "unknown key \"bogus_key_xyz\"")) << d.message;
    }
}

TEST(ConfigErrors, BlacklistHasNoEnabledKey) {
    const auto d = only_error("[fraud.blacklist]\nenabled = true\n");
    EXPECT_EQ(d.key, "fraud.blacklist.enabled");
    EXPECT_EQ(d.line, 2);
    EXPECT_TRUE(has(d.message, "check_zips")) << d.message;
}

TEST(ConfigErrors, WrongTypeNamesTheValueAndWhatIsAllowed) {
    const auto b = only_error("[capture]\nenabled = \"yes\"\n");
    EXPECT_EQ(b.key, "capture.enabled");
    EXPECT_EQ(b.line, 2);
    EXPECT_TRUE(has(b.message, "expected true or false, got the string \"yes\"")) << b.message;

    const auto i = only_error("[daemon]\nbatch_size = \"500\"\n");
    EXPECT_TRUE(has(i.message, "expected an integer, got the string \"500\"")) << i.message;

    const auto f = only_error("[daemon]\nbatch_size = 5.0\n");
    EXPECT_TRUE(has(f.message, "expected an integer")) << f.message;

    const auto l = only_error("[fraud]\nchannels = 5\n");
    EXPECT_TRUE(has(l.message, "array of strings or one comma-separated string")) << l.message;

    const auto item = only_error("[fraud]\nchannels = [\"Web\", 5]\n");
    EXPECT_TRUE(has(item.message, "item 2: expected a string, got the integer 5")) << item.message;

    const auto s = only_error("[fraud]\npassed_status = true\n");
    EXPECT_TRUE(has(s.message, "got the boolean true")) << s.message;

    const auto t = only_error("[fraud]\ngrand_total = 5\n");
    EXPECT_TRUE(has(t.message, "expected a section [fraud.grand_total]")) << t.message;

    const auto n = only_error("[monitor]\nwarning_emails = \"a@b.c\"\nwarning_timeout_minutes = \"30\"\n");
    EXPECT_TRUE(has(n.message, "a number greater than 0")) << n.message;
}

TEST(ConfigErrors, ThreeMistakesGiveThreeErrorsWithPositions) {
    const auto r = load(R"([daemon]
batch_size = 0

[fraud.grand_total]
threshhold = "500"

[capture]
slots = ["13:15"]
)");
    const auto e = errors(r);
    ASSERT_EQ(e.size(), 3u) << dump(r);
    EXPECT_EQ(e[0].key, "daemon.batch_size");
    EXPECT_EQ(e[0].line, 2);
    EXPECT_EQ(e[0].column, 1);
    EXPECT_EQ(e[1].key, "fraud.grand_total.threshhold");
    EXPECT_EQ(e[1].line, 5);
    EXPECT_EQ(e[1].column, 1);
    EXPECT_EQ(e[2].key, "capture.slots");
    EXPECT_EQ(e[2].line, 8);
    EXPECT_EQ(e[2].column, 1);
    for (const auto& d : e) EXPECT_TRUE(has(d.to_string(), "test.toml:" + std::to_string(d.line) + ":1: error: "));
}

TEST(ConfigErrors, BadValuesKeepTheirDefaults) {
    const auto r = load("[daemon]\nbatch_size = 0\ncatch_up_hours = 2\n[capture]\navailable_when = \"x\"\n");
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.config->daemon.batch_size, 500);
    EXPECT_EQ(r.config->daemon.catch_up_hours, 2);
    EXPECT_EQ(r.config->capture.available_when, AvailableWhen::order_created);
}

TEST(ConfigErrors, ChannelConfiguredTwiceIsAnError) {
    const auto d = only_error("[fulfillment.channel.Web]\nsplit = true\n[fulfillment.channel.web]\nsplit = false\n");
    EXPECT_EQ(d.line, 3);
    EXPECT_TRUE(has(d.message, "configured twice")) << d.message;
}

TEST(ConfigErrors, MissingFileSaysWhatToDo) {
    const auto r = load_config_file("/nonexistent/olmd.toml");
    const auto e = errors(r);
    ASSERT_EQ(e.size(), 1u) << dump(r);
    EXPECT_EQ(e[0].file, "/nonexistent/olmd.toml");
    EXPECT_EQ(e[0].line, 0);
    EXPECT_TRUE(has(e[0].message, "No such file or directory")) << e[0].message;
    EXPECT_TRUE(has(e[0].message, "--config PATH")) << e[0].message;
    EXPECT_TRUE(has(e[0].message, "OLMD_CONFIG")) << e[0].message;
    ASSERT_NE(r.config, nullptr);
}

TEST(ConfigErrors, UnreadableFileSaysSo) {
    testing::TempDir dir;
    EXPECT_TRUE(has(errors(load_config_file(dir.path())).at(0).message, "directory"));
    if (::geteuid() == 0) GTEST_SKIP() << "root can read any file";
    const auto path = dir.write("olmd.toml", "", std::filesystem::perms::none);
    const auto e = errors(load_config_file(path));
    ASSERT_EQ(e.size(), 1u);
    EXPECT_TRUE(has(e[0].message, "Permission denied")) << e[0].message;
}

}  // namespace
}  // namespace olmd::config
