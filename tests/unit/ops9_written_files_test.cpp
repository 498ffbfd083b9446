// OPS-9 at run time (cli::check_written_files): the lock file, truncated when
// the lock is taken, and the metrics textfile, renamed over after each run,
// must not be the database, its -wal/-shm, the config, a secret or the GeoIP
// database, nor each other; the check runs before the lock, in every command
// that takes it, whatever check-config said.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli/common.hpp"
#include "support/temp_dir.hpp"

namespace olmd::test {
namespace {

class WrittenFiles : public ::testing::Test {
protected:
    void SetUp() override {
        cfg.daemon.database = dir.file("olmd.db");
        write_file(cfg.daemon.database, "SQLite format 3");
        config_path = dir.file("olmd.toml");
        write_file(config_path, "[daemon]\n");
    }
    std::string refused(const config::Config& c) {
        auto st = cli::check_written_files(c, config_path);
        if (st) return "";
        EXPECT_EQ(st.error().code, exit_code::failure);
        return st.error().message;
    }
    TempDir dir;
    config::Config cfg;
    std::string config_path;
};

TEST_F(WrittenFiles, OPS9_DefaultsAreAccepted) {
    EXPECT_EQ(refused(cfg), "");
    cfg.metrics.textfile = dir.file("olmd.prom");
    EXPECT_EQ(refused(cfg), "");
}

TEST_F(WrittenFiles, OPS9_LockFileThatIsAFileOlmdReadsIsRefused) {
    const std::string key = dir.file("stripe.key");
    write_file(key, "sk_test_1\n");
    cfg.gateway.api_key_file = key;
    cfg.smtp.password_file = dir.file("smtp.pw");  // not created yet: recognized by its path
    const std::vector<std::pair<std::string, std::string>> cases{
        {cfg.daemon.database, "the database"},
        {cfg.daemon.database + "-wal", "write-ahead log"},
        {cfg.daemon.database + "-shm", "shared-memory index"},
        {config_path, "the configuration file"},
        {key, "[gateway] api_key_file"},
        {dir.file("smtp.pw"), "[smtp] password_file"},
        {dir.path().string() + "/./olmd.db", "the database"},
    };
    for (const auto& [lock, what] : cases) {
        config::Config c = cfg;
        c.daemon.lock_file = lock;
        const std::string msg = refused(c);
        EXPECT_NE(msg.find("daemon.lock_file: \"" + lock + "\" is "), std::string::npos) << lock << ": " << msg;
        EXPECT_NE(msg.find(what), std::string::npos) << msg;
        EXPECT_NE(msg.find("nothing was done"), std::string::npos) << msg;
    }
}

TEST_F(WrittenFiles, OPS9_ASymlinkToTheDatabaseIsTheDatabase) {
    std::filesystem::create_symlink(cfg.daemon.database, dir.file("alias.db"));
    cfg.daemon.lock_file = dir.file("alias.db");
    EXPECT_NE(refused(cfg).find("the database"), std::string::npos);
}

TEST_F(WrittenFiles, OPS9_MetricsTextfileThatIsTheDatabaseOrTheLockIsRefused) {
    cfg.metrics.textfile = cfg.daemon.database;
    EXPECT_NE(refused(cfg).find("metrics.textfile: \"" + cfg.daemon.database + "\" is the database"),
              std::string::npos);
    cfg.metrics.textfile = cfg.daemon.effective_lock_file();
    EXPECT_NE(refused(cfg).find("the lock file"), std::string::npos);
    cfg.fraud.ip_address.database = dir.file("City.mmdb");
    cfg.metrics.textfile = dir.file("City.mmdb");
    EXPECT_NE(refused(cfg).find("GeoIP database"), std::string::npos);
}

}  // namespace
}  // namespace olmd::test
