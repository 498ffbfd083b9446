// Sourcing's read-ahead (sourcing_read_ahead.hpp): one thread per page, joined
// before the connection is used again, so the connection is only ever used by
// one thread at a time (it is opened NOMUTEX).
#include "store/sourcing_read_ahead.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include "store/sourcing_pages.hpp"

namespace olmd::store {

using domain::sourcing::SourcingOrder;

std::unique_ptr<SourcingReadAhead> SourcingReadAhead::open(const Database& db) {
    if (db.path().empty() || db.path() == ":memory:" || db.path().starts_with("file::memory:"))
        return nullptr;
    auto c = db.open_again();
    if (!c) return nullptr;
    return std::unique_ptr<SourcingReadAhead>(new SourcingReadAhead(std::move(*c)));
}

SourcingReadAhead::SourcingReadAhead(std::unique_ptr<Database> connection)
    : connection_(std::move(connection)) {}

SourcingReadAhead::~SourcingReadAhead() {
    wait();
    queries_.reset();  // the statements go before their connection
}

void SourcingReadAhead::wait() {
    if (thread_.joinable()) thread_.join();
}

void SourcingReadAhead::start(const std::vector<StatusId>& statuses, RowId after, int limit,
                              std::int64_t version) {
    if (asked_ && asked_->same_page(statuses, after, limit)) return;
    wait();
    asked_ = Asked{statuses, after, limit, version};
    page_.clear();
    failed_ = false;
    thread_ = std::thread([this] {
        SQLite::Database& db = connection_->raw();
        try {
            if (!queries_) queries_ = std::make_unique<SourcingPageQueries>(db);
            SQLite::Transaction snapshot(db);  // one read snapshot for the page and its details
            page_ = queries_->page_by_id(asked_->statuses, asked_->after, asked_->limit);
            snapshot.commit();
        } catch (...) {
            page_.clear();
            failed_ = true;  // the writer reads the page itself and reports what it finds
        }
    });
}

std::optional<std::vector<SourcingOrder>> SourcingReadAhead::take(const std::vector<StatusId>& statuses,
                                                                  RowId after, int limit,
                                                                  std::int64_t version) {
    if (!asked_ || !asked_->same_page(statuses, after, limit)) return std::nullopt;
    wait();
    const bool usable = !failed_ && asked_->version == version;
    asked_.reset();
    if (!usable) return std::nullopt;
    return std::move(page_);
}

}  // namespace olmd::store
