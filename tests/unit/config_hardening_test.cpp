// config.md's validation list of 2026-12-01: files (OPS-8, OPS-9, OPS-10), secrets only
// over TLS (OPS-11), schedules that never fire, syntax errors with no follow-on, and
// the status-flow warnings.

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "config_test_util.hpp"
#include "olmd/config/schedule_spec.hpp"

namespace olmd::config {
namespace {

using testing::dump;
using testing::errors;
using testing::has;
using testing::load;
using testing::TempDir;
using testing::warnings;

bool any_says(const std::vector<Diagnostic>& ds, const std::string& part) {
    for (const auto& d : ds)
        if (has(d.message, part)) return true;
    return false;
}

// --- OPS-10: bounded input ---------------------------------------------------

TEST(ConfigHardening, OPS10_DevZeroIsAnErrorNotAnAllocation) {
    const auto r = load_config_file("/dev/zero");
    ASSERT_FALSE(r.ok());
    EXPECT_FALSE(r.parsed);
    EXPECT_TRUE(any_says(errors(r), "character device")) << dump(r);
}

TEST(ConfigHardening, OPS10_FifoIsAnErrorNotAHang) {
    TempDir dir;
    const std::string fifo = dir.path() + "/olmd.toml";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = load_config_file(fifo);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(1));
    EXPECT_TRUE(any_says(errors(r), "FIFO")) << dump(r);
}

TEST(ConfigHardening, OPS10_ConfigOverOneMebibyteIsRefused) {
    TempDir dir;
    const std::string big = dir.write("big.toml", "# padding\n" + std::string(1024 * 1024, '#'));
    const auto r = load_config_file(big);
    EXPECT_TRUE(any_says(errors(r), "1 MiB")) << dump(r);
}

TEST(ConfigHardening, OPS10_MegabyteStatusNameIsRejectedFastAndShortly) {
    const std::string name(1024 * 1024, 'x');
    const auto t0 = std::chrono::steady_clock::now();
    auto r = load("[fraud]\nenabled = true\nstatuses = [\"" + name + "\"]\n");
    domain::NameCatalog names;
    names.statuses = {"Ready to Process", "Ready to Source", "Non Compliant", "On Hold", "Shipped", "xxxx"};
    check_names(*r.config, names, r.diagnostics);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(1));
    const auto e = errors(r);
    ASSERT_TRUE(any_says(e, "unknown status")) << e.size();
    for (const auto& d : e) EXPECT_LT(d.message.size(), 2000u) << "the message repeats the whole value";
    EXPECT_TRUE(any_says(e, "(1048576 bytes)"));
}

// --- syntax errors: exit 1, no follow-on ---------------------------------------

TEST(ConfigHardening, SyntaxErrorIsTheOnlyFindingWithLineAndColumn) {
    const auto r = load("[daemon]\ndatabase = \"/nonexistent/x.db\"\n[capture\nenabled = true\n");
    ASSERT_EQ(r.diagnostics.items.size(), 1u) << dump(r);
    EXPECT_FALSE(r.parsed);
    const auto& d = r.diagnostics.items.front();
    EXPECT_TRUE(has(d.message, "TOML syntax error")) << d.message;
    EXPECT_EQ(d.line, 3);
    EXPECT_GT(d.column, 0);
}

// --- schedules that never fire ---------------------------------------------------

TEST(ConfigHardening, SCH1_NegativeSlotsAreErrors) {
    for (const char* slot : {"-1:00", "-0:30", "+1:00", " 1:00", "1:000"}) {
        const auto r = load(std::string("[capture]\nslots = [\"") + slot + "\"]\n");
        EXPECT_EQ(errors(r).size(), 1u) << slot << "\n" << dump(r);
        EXPECT_TRUE(r.config->capture.schedule.slots.empty()) << slot;
    }
}

TEST(ConfigHardening, SCH1_CronThatNeverFiresIsAnError) {
    for (const char* cron : {"0 0 30 2 *", "0 0 31 4,6,9,11 *", "0 0 31 feb *"}) {
        const auto r = load(std::string("[capture]\ncron = \"") + cron + "\"\n");
        ASSERT_EQ(errors(r).size(), 1u) << cron << "\n" << dump(r);
        EXPECT_TRUE(has(errors(r)[0].message, "can never fire")) << errors(r)[0].message;
        EXPECT_EQ(errors(r)[0].key, "capture.cron");
    }
    // Fires in leap years, on some month, or by weekday: legal.
    for (const char* cron : {"0 0 29 2 *", "0 0 31 1,2 *", "0 0 30 2 mon"}) {
        const auto r = load(std::string("[capture]\ncron = \"") + cron + "\"\n");
        EXPECT_TRUE(errors(r).empty()) << cron << "\n" << dump(r);
    }
}

TEST(ConfigHardening, SCH1_StarStepDayOfMonthIsEveryOtherDay) {
    // Fuzz finding F4: "*/2" counted as an unrestricted day field and fired every day.
    const auto c = parse_cron("0 0 */2 * *");
    ASSERT_TRUE(c.ok());
    EXPECT_TRUE(c->day_matches(1, 1, 4));
    EXPECT_FALSE(c->day_matches(2, 1, 5));
    EXPECT_TRUE(c->day_matches(3, 1, 6));
    // Vixie cron: a star-step weekday field ANDs with the day of month.
    const auto w = parse_cron("0 0 1-7 * */7");  // the first Sunday of the month
    ASSERT_TRUE(w.ok());
    EXPECT_TRUE(w->day_matches(4, 1, 0));
    EXPECT_FALSE(w->day_matches(5, 1, 1));
    EXPECT_FALSE(w->day_matches(11, 1, 0));
    // Both restricted: either matches.
    const auto o = parse_cron("0 0 13 * 5");
    ASSERT_TRUE(o.ok());
    EXPECT_TRUE(o->day_matches(13, 2, 2));
    EXPECT_TRUE(o->day_matches(6, 2, 5));
}

// --- OPS-11: secrets only over TLS --------------------------------------------------

TEST(ConfigHardening, OPS11_PlainHttpGatewayIsRefusedExceptLoopback) {
    for (const char* url : {"http://api.stripe.com", "http://10.0.0.5:8080", "http://127.evil.com", "ftp://x",
                            "HTTP://api.stripe.com", "http://user@example.com", "https://"}) {
        const auto r = load(std::string("[gateway]\nurl = \"") + url + "\"\n");
        EXPECT_EQ(errors(r).size(), 1u) << url << "\n" << dump(r);
        EXPECT_EQ(r.config->gateway.url, "https://api.stripe.com") << url;
    }
    for (const char* url : {"https://api.stripe.com", "http://127.0.0.1:8080", "http://localhost:1",
                            "http://[::1]:99", "http://127.1.2.3", "HTTPS://API.STRIPE.COM"}) {
        const auto r = load(std::string("[gateway]\nurl = \"") + url + "\"\n");
        EXPECT_TRUE(errors(r).empty()) << url << "\n" << dump(r);
    }
    const auto g = load("[fraud.ip_address]\nservice = \"maxmind\"\nurl = \"http://geoip.maxmind.com\"\n");
    EXPECT_TRUE(any_says(errors(g), "clear text")) << dump(g);
    const auto k = load("[fraud.ip_address]\nservice = \"kickfire\"\nurl = \"http://api.kickfire.com\"\n");
    EXPECT_TRUE(any_says(errors(k), "OPS-11")) << dump(k);
}

TEST(ConfigHardening, OPS11_PlaintextSmtpAuthOffLoopbackWarns) {
    const auto r = load("[smtp]\nurl = \"smtp://mail.example.com:587\"\nusername = \"olmd\"\nallow_plaintext_auth = true\n");
    EXPECT_TRUE(r.ok()) << dump(r);
    EXPECT_TRUE(any_says(warnings(r), "clear text")) << dump(r);
    const auto local = load("[smtp]\nurl = \"smtp://127.0.0.1:25\"\nusername = \"olmd\"\nallow_plaintext_auth = true\n");
    EXPECT_TRUE(local.diagnostics.items.empty()) << dump(local);
}

// --- OPS-8: secret files -----------------------------------------------------------

TEST(ConfigHardening, OPS8_SecretFileShapeIsChecked) {
    TempDir dir;
    struct Case {
        std::string content;
        const char* said;
    };
    const Case cases[] = {{"", "is empty"},
                          {"\n", "empty line"},
                          {"sk_test_a\nsk_test_b\n", "more than one line"},
                          {std::string(5000, 'k'), "4 KiB"}};
    int i = 0;
    for (const auto& c : cases) {
        const std::string key = dir.write("key" + std::to_string(i++), c.content);
        const auto r = load("[gateway]\nkind = \"stripe\"\napi_key_file = \"" + key + "\"\n");
        const auto e = errors(r);
        ASSERT_EQ(e.size(), 1u) << dump(r);
        EXPECT_EQ(e[0].key, "gateway.api_key_file");
        EXPECT_TRUE(has(e[0].message, c.said)) << e[0].message;
        EXPECT_TRUE(has(e[0].message, key)) << e[0].message;
    }
    const auto d = load("[gateway]\nkind = \"stripe\"\napi_key_file = \"" + dir.path() + "\"\n");
    EXPECT_TRUE(any_says(errors(d), "directory")) << dump(d);
    const std::string good = dir.write("good", "sk_test_ok\n");
    EXPECT_TRUE(load("[gateway]\nkind = \"stripe\"\napi_key_file = \"" + good + "\"\n").ok());
    const std::string smtp = dir.write("smtp", "a\nb");
    EXPECT_TRUE(any_says(errors(load("[smtp]\npassword_file = \"" + smtp + "\"\n")), "more than one line"));
    EXPECT_TRUE(any_says(errors(load("[daemon]\npassword_file = \"" + smtp + "\"\n")), "more than one line"));
}

// --- OPS-9: files olmd writes ------------------------------------------------------

TEST(ConfigHardening, OPS9_LockFileThatIsNotOlmdsOwnIsAnError) {
    TempDir dir;
    const std::string db = dir.write("olmd.db", "");
    const std::string key = dir.write("key", "sk_test_ok\n");
    const std::string cfg_path = dir.write("olmd.toml", "");
    const std::string head = "[daemon]\ndatabase = \"" + db + "\"\n";
    const std::string tail = "[gateway]\nkind = \"stripe\"\napi_key_file = \"" + key + "\"\n";
    for (const std::string& lock :
         {db, db + "-wal", db + "-shm", dir.path() + "/./olmd.db", key, cfg_path}) {
        const auto r = load_config_text(head + "lock_file = \"" + lock + "\"\n" + tail, cfg_path);
        const auto e = errors(r);
        ASSERT_EQ(e.size(), 1u) << lock << "\n" << dump(r);
        EXPECT_EQ(e[0].key, "daemon.lock_file");
        EXPECT_TRUE(has(e[0].message, "OPS-9")) << e[0].message;
    }
    const auto ok = load_config_text(head + "lock_file = \"" + db + ".lock\"\n" + tail, cfg_path);
    EXPECT_TRUE(ok.ok()) << dump(ok);
}

TEST(ConfigHardening, OPS9_MetricsTextfileThatIsNotOlmdsOwnIsAnError) {
    TempDir dir;
    const std::string db = dir.write("olmd.db", "");
    for (const std::string& target : {db, db + ".lock", db + "-wal"}) {
        const auto r = load("[daemon]\ndatabase = \"" + db + "\"\n[metrics]\ntextfile = \"" + target + "\"\n");
        const auto e = errors(r);
        ASSERT_EQ(e.size(), 1u) << target << "\n" << dump(r);
        EXPECT_EQ(e[0].key, "metrics.textfile");
    }
}

TEST(ConfigHardening, MetricsDirectoryThatDoesNotExistWarns) {
    const auto r = load("[metrics]\ntextfile = \"/nonexistent-olmd-dir/olmd.prom\"\n");
    EXPECT_TRUE(r.ok()) << dump(r);
    EXPECT_TRUE(any_says(warnings(r), "does not exist")) << dump(r);
}

// --- the status flow -------------------------------------------------------------

constexpr const char* kPipeline = R"([fraud]
enabled = true
slots = ["08:00"]
statuses = ["Ready to Process"]
[sourcing]
enabled = true
slots = ["09:00"]
statuses = ["Ready to Source"]
)";

TEST(ConfigHardening, StatusFlowCleanPipelineHasNoWarnings) {
    const auto r = load(kPipeline);
    EXPECT_TRUE(r.diagnostics.items.empty()) << dump(r);
}

TEST(ConfigHardening, StatusFlowWarnings) {
    struct Case {
        std::string toml;
        const char* said;
    };
    const std::string p = kPipeline;
    const Case cases[] = {
        {p + "[orders]\nhold_status = \"Ready to Source\"\n", "hold status"},
        {"[fraud]\nenabled = true\nslots = [\"08:00\"]\nstatuses = [\"Ready to Process\"]\n"
         "passed_status = \"Non Compliant\"\n[sourcing]\nenabled = true\nslots = [\"09:00\"]\n"
         "statuses = [\"Non Compliant\"]\n",
         "cannot be told apart"},
        {"[fraud]\nenabled = true\nslots = [\"08:00\"]\nstatuses = [\"Ready to Process\", \"Non Compliant\"]\n"
         "[sourcing]\nenabled = true\nslots = [\"09:00\"]\nstatuses = [\"Ready to Source\"]\n",
         "pick those orders again"},
        {"[fraud]\nenabled = true\nslots = [\"08:00\"]\nstatuses = [\"Ready to Process\"]\n"
         "[sourcing]\nenabled = true\nslots = [\"09:00\"]\nstatuses = [\"Ready to Source\", \"Non Compliant\"]\n",
         "failed fraud review would be sourced"},
        {"[fraud]\nenabled = true\nslots = [\"08:00\"]\nstatuses = [\"Ready to Process\"]\n",
         "read by no enabled job"},
        {p + "[capture]\nenabled = true\nslots = [\"10:00\"]\navailable_when = \"order_fully_shipped\"\n"
             "statuses = [\"In Shipping\"]\n",
         "nothing is ever captured"},
        {p + "[capture]\nenabled = true\nslots = [\"10:00\"]\nstatuses = [\"Ready to Process\"]\n",
         "before fraud review"},
        {p + "[reauth]\nenabled = true\nslots = [\"10:00\"]\nstatuses = [\"CC Exceptions\"]\n",
         "pick those orders again"},
    };
    for (const auto& c : cases) {
        const auto r = load(c.toml);
        EXPECT_TRUE(r.ok()) << c.toml << dump(r);
        EXPECT_TRUE(any_says(warnings(r), c.said)) << c.toml << "\nwanted: " << c.said << "\n" << dump(r);
    }
}

}  // namespace
}  // namespace olmd::config
