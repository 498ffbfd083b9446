#pragma once
// The reauth job (RA-1..RA-6): voids and re-authorizes aging authorizations
// (RA-2..RA-4) and retries declined club orders (RA-5), journaling every
// gateway request (OPS-6).

#include <memory>

#include "olmd/jobs/job.hpp"
#include "olmd/jobs/payment_engine/engine.hpp"

namespace olmd::jobs::reauth {

/// RA-2/RA-3 decisions for one order (exposed for tests and explain).
class ReauthPlanner final : public payment_engine::Planner {
public:
    ReauthPlanner(const config::Config& cfg, const payment_engine::Settings& settings, Instant now)
        : cfg_(cfg), s_(settings), now_(now) {}
    /// The next aging authorization to re-authorize, bad data, or nothing.
    std::optional<payment_engine::Step> plan(payment_engine::OrderState& s) override;

private:
    const config::Config& cfg_;
    const payment_engine::Settings& s_;
    Instant now_;
};

/// RA-5 decisions for one club order.
class ClubPlanner final : public payment_engine::Planner {
public:
    ClubPlanner(const config::Config& cfg, const payment_engine::Settings& settings, Instant now)
        : cfg_(cfg), s_(settings), now_(now) {}
    /// The retry of the most recent declined card payment, bad data, or nothing.
    std::optional<payment_engine::Step> plan(payment_engine::OrderState& s) override;

private:
    const config::Config& cfg_;
    const payment_engine::Settings& s_;
    Instant now_;
};

/// The reauth job.
class ReauthJob final : public Job {
public:
    /// JobKind::reauth.
    JobKind kind() const override { return JobKind::reauth; }
    /// Reconciles the journal, then RA-2..4 over [reauth] statuses, then RA-5 club retries.
    void run(JobContext& ctx, JobStats& stats) override;
    /// Whether RA-2 / RA-5 select the order and, per payment, what would be done.
    void explain(JobContext& ctx, const OrderRef& order, std::ostream& out) override;
};

}  // namespace olmd::jobs::reauth

namespace olmd::jobs {

/// The reauth job as the registry adds it.
std::unique_ptr<Job> make_reauth_job();

}  // namespace olmd::jobs
