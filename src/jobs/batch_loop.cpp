// The write half of the batch loop (jobs/batch_loop.hpp): one transaction per page.
#include "olmd/jobs/batch_loop.hpp"

namespace olmd::jobs::batch_detail {

bool write_page(JobContext& ctx, JobStats& stats, domain::StatusWriter& writer, const DecidedPage& d) {
    stats.selected += d.selected;
    stats.deferred += d.deferred;
    stats.errors += d.errors;
    if (!d.pending.empty()) {  // a page without transitions takes no write lock
        if (auto st = writer.begin_batch(); !st) {
            stats.failure = st.error().message;
            return false;
        }
        auto outcomes = writer.apply_all(d.pending);
        if (!outcomes) {
            writer.rollback_batch();
            stats.failure = outcomes.error().message;
            return false;
        }
        for (const auto o : *outcomes) {
            if (o == domain::TransitionOutcome::changed) ++stats.changed;
            if (o == domain::TransitionOutcome::concurrent) ++stats.skipped_concurrent;
        }
        if (auto st = writer.commit_batch(); !st) {
            stats.failure = st.error().message;
            return false;
        }
    }
    if (ctx.progress) ctx.progress->done.fetch_add(d.rows, std::memory_order_relaxed);
    return true;
}

}  // namespace olmd::jobs::batch_detail
