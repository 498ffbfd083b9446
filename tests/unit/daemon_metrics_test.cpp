// The [metrics] textfile (cli.md Metrics): the series, HELP/TYPE lines, and
// the atomic write (temp file in the same directory, rename; nothing left behind).
#include <gtest/gtest.h>

#include <filesystem>

#include "olmd/metrics/textfile.hpp"
#include "olmd/store/runs.hpp"
#include "support/pg_mirror.hpp"
#include "support/temp_dir.hpp"
#include "support/test_db.hpp"

namespace olmd::test {
namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

pipeline::RunReport sample_report() {
    pipeline::RunReport r;
    r.run_id = 42;
    r.outcome = store::Outcome::succeeded;
    jobs::JobStats fraud;
    fraud.selected = 5000;
    fraud.changed = 1200;
    fraud.skipped_concurrent = 3;
    fraud.deferred = 7;
    fraud.errors = 2;
    fraud.seconds = 12.3456;
    jobs::JobStats capture;
    capture.selected = 10;
    capture.failure = "gateway unreachable";
    r.jobs = {{JobKind::capture, capture}, {JobKind::fraud, fraud}};
    return r;
}

std::chrono::system_clock::time_point unix_time(double s) {
    return std::chrono::system_clock::time_point{
        std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::duration<double>(s))};
}

TEST(DaemonMetrics, RenderHasEverySeriesWithHelpAndType) {
    const auto report = sample_report();
    const std::string text =
        metrics::render(metrics::RunSample{report, unix_time(1795000000.5), unix_time(1795000013.0), 4});
    for (const char* line : {
             "olmd_job_selected{job=\"fraud\"} 5000\n",
             "olmd_job_selected{job=\"capture\"} 10\n",
             "olmd_job_changed{job=\"fraud\"} 1200\n",
             "olmd_job_skipped_concurrent{job=\"fraud\"} 3\n",
             "olmd_job_deferred{job=\"fraud\"} 7\n",
             "olmd_job_errors{job=\"fraud\"} 2\n",
             "olmd_job_seconds{job=\"fraud\"} 12.346\n",
             "olmd_job_failed{job=\"capture\"} 1\n",
             "olmd_job_failed{job=\"fraud\"} 0\n",
             "olmd_last_run_start_timestamp_seconds 1795000000.500\n",
             "olmd_last_run_end_timestamp_seconds 1795000013.000\n",
             "olmd_last_run_outcome{outcome=\"succeeded\"} 1\n",
             "olmd_last_run_outcome{outcome=\"failed\"} 0\n",
             "olmd_last_run_outcome{outcome=\"interrupted\"} 0\n",
             "olmd_warnings_sent_total 4\n",
             "# TYPE olmd_warnings_sent_total counter\n",
             "# TYPE olmd_job_selected gauge\n",
             "# HELP olmd_job_selected ",
         })
        EXPECT_TRUE(has(text, line)) << line << "\n" << text;
    // Every series name has exactly one HELP and one TYPE line, before its samples.
    std::size_t helps = 0, types = 0;
    for (std::size_t p = 0; (p = text.find("# HELP ", p)) != std::string::npos; ++p) ++helps;
    for (std::size_t p = 0; (p = text.find("# TYPE ", p)) != std::string::npos; ++p) ++types;
    EXPECT_EQ(helps, types);
    EXPECT_EQ(helps, 12u);
    EXPECT_EQ(text.back(), '\n');
}

TEST(DaemonMetrics, WriteIsAtomicAndLeavesNoTempFile) {
    TempDir dir;
    const std::string path = dir.file("olmd.prom");
    write_file(path, "old content\n");
    ASSERT_TRUE(metrics::write_atomically(path, "new content\n").ok());
    EXPECT_EQ(read_file(path), "new content\n");
    for (const auto& e : std::filesystem::directory_iterator(dir.path()))
        EXPECT_EQ(e.path().filename(), "olmd.prom") << "left behind: " << e.path();
    const auto perms = std::filesystem::status(path).permissions();
    EXPECT_NE(perms & std::filesystem::perms::others_read, std::filesystem::perms::none);
}

TEST(DaemonMetrics, MissingDirectoryIsAnErrorNamingThePath) {
    TempDir dir;
    const std::string path = dir.file("nope/olmd.prom");
    const Status st = metrics::write_atomically(path, "x\n");
    ASSERT_FALSE(st.ok());
    EXPECT_TRUE(has(st.error().message, path)) << st.error().message;
    EXPECT_TRUE(has(st.error().message, "[metrics] textfile")) << st.error().message;
}

TEST(DaemonMetrics, OPS9_SymlinkAtTextfileIsRefusedAndItsTargetKept) {
    TempDir dir;
    const std::string victim = dir.file("victim");
    write_file(victim, "precious\n");
    const std::string path = dir.file("olmd.prom");
    std::filesystem::create_symlink(victim, path);
    const Status st = metrics::write_atomically(path, "x\n");
    ASSERT_FALSE(st.ok());
    EXPECT_TRUE(has(st.error().message, "symbolic link")) << st.error().message;
    EXPECT_EQ(read_file(victim), "precious\n");
    EXPECT_TRUE(std::filesystem::is_symlink(path));
}

TEST(DaemonMetrics, OPS9_PlantedTempFileNameIsNeverFollowed) {
    TempDir dir;
    const std::string victim = dir.file("victim");
    write_file(victim, "precious\n");
    const std::string path = dir.file("olmd.prom");
    std::filesystem::create_symlink(victim, path + ".tmp");  // the old fixed temp name
    ASSERT_TRUE(metrics::write_atomically(path, "new\n").ok());
    EXPECT_EQ(read_file(victim), "precious\n");
    EXPECT_EQ(read_file(path), "new\n");
}

TEST(DaemonMetrics, AfterRunWritesOnlyWhenConfiguredAndCountsWarnings) {
    // Through store::Backend, on both backends (pg: prefix, support/pg_mirror.hpp).
    TestDb t;
    std::unique_ptr<PgMirror> twin;
    const std::string textfile = t.dir().file("olmd.prom");
    with_backend(twin, t, [&](store::Backend& b) {
        const Instant t0 = *parse_utc("2026-11-22T10:00:00Z");
        auto id = b.runs().open(t0, t0, "fraud", store::Trigger::schedule, "test");
        ASSERT_TRUE(id.ok());
        ASSERT_TRUE(b.runs().mark_warning_sent(*id, t0).ok());
        const auto report = sample_report();
        config::Config cfg;
        EXPECT_TRUE(metrics::write_after_run(cfg, b, report, unix_time(1), unix_time(2)).ok());
        EXPECT_FALSE(std::filesystem::exists(textfile)) << "no [metrics] textfile: nothing written";
        cfg.metrics.textfile = textfile;
        ASSERT_TRUE(metrics::write_after_run(cfg, b, report, unix_time(1), unix_time(2)).ok());
    });
    EXPECT_TRUE(has(read_file(textfile), "olmd_warnings_sent_total 1\n"));
}

}  // namespace
}  // namespace olmd::test
