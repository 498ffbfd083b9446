// Issue 11's bad-input table: every case of "What was measured", run against the real
// olmd binary, with the message and exit code it must give, within a time limit
// (no hang), and with the files it must leave untouched.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>

#include <gtest/gtest.h>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace olmd::test {
namespace {

/// The scratch files one case works with.
struct Scene {
    TempDir dir;
    std::string db = dir.file("olmd.db");
    std::string config = dir.file("olmd.toml");
    std::string key = dir.file("stripe.key");
    std::string victim = dir.file("victim.txt");
};

/// One row of the table.
struct BadInput {
    const char* name;
    std::string toml;                          ///< appended to [daemon] database = …; "@KEY@" = the key file
    std::function<void(Scene&)> setup;         ///< extra files (may be null)
    std::vector<std::string> args;             ///< "@CONFIG@" = the config path
    int exit_code;
    std::vector<std::string> says;             ///< in stderr+stdout
    std::vector<std::string> never_says = {};  ///< follow-on errors that must not appear
};

std::string replaced(std::string s, const Scene& sc) {
    for (auto [from, to] : {std::pair<std::string, std::string>{"@KEY@", sc.key}, {"@DB@", sc.db},
                            {"@DIR@", sc.dir.path().string()}, {"@VICTIM@", sc.victim}}) {
        for (auto p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
    }
    return s;
}

const std::string kFraudOn = "[fraud]\nenabled = true\nslots = [\"08:00\"]\nstatuses = [\"Ready to Process\"]\n"
                             "[sourcing]\nenabled = true\nslots = [\"09:00\"]\n";

std::vector<BadInput> table() {
    const std::vector<std::string> check = {"--config", "@CONFIG@", "check-config"};
    const std::vector<std::string> once = {"--config", "@CONFIG@", "run-once", "--now", "2026-12-01T10:00:00Z"};
    return {
        {"LockFileIsTheDatabase", "lock_file = \"@DB@\"\n", nullptr, check, 1, {"daemon.lock_file", "OPS-9"}},
        {"LockFileIsTheDatabaseRunOnce", "lock_file = \"@DB@\"\n", nullptr, once, 1, {"OPS-9"}},
        {"LockFileIsTheWal", "lock_file = \"@DB@-wal\"\n", nullptr, check, 1, {"write-ahead log"}},
        {"LockFileIsTheConfig", "lock_file = \"@DIR@/olmd.toml\"\n", nullptr, check, 1, {"configuration file"}},
        {"LockFileIsASymlink", "lock_file = \"@DIR@/link.lock\"\n",
         [](Scene& s) { std::filesystem::create_symlink(s.victim, s.dir.file("link.lock")); }, once, 1,
         {"symbolic link"}},
        {"MetricsIsTheDatabase", "[metrics]\ntextfile = \"@DB@\"\n", nullptr, check, 1, {"metrics.textfile", "OPS-9"}},
        {"ConfigDevZero", "", nullptr, {"--config", "/dev/zero", "check-config"}, 1, {"character device"}},
        {"ConfigFifo", "", [](Scene& s) { ::mkfifo(s.dir.file("fifo.toml").c_str(), 0600); },
         {"--config", "@DIR@/fifo.toml", "check-config"}, 1, {"FIFO"}},
        {"ConfigDirectory", "", nullptr, {"--config", "@DIR@", "run-once"}, 1, {"directory"}},
        {"ConfigOverOneMiB", std::string(1100 * 1024, '#') + "\n", nullptr, check, 1, {"1 MiB"}},
        {"MegabyteStatusName", "[fraud]\nenabled = true\nstatuses = [\"" + std::string(1024 * 1024 - 200, 'x') + "\"]\n",
         nullptr, check, 1, {"unknown status", "bytes)"}},
        {"TomlSyntaxError", "[capture\nenabled = true\n", nullptr, check, 1, {"olmd.toml:3:", "TOML syntax error"},
         {"does not exist"}},
        {"TomlSyntaxErrorHidesDatabase", "", [](Scene& s) {
             write_file(s.config, "[daemon]\ndatabase = \"" + s.db + "\"\nbatch_size = = 3\n");
         }, check, 1, {"olmd.toml:3:", "TOML syntax error"}, {"does not exist", "/var/lib/olmd"}},
        {"SlotMinusOne", "[capture]\nslots = [\"-1:00\"]\n", nullptr, check, 1, {"capture.slots", "\"-1:00\""}},
        {"SlotMinusZero", "[capture]\nslots = [\"-0:30\"]\n", nullptr, check, 1, {"capture.slots", "\"-0:30\""}},
        {"WarningTimeoutHuge", "[monitor]\nwarning_emails = \"a@b.c\"\nwarning_timeout_minutes = 1e18\n", nullptr, check,
         1, {"monitor.warning_timeout_minutes", "at most 10080"}},
        {"CronNeverFires", "[capture]\ncron = \"0 0 30 2 *\"\n", nullptr, check, 1, {"capture.cron", "can never fire"}},
        {"BatchSizeZero", "batch_size = 0\n", nullptr, check, 1, {"batch_size", "must be 1..100000, got 0"}},
        {"EmptySecretFile", "[gateway]\nkind = \"stripe\"\napi_key_file = \"@KEY@\"\n",
         [](Scene& s) { write_file(s.key, ""); }, check, 1, {"gateway.api_key_file", "is empty"}},
        {"MultiLineSecretFile", "[gateway]\nkind = \"stripe\"\napi_key_file = \"@KEY@\"\n",
         [](Scene& s) { write_file(s.key, "sk_test_1\nsk_test_2\n"); }, check, 1, {"more than one line"}},
        {"PlainHttpGateway", "[gateway]\nurl = \"http://api.stripe.com\"\n", nullptr, check, 1,
         {"gateway.url", "clear text"}},
        {"PlainHttpGeolocation", "[fraud.ip_address]\nservice = \"maxmind\"\nurl = \"http://geoip.maxmind.com\"\n",
         nullptr, check, 1, {"fraud.ip_address.url", "clear text"}},
        {"UnknownKeySuggests", "[fraud.grand_total]\nthreshhold = \"500\"\n", nullptr, check, 1, {"did you mean"}},
        // Warnings: legal, exit 0, but said.
        {"HoldStatusInStatuses", kFraudOn + "statuses = [\"Ready to Source\", \"On Hold\"]\n", nullptr, check, 0,
         {"warning", "hold status"}},
        {"PassedEqualsFailed", kFraudOn + "[fraud.avs]\nenabled = true\nfailed_status = \"Ready to Source\"\n", nullptr,
         check, 0, {"warning", "cannot be told apart"}},
        {"ResultIsOwnInput", kFraudOn + "statuses = [\"Ready to Source\", \"Awaiting Inventory\"]\n", nullptr, check, 0,
         {"pick those orders again"}},
        {"FailedStatusSourced", kFraudOn + "statuses = [\"Ready to Source\", \"Non Compliant\"]\n", nullptr, check, 0,
         {"failed fraud review would be sourced"}},
        {"CaptureNeverShipped", kFraudOn + "[capture]\nenabled = true\nslots = [\"10:00\"]\n"
                                           "available_when = \"order_fully_shipped\"\nstatuses = [\"In Shipping\"]\n",
         nullptr, check, 0, {"nothing is ever captured"}},
        {"CaptureBeforeFraud", kFraudOn + "[capture]\nenabled = true\nslots = [\"10:00\"]\n"
                                          "statuses = [\"Ready to Process\"]\n",
         nullptr, check, 0, {"before fraud review"}},
        {"MetricsDirectoryMissing", "[metrics]\ntextfile = \"@DIR@/nope/olmd.prom\"\n", nullptr, check, 0,
         {"does not exist"}},
        {"ImportZipsEmptyFile", "", [](Scene& s) { write_file(s.dir.file("zips.csv"), ""); },
         {"--config", "@CONFIG@", "import-zips", "@DIR@/zips.csv"}, 1, {"zips.csv"}},
        {"ImportZipsDevZero", "", nullptr, {"--config", "@CONFIG@", "import-zips", "/dev/zero"}, 1, {"/dev/zero"}},
    };
}

/// gtest prints a row by its name, not its bytes.
void PrintTo(const BadInput& b, std::ostream* os) { *os << b.name; }

class BadInputTable : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadInputTable, ClearMessageDocumentedExitNoHangNoFileTouched) {
    const BadInput& c = GetParam();
    Scene s;
    write_file(s.victim, "precious\n");
    write_file(s.config, "[daemon]\ndatabase = \"" + s.db + "\"\n");
    const auto init = run_olmd_within(60000, {"--config", s.config, "init-db"});
    ASSERT_EQ(init.exit_code, 0) << init.err;
    write_file(s.config, replaced("[daemon]\ndatabase = \"@DB@\"\n" + c.toml, s));
    if (c.setup) c.setup(s);
    const std::string db_before = read_file(s.db);
    std::vector<std::string> args;
    for (const auto& a : c.args) args.push_back(a == "@CONFIG@" ? s.config : replaced(a, s));
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = run_olmd_within(20000, args);
    const auto took = std::chrono::steady_clock::now() - t0;
    const std::string all = r.err + r.out;
    ASSERT_FALSE(r.timed_out) << c.name << ": hung";
    EXPECT_EQ(r.exit_code, c.exit_code) << c.name << "\n" << all.substr(0, 4000);
    EXPECT_LT(took, std::chrono::seconds(5)) << c.name;
    for (const auto& part : c.says) EXPECT_NE(all.find(part), std::string::npos) << c.name << ": wanted \"" << part << "\"\n" << all.substr(0, 4000);
    for (const auto& part : c.never_says) EXPECT_EQ(all.find(part), std::string::npos) << c.name << ": must not say \"" << part << "\"\n" << all.substr(0, 4000);
    EXPECT_LT(all.size(), 64u * 1024) << c.name << ": messages must stay short";
    EXPECT_EQ(read_file(s.victim), "precious\n") << c.name;
    if (c.exit_code != 0) {
        EXPECT_EQ(read_file(s.db), db_before) << c.name << ": the database changed";
    }
}

INSTANTIATE_TEST_SUITE_P(Issue11, BadInputTable, ::testing::ValuesIn(table()),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace olmd::test
