#pragma once
// The loop every order-status job shares: read eligible orders in keyset-paged
// batches of [daemon] batch_size, decide each one, write the batch's
// transitions in one transaction, count what happened. Memory stays flat
// whatever the number of orders.

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
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

namespace batch_detail {

/// One page's decisions: the transitions to write and the counts to add.
struct DecidedPage {
    std::vector<domain::Transition> pending;
    std::int64_t selected = 0, deferred = 0, errors = 0;
    std::int64_t rows = 0;  ///< rows the page held (progress)
};

/// Decides the page's rows in order; on a stop request the row in hand is finished and the rest left.
template <class Row>
DecidedPage decide_page(const JobContext& ctx, const std::vector<Row>& page,
                        const std::function<OrderDecision(const Row&)>& decide) {
    DecidedPage d;
    d.rows = static_cast<std::int64_t>(page.size());
    for (const Row& row : page) {
        if (ctx.stopping()) break;
        ++d.selected;
        OrderDecision o = decide(row);
        if (o.deferred) ++d.deferred;
        if (o.bad_data) ++d.errors;
        if (o.to) d.pending.push_back(domain::Transition{row.id, row.status_id, *o.to, std::move(o.reason), row.number});
    }
    return d;
}

/// Adds the page's counts, writes its transitions in one transaction; false (stats.failure set) on an error.
bool write_page(JobContext& ctx, JobStats& stats, domain::StatusWriter& writer, const DecidedPage& d);

}  // namespace batch_detail

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
    while (!ctx.stopping()) {
        auto page = read(after, limit);
        if (!page) {
            stats.failure = page.error().message;
            return;
        }
        if (page->empty()) return;
        after = page->back().id;
        if (!batch_detail::write_page(ctx, stats, writer, batch_detail::decide_page(ctx, *page, decide))) return;
    }
}

/// process_in_batches() with the reading and deciding of page n+1 on a second thread while page n
/// is written: the same decisions, writes and counts, for a reader that reads beside the writer
/// (FraudOrderPages::reads_beside_writer) and decisions that do not depend on the writes of earlier
/// pages (fraud: each order is judged on its own row). At most two decided pages wait in memory.
/// read and decide run only on the second thread, the writer only on the calling one.
template <class Row>
void process_in_batches_overlapped(JobContext& ctx, JobStats& stats, domain::StatusWriter& writer,
                                   const PageReader<Row>& read,
                                   const std::function<OrderDecision(const Row&)>& decide) {
    struct Slot {
        batch_detail::DecidedPage page;
        std::string failure;  ///< the read failed (or threw): the job ends with it
        bool last = false;    ///< nothing follows (end of selection, stop request or failure)
    };
    std::mutex m;
    std::condition_variable cv;
    std::optional<Slot> slot;
    bool quit = false;  ///< the writer gave up: the reader stops at its next hand-over
    const int limit = ctx.cfg.daemon.batch_size;

    std::thread reader([&] {
        RowId after = 0;
        for (bool last = false; !last;) {
            Slot s;
            try {
                auto page = ctx.stopping() ? Result<std::vector<Row>>(std::vector<Row>{}) : read(after, limit);
                if (!page) {
                    s.failure = page.error().message;
                } else if (!page->empty()) {
                    after = page->back().id;
                    s.page = batch_detail::decide_page(ctx, *page, decide);
                }
                s.last = !page || page->empty() || ctx.stopping();
            } catch (const std::exception& e) {
                s.failure = std::string("reading or deciding a page failed: ") + e.what();
                s.last = true;
            }
            last = s.last;
            std::unique_lock l(m);
            cv.wait(l, [&] { return !slot || quit; });
            if (quit) return;
            slot = std::move(s);
            cv.notify_all();
        }
    });
    for (bool last = false; !last;) {
        Slot s;
        {
            std::unique_lock l(m);
            cv.wait(l, [&] { return slot.has_value(); });
            s = std::move(*slot);
            slot.reset();
            cv.notify_all();
        }
        last = s.last;
        if (!s.failure.empty()) {
            stats.failure = s.failure;
            break;
        }
        if (s.page.rows > 0 && !batch_detail::write_page(ctx, stats, writer, s.page)) break;
    }
    {
        std::lock_guard l(m);
        quit = true;
    }
    cv.notify_all();
    reader.join();
}

}  // namespace olmd::jobs
