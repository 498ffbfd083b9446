#pragma once
// The inventory sourcing job (SRC-1..SRC-15). Each run first visits, oldest
// first, the orders waiting on backorders (SRC-14), then every order in
// [sourcing] statuses by id. Orders are read keyset-paged, [daemon]
// batch_size at a time, inside a BEGIN IMMEDIATE transaction that also holds
// their writes; an order is written whole or not at all (a batch in which an
// order's rows are refused is redone with one savepoint per order, and only
// that order goes to result.exception). Ready-to-ship authorizations (SRC-12)
// are made between batches, never while the write lock is held.
//
// Where each rule lives (src/jobs/sourcing/):
//   settings.cpp          configuration resolved to ids (SRC-1, SRC-8 overrides)
//   prechecks.cpp         SRC-2..SRC-6 and the line checks (bad data)
//   unit_sourcing.cpp     SRC-7 reserved first, stock / jit / dropship, split, auto-backorder
//   kits.cpp              SRC-7 kit grouping (kits_single_warehouse, ship_kits_complete in unit_sourcing)
//   ranking.cpp           SRC-8 manual_priority / closest / highest_available, blacklists
//   vendor_choice.cpp     SRC-9
//   availability.cpp      SRC-10
//   shipments.cpp         SRC-11
//   ready_to_ship.cpp     SRC-12 amounts (ready, covered, to authorize)
//   resulting_status.cpp  SRC-13
//   backorders.cpp        SRC-14
//   decide_order.cpp      one order through all of the above
//   sourcing_job.cpp      the run loop (SRC-15: every row names the run)
//   rts_authorization.cpp SRC-12 gateway call, journal and reconciliation (OPS-6)
//   explain.cpp           olmd explain
//   olmd/domain/sourcing.hpp  the domain values; src/store/sourcing_*.cpp reads and writes them

#include <functional>
#include <memory>

#include "olmd/jobs/job.hpp"

namespace olmd::jobs::sourcing {

/// The sourcing job.
class SourcingJob final : public Job {
public:
    /// JobKind::sourcing.
    JobKind kind() const override { return JobKind::sourcing; }
    /// Sources every eligible order (SRC-14 pass, then SRC-1 pass); a failure of the whole job
    /// (database error) goes in stats.failure, batches already committed stay done.
    void run(JobContext& ctx, JobStats& stats) override;
    /// Which pass selects the order, the pre-check that applies, or for each unit where it would
    /// come from and why (rule, ranked warehouses, distances), and the resulting status.
    void explain(JobContext& ctx, const OrderRef& order, std::ostream& out) override;
};

}  // namespace olmd::jobs::sourcing

namespace olmd::jobs {

/// The sourcing job as the registry adds it.
std::unique_ptr<Job> make_sourcing_job();

}  // namespace olmd::jobs
