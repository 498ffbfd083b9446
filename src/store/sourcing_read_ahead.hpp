#pragma once
// Sourcing's read-ahead (store-private): the next page of orders is read on a
// second connection, on a thread of its own, while the writer's connection
// decides and writes the current one.
//
// Why a page read ahead is the page the writer would read: it is asked for from
// inside the writer's batch transaction, at the writer's PRAGMA data_version v,
// and handed out only if the next batch's transaction still sees v, i.e. no
// other connection committed in between. The only commits it may then miss are
// the writer's own, and those touch the orders of earlier pages (their status,
// history, allocations, shipments, reservations, queue lines and payments) and
// the stock, which a page does not hold: the page's orders have larger ids, so
// neither their rows nor the page's membership changed.

#include <cstdint>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "olmd/core/ids.hpp"
#include "olmd/domain/sourcing.hpp"
#include "olmd/store/database.hpp"

namespace olmd::store {

struct SourcingPageQueries;

/// One page read ahead at a time, on its own connection.
class SourcingReadAhead {
public:
    /// A read-ahead on a second connection to db's file; nullptr when none can be opened (an
    /// in-memory database): pages are then read by the writer.
    static std::unique_ptr<SourcingReadAhead> open(const Database& db);
    /// Waits for the read in progress.
    ~SourcingReadAhead();
    SourcingReadAhead(const SourcingReadAhead&) = delete;
    SourcingReadAhead& operator=(const SourcingReadAhead&) = delete;

    /// Starts reading the page (statuses, after, limit), asked for at the writer's data version;
    /// a page asked for already (a batch redone) keeps its first version; another is dropped.
    void start(const std::vector<StatusId>& statuses, RowId after, int limit, std::int64_t version);
    /// The page read ahead for exactly (statuses, after, limit) if it was asked for at version and
    /// read without an error (waiting for it); nullopt otherwise, and the writer reads it itself.
    std::optional<std::vector<domain::sourcing::SourcingOrder>> take(const std::vector<StatusId>& statuses,
                                                                     RowId after, int limit,
                                                                     std::int64_t version);

private:
    struct Asked {
        std::vector<StatusId> statuses;
        RowId after = 0;
        int limit = 0;
        std::int64_t version = 0;
        bool same_page(const std::vector<StatusId>& s, RowId a, int l) const {
            return statuses == s && after == a && limit == l;
        }
    };
    explicit SourcingReadAhead(std::unique_ptr<Database> connection);
    void wait();  ///< joins the thread of the read in progress, if any

    std::unique_ptr<Database> connection_;
    std::unique_ptr<SourcingPageQueries> queries_;  ///< prepared on the first read's thread
    std::optional<Asked> asked_;
    std::vector<domain::sourcing::SourcingOrder> page_;  ///< the result, once the thread is joined
    bool failed_ = false;
    std::thread thread_;
};

}  // namespace olmd::store
