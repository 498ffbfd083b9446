#pragma once
// The loop every order-status job shares: read eligible orders in keyset-paged
// batches of [daemon] batch_size, decide each one, write the batch's
// transitions in one transaction, count what happened. Memory stays flat
// whatever the number of orders.

#include <spdlog/spdlog.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "olmd/core/error.hpp"
#include "olmd/jobs/job.hpp"
#include "olmd/domain/status_writer.hpp"

namespace olmd::jobs {

/// What a job decided for one order.
struct OrderDecision {
    std::optional<StatusId> to;  ///< the new status; nullopt = leave the order as it is
    std::string reason;          ///< history reason when `to` is set
    bool deferred = false;       ///< left for the next run (counted as deferred)
    bool bad_data = false;       ///< sent to the exception status for bad data (counted in errors)
};

/// Reads the next page of rows with id > after_id, at most limit rows, in id order.
template <class Row>
using PageReader = std::function<Result<std::vector<Row>>(RowId after_id, int limit)>;

/// Runs decide() over every row the reader yields, then writes the page's transitions
/// in one short transaction (decisions, which may wait on remote services, are made
/// before the write lock is taken). Row must have `id`, `number` and `status_id`.
/// A batch whose write fails is rolled back and ends the job with stats.failure set;
/// batches already committed stay done.
template <class Row>
void process_in_batches(JobContext& ctx, JobStats& stats, domain::StatusWriter& writer, const PageReader<Row>& read,
                        const std::function<OrderDecision(const Row&)>& decide) {
    const int limit = ctx.cfg.daemon.batch_size;
    RowId after = 0;
    std::vector<domain::Transition> pending;
    while (!ctx.stopping()) {
        auto page = read(after, limit);
        if (!page) {
            stats.failure = page.error().message;
            return;
        }
        if (page->empty()) return;
        after = page->back().id;
        pending.clear();
        for (const Row& row : *page) {
            // SIGTERM: the order in hand is finished, the rest of the page is left for later.
            if (ctx.stopping()) break;
            ++stats.selected;
            OrderDecision d = decide(row);
            if (d.deferred) ++stats.deferred;
            if (d.bad_data) ++stats.errors;
            if (d.to) pending.push_back(domain::Transition{row.id, row.status_id, *d.to, std::move(d.reason), row.number});
        }
        if (auto st = writer.begin_batch(); !st) {
            stats.failure = st.error().message;
            return;
        }
        auto outcomes = writer.apply_all(pending);
        if (!outcomes) {
            writer.rollback_batch();
            stats.failure = outcomes.error().message;
            return;
        }
        for (const auto o : *outcomes) {
            if (o == domain::TransitionOutcome::changed) ++stats.changed;
            if (o == domain::TransitionOutcome::concurrent) ++stats.skipped_concurrent;
        }
        if (auto st = writer.commit_batch(); !st) {
            stats.failure = st.error().message;
            return;
        }
        if (ctx.progress) ctx.progress->done.fetch_add(static_cast<std::int64_t>(page->size()), std::memory_order_relaxed);
    }
}

}  // namespace olmd::jobs
