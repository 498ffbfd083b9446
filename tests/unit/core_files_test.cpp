// OPS-8, OPS-9, OPS-10: bounded reads, secret files, link-refusing writes.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "olmd/core/files.hpp"
#include "support/temp_dir.hpp"

namespace olmd::test {
namespace {

void put(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

std::string get(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST(CoreFiles, OPS10_FifoIsAnErrorNotAHang) {
    TempDir dir;
    const std::string fifo = dir.file("cfg.fifo");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const auto t0 = std::chrono::steady_clock::now();
    auto r = files::read_regular_file(fifo, files::kMaxConfigBytes, "config file");
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(1));
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(has(r.error().message, "FIFO")) << r.error().message;
    EXPECT_TRUE(has(r.error().message, fifo)) << r.error().message;
}

TEST(CoreFiles, OPS10_DeviceAndDirectoryAreErrors) {
    auto z = files::read_regular_file("/dev/zero", files::kMaxConfigBytes, "config file");
    ASSERT_FALSE(z.ok());
    EXPECT_TRUE(has(z.error().message, "character device")) << z.error().message;
    TempDir dir;
    auto d = files::read_regular_file(dir.path().string(), files::kMaxConfigBytes, "config file");
    ASSERT_FALSE(d.ok());
    EXPECT_TRUE(has(d.error().message, "directory")) << d.error().message;
}

TEST(CoreFiles, OPS10_FileOverTheBoundIsRefusedWithBothSizes) {
    TempDir dir;
    const std::string big = dir.file("big.toml");
    put(big, std::string(files::kMaxConfigBytes + 1, '#'));
    auto r = files::read_regular_file(big, files::kMaxConfigBytes, "config file");
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(has(r.error().message, "1048577 bytes")) << r.error().message;
    EXPECT_TRUE(has(r.error().message, "1 MiB")) << r.error().message;
    put(big, std::string(files::kMaxConfigBytes, '#'));
    EXPECT_TRUE(files::read_regular_file(big, files::kMaxConfigBytes, "config file").ok());
}

TEST(CoreFiles, OPS8_SecretFileShapes) {
    TempDir dir;
    const std::string f = dir.file("key");
    struct Case {
        std::string content;
        bool ok;
        std::string said;
    };
    const Case cases[] = {
        {"sk_test_1\n", true, ""},       {"sk_test_1", true, ""},
        {"sk_test_1\r\n", true, ""},     {"", false, "is empty"},
        {"\n", false, "empty line"},     {"   \n", false, "empty line"},
        {"a\nb\n", false, "more than one line"}, {"sk\n\n", false, "more than one line"},
        {std::string("a\0b", 3), false, "NUL"}, {std::string(5000, 'k'), false, "4 KiB"},
    };
    for (const auto& c : cases) {
        put(f, c.content);
        auto r = files::read_secret_file(f, "[gateway] api_key_file");
        EXPECT_EQ(r.ok(), c.ok) << "content size " << c.content.size();
        if (r.ok()) {
            EXPECT_EQ(*r, "sk_test_1");
        } else {
            EXPECT_TRUE(has(r.error().message, c.said)) << r.error().message;
            EXPECT_TRUE(has(r.error().message, f)) << r.error().message;
            EXPECT_TRUE(has(r.error().message, "[gateway] api_key_file")) << r.error().message;
            if (c.content.size() > 2) {
                EXPECT_FALSE(has(r.error().message, c.content.substr(0, 2))) << "the secret leaked";
            }
        }
    }
}

TEST(CoreFiles, OPS9_OpenOwnedFileRefusesSymlinkAndHardLink) {
    TempDir dir;
    const std::string victim = dir.file("victim");
    put(victim, "precious");
    const std::string link = dir.file("olmd.lock");
    std::filesystem::create_symlink(victim, link);
    auto r = files::open_owned_file(link, 0640, "lock file");
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(has(r.error().message, "symbolic link")) << r.error().message;
    const std::string hard = dir.file("hard.lock");
    std::filesystem::create_hard_link(victim, hard);
    auto h = files::open_owned_file(hard, 0640, "lock file");
    ASSERT_FALSE(h.ok());
    EXPECT_TRUE(has(h.error().message, "hard links")) << h.error().message;
    EXPECT_EQ(get(victim), "precious");
    auto fresh = files::open_owned_file(dir.file("new.lock"), 0640, "lock file");
    ASSERT_TRUE(fresh.ok()) << fresh.error().message;
    ::close(*fresh);
}

TEST(CoreFiles, OPS9_ReplaceRefusesDirectoryAndKeepsNoTemp) {
    TempDir dir;
    const std::string sub = dir.file("sub");
    std::filesystem::create_directory(sub);
    EXPECT_FALSE(files::replace_file_atomically(sub, "x", 0644, "metrics").ok());
    const std::string target = dir.file("out.prom");
    ASSERT_TRUE(files::replace_file_atomically(target, "one", 0644, "metrics").ok());
    ASSERT_TRUE(files::replace_file_atomically(target, "two", 0644, "metrics").ok());
    EXPECT_EQ(get(target), "two");
    int entries = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++entries;
    EXPECT_EQ(entries, 2);  // sub and out.prom
}

TEST(CoreFiles, OPS9_SameFileSeesThroughSpellingsAndLinks) {
    TempDir dir;
    const std::string db = dir.file("olmd.db");
    put(db, "x");
    EXPECT_TRUE(files::same_file(db, dir.path().string() + "/./olmd.db"));
    const std::string link = dir.file("alias.db");
    std::filesystem::create_symlink(db, link);
    EXPECT_TRUE(files::same_file(db, link));
    EXPECT_TRUE(files::same_file(db + "-wal", dir.path().string() + "/sub/../olmd.db-wal"));
    EXPECT_FALSE(files::same_file(db, db + ".lock"));
}

}  // namespace
}  // namespace olmd::test
