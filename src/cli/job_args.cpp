#include "cli/job_args.hpp"

#include <spdlog/spdlog.h>

#include "olmd/jobs/job.hpp"
#include "olmd/pipeline/runner.hpp"

namespace olmd::cli {

Result<std::vector<JobKind>> parse_job_list(const std::string& text) {
    std::vector<JobKind> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find(',', start);
        if (end == std::string::npos) end = text.size();
        std::string name = text.substr(start, end - start);
        while (!name.empty() && name.front() == ' ') name.erase(name.begin());
        while (!name.empty() && name.back() == ' ') name.pop_back();
        if (!name.empty()) {
            auto k = job_from_name(name);
            if (!k)
                return Error{"unknown job \"" + name + "\" in --jobs (valid: capture, reauth, fraud, sourcing)",
                             exit_code::usage};
            out.push_back(*k);
        }
        start = end + 1;
    }
    if (out.empty()) return Error{"--jobs lists no job (valid: capture, reauth, fraud, sourcing)", exit_code::usage};
    return pipeline::in_run_order(std::move(out));
}

Result<std::vector<JobKind>> select_jobs(const config::Config& cfg, const std::optional<std::vector<JobKind>>& listed) {
    const jobs::JobSet set = jobs::make_job_set();
    std::vector<JobKind> out;
    if (listed) {
        for (JobKind k : *listed) {
            if (!cfg.job(k).enabled)
                return Error{"job " + std::string(job_name(k)) + " is disabled in the configuration; set [" +
                                 std::string(job_name(k)) + "] enabled = true to run it",
                             exit_code::usage};
            if (set.get(k) == nullptr)
                return Error{"job " + std::string(job_name(k)) + " is not available in this build of olmd",
                             exit_code::usage};
            out.push_back(k);
        }
        return out;
    }
    for (JobKind k : kAllJobs) {
        if (!cfg.job(k).enabled) continue;
        if (set.get(k) == nullptr) {
            spdlog::warn("job {} is enabled but not available in this build of olmd; skipped", job_name(k));
            continue;
        }
        out.push_back(k);
    }
    return out;
}

}  // namespace olmd::cli
