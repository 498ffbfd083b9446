#include <fmt/format.h>

#include <array>
#include <functional>

#include "olmd/metrics/textfile.hpp"

namespace olmd::metrics {

namespace {

double unix_seconds(std::chrono::system_clock::time_point t) {
    return std::chrono::duration<double>(t.time_since_epoch()).count();
}

void header(std::string& out, const char* name, const char* type, const char* help) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

struct JobSeries {
    const char* name;
    const char* help;
    std::function<std::string(const jobs::JobStats&)> value;
};

std::string integer(std::int64_t v) { return std::to_string(v); }

}  // namespace

std::string render(const RunSample& s) {
    const std::array<JobSeries, 6> per_job = {{
        {"olmd_job_selected", "Orders (or payments) the job selected in the last run.",
         [](const jobs::JobStats& j) { return integer(j.selected); }},
        {"olmd_job_changed", "Status changes the job wrote in the last run.",
         [](const jobs::JobStats& j) { return integer(j.changed); }},
        {"olmd_job_skipped_concurrent", "Orders the back office changed while the job held them, last run.",
         [](const jobs::JobStats& j) { return integer(j.skipped_concurrent); }},
        {"olmd_job_deferred", "Orders left for the next run (e.g. a lookup error) in the last run.",
         [](const jobs::JobStats& j) { return integer(j.deferred); }},
        {"olmd_job_errors", "Orders sent to an exception status or failed writes in the last run.",
         [](const jobs::JobStats& j) { return integer(j.errors); }},
        {"olmd_job_seconds", "Seconds the job took in the last run.",
         [](const jobs::JobStats& j) { return fmt::format("{:.3f}", j.seconds); }},
    }};
    std::string out;
    for (const auto& series : per_job) {
        header(out, series.name, "gauge", series.help);
        for (const auto& [kind, stats] : s.report.jobs)
            out += fmt::format("{}{{job=\"{}\"}} {}\n", series.name, job_name(kind), series.value(stats));
    }
    header(out, "olmd_job_failed", "gauge", "1 when the job failed as a whole in the last run (MON-3).");
    for (const auto& [kind, stats] : s.report.jobs)
        out += fmt::format("olmd_job_failed{{job=\"{}\"}} {}\n", job_name(kind), stats.failure.empty() ? 0 : 1);

    header(out, "olmd_last_run_id", "gauge", "automation_runs.id of the last run.");
    out += fmt::format("olmd_last_run_id {}\n", s.report.run_id);
    header(out, "olmd_last_run_start_timestamp_seconds", "gauge", "When the last run started (Unix time).");
    out += fmt::format("olmd_last_run_start_timestamp_seconds {:.3f}\n", unix_seconds(s.started));
    header(out, "olmd_last_run_end_timestamp_seconds", "gauge", "When the last run ended (Unix time).");
    out += fmt::format("olmd_last_run_end_timestamp_seconds {:.3f}\n", unix_seconds(s.finished));
    header(out, "olmd_last_run_outcome", "gauge", "1 for the outcome of the last run, 0 for the others.");
    for (store::Outcome o : {store::Outcome::succeeded, store::Outcome::failed, store::Outcome::interrupted})
        out += fmt::format("olmd_last_run_outcome{{outcome=\"{}\"}} {}\n", store::to_string(o),
                           s.report.outcome == o ? 1 : 0);
    header(out, "olmd_warnings_sent_total", "counter", "Runs that sent a long-run warning email (MON-2).");
    out += fmt::format("olmd_warnings_sent_total {}\n", s.warnings_sent_total);
    return out;
}

}  // namespace olmd::metrics
