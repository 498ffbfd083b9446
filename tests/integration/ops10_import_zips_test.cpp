// import-zips with the real binary (cli.md, OPS-10): a file with no valid row
// or a malformed row (reported with its line number) is an error (exit 1) and
// loads nothing; a FIFO, a device, a directory or a file over the 64 MiB bound
// is an error at once, never a hang. On both backends: in pg: tests the database is a PostgreSQL
// one (support/pg_mirror.hpp), named by the config's URI.
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sys/stat.h>

#include <filesystem>

#include "support/daemon_process.hpp"
#include "support/pg_mirror.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace olmd::test {
namespace {

using namespace std::chrono_literals;

const char* kHeader = "zip,state,latitude,longitude\n";

class ImportZips : public ::testing::Test {
protected:
    void SetUp() override {
        db = dir.file("olmd.db");
        config = dir.file("olmd.toml");
        if (test_backend_is_postgres()) {
            twin = std::make_unique<PgMirror>(dir);
            write_file(config, "[daemon]\ndatabase = \"" + twin->uri() + "\"\npassword_file = \"" +
                                   twin->password_file() + "\"\ntimezone = \"UTC\"\n");
        } else {
            write_file(config, "[daemon]\ndatabase = \"" + db + "\"\ntimezone = \"UTC\"\n");
        }
        auto init = run_olmd({"--config", config, "init-db", "--no-zips"});
        ASSERT_EQ(init.exit_code, 0) << init.err;
    }
    ProcessResult import(const std::string& file) { return run_olmd({"--config", config, "import-zips", file}); }
    /// import-zips on a file that could block a reader: it must exit within a few seconds.
    std::pair<std::optional<int>, std::string> import_bounded(const std::string& file) {
        DaemonProcess p(olmd_binary(), {"--config", config, "import-zips", file}, {}, dir.file("import.log"));
        auto code = p.wait_exit(10s);
        return {code, p.log()};
    }
    std::int64_t zips() {
        if (twin) return std::stoll(twin->value("SELECT count(*) FROM zip_codes"));
        SQLite::Database d(db, SQLite::OPEN_READONLY);
        return d.execAndGet("SELECT count(*) FROM zip_codes").getInt64();
    }
    TempDir dir;
    std::unique_ptr<PgMirror> twin;
    std::string db, config;
};

TEST_F(ImportZips, OPS10_EmptyFileIsAnError) {
    write_file(dir.file("empty.csv"), "");
    auto r = import(dir.file("empty.csv"));
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find("empty.csv is empty"), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find("loaded"), std::string::npos) << r.out;
    EXPECT_EQ(zips(), 0);
}

TEST_F(ImportZips, OPS10_HeaderOnlyOrBlankLinesIsAnError) {
    write_file(dir.file("header.csv"), kHeader);
    auto r = import(dir.file("header.csv"));
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find("no ZIP row"), std::string::npos) << r.err;
    write_file(dir.file("blank.csv"), std::string(kHeader) + "\n\r\n\n");
    r = import(dir.file("blank.csv"));
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_EQ(zips(), 0);
}

TEST_F(ImportZips, OPS10_MissingOrWrongHeaderIsAnErrorAtLineOne) {
    write_file(dir.file("noheader.csv"), "12866,NY,43.08,-73.78\n");
    auto r = import(dir.file("noheader.csv"));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("noheader.csv:1: expected the header line"), std::string::npos) << r.err;
    EXPECT_EQ(zips(), 0);
}

TEST_F(ImportZips, OPS10_MalformedRowNamesItsLineAndLoadsNothing) {
    write_file(dir.file("bad.csv"), std::string(kHeader) + "12866,NY,43.08,-73.78\n98354,WA,47.0,-122.4\n"
                                                           "\n99501,AK,61.2,north\n");
    auto r = import(dir.file("bad.csv"));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("bad.csv:5: longitude \"north\""), std::string::npos) << r.err;
    EXPECT_EQ(zips(), 0) << "the good rows before the bad one are not loaded either";
    write_file(dir.file("fields.csv"), std::string(kHeader) + "12866,NY,43.08\n");
    r = import(dir.file("fields.csv"));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("fields.csv:2: expected 4 fields"), std::string::npos) << r.err;
    EXPECT_EQ(zips(), 0);
}

TEST_F(ImportZips, OPS10_DeviceFifoAndDirectoryAreErrorsNotHangs) {
    auto [zero, zero_log] = import_bounded("/dev/zero");
    EXPECT_EQ(zero, std::optional<int>(1)) << zero_log;
    EXPECT_NE(zero_log.find("character device"), std::string::npos) << zero_log;

    const std::string fifo = dir.file("zips.fifo");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    auto [f, fifo_log] = import_bounded(fifo);
    EXPECT_EQ(f, std::optional<int>(1)) << fifo_log;
    EXPECT_NE(fifo_log.find("FIFO"), std::string::npos) << fifo_log;

    auto r = import(dir.path().string());
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("directory"), std::string::npos) << r.err;
    EXPECT_EQ(zips(), 0);
}

TEST_F(ImportZips, OPS10_FileOverTheBoundIsRefusedWithTheBoundStated) {
    const std::string big = dir.file("big.csv");
    write_file(big, kHeader);
    std::filesystem::resize_file(big, 64ull * 1024 * 1024 + 1);  // sparse: nothing is written to disk
    auto r = import(big);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("64 MiB"), std::string::npos) << r.err;
    EXPECT_EQ(zips(), 0);
}

TEST_F(ImportZips, GoodFileLoadsEveryRow) {
    write_file(dir.file("good.csv"), "\xEF\xBB\xBFZip,State,Latitude,Longitude\r\n12866,NY,43.08,-73.78\r\n"
                                     "98354,WA,47.0,-122.4\r\n");
    auto r = import(dir.file("good.csv"));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("loaded 2 ZIP centroids"), std::string::npos) << r.out;
    EXPECT_EQ(zips(), 2);
}

}  // namespace
}  // namespace olmd::test
