#pragma once
// A job that runs a callback (to be slow, to set progress, to fail as a whole), for the
// tests of what runs jobs: the run monitor (MON-1..MON-4) and its emails.

#include <functional>
#include <ostream>
#include <utility>

#include "olmd/jobs/job.hpp"

namespace olmd::test {

class ScriptedJob final : public jobs::Job {
public:
    ScriptedJob(JobKind kind, std::function<void(jobs::JobContext&, jobs::JobStats&)> body)
        : kind_(kind), body_(std::move(body)) {}
    JobKind kind() const override { return kind_; }
    void run(jobs::JobContext& ctx, jobs::JobStats& stats) override {
        if (body_) body_(ctx, stats);
    }
    void explain(jobs::JobContext&, const jobs::OrderRef&, std::ostream&) override {}

private:
    JobKind kind_;
    std::function<void(jobs::JobContext&, jobs::JobStats&)> body_;
};

}  // namespace olmd::test
