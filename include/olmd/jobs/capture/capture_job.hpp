#pragma once
// The capture job (CAP-1..CAP-7): captures authorized credit-card payments
// through the gateway, in payment id order per order with the balance due
// recomputed after each capture, journaling every request (OPS-6).

#include <functional>
#include <memory>

#include "olmd/jobs/job.hpp"
#include "olmd/jobs/payment_engine/engine.hpp"

namespace olmd::jobs::capture {

/// CAP-2/CAP-4/CAP-5 decisions for one order (exposed for tests and explain).
class CapturePlanner final : public payment_engine::Planner {
public:
    CapturePlanner(const config::Config& cfg, const payment_engine::Settings& settings) : cfg_(cfg), s_(settings) {}
    /// The next payment to capture, the exception CAP-4 or bad data calls for, or nothing.
    std::optional<payment_engine::Step> plan(payment_engine::OrderState& s) override;
    /// CAP-3: whether the order's payments are available for capture now.
    bool available(const domain::PaymentOrder& o) const;

private:
    const config::Config& cfg_;
    const payment_engine::Settings& s_;
};

/// The capture job.
class CaptureJob final : public Job {
public:
    /// JobKind::capture.
    JobKind kind() const override { return JobKind::capture; }
    /// Reconciles the journal, then captures every available authorized payment (CAP-1..7).
    void run(JobContext& ctx, JobStats& stats) override;
    /// Whether CAP-2/CAP-3 select the order and, per payment, what CAP-4..6 would do.
    void explain(JobContext& ctx, const OrderRef& order, std::ostream& out) override;
};

}  // namespace olmd::jobs::capture

namespace olmd::jobs {

/// The capture job as the registry adds it.
std::unique_ptr<Job> make_capture_job();

}  // namespace olmd::jobs
