// The in-memory sourcing ports' writer side (memory_sourcing.hpp): the StatusWriter's
// batches and per-order savepoints (a copy of the tables, put back on rollback), the
// optimistic status transition with its history row, the RunStore that hands both
// ports out, and the seeded catalog. The reads and the plan writes are in memory_sourcing.cpp.
#include <utility>

#include "olmd/core/time.hpp"
#include "support/memory_sourcing.hpp"

namespace olmd::test {

// --- MemorySourcingWriter ---------------------------------------------------------------------

MemorySourcingWriter::MemorySourcingWriter(MemorySourcingData& data, domain::WriterOptions options)
    : d_(data), o_(std::move(options)), now_(format_utc(o_.now)) {}

Status MemorySourcingWriter::begin_batch() {
    if (!o_.dry_run) batch_start_ = d_;
    return ok_status();
}

Status MemorySourcingWriter::commit_batch() {
    if (o_.dry_run || !batch_start_) return ok_status();
    batch_start_.reset();
    order_start_.reset();
    ++d_.batches_committed;
    return ok_status();
}

void MemorySourcingWriter::rollback_batch() {
    if (!batch_start_) return;
    const RowId next = d_.next_id;  // ids are not handed out twice, so a test never mistakes one row for another
    d_ = std::move(*batch_start_);
    d_.next_id = next;
    batch_start_.reset();
    order_start_.reset();
}

Status MemorySourcingWriter::begin_order() {
    if (!o_.dry_run) order_start_ = d_;
    return ok_status();
}

Status MemorySourcingWriter::end_order(bool keep) {
    if (o_.dry_run || !order_start_) return ok_status();
    if (!keep) {
        const RowId next = d_.next_id;
        d_ = std::move(*order_start_);
        d_.next_id = next;
    }
    order_start_.reset();
    return ok_status();
}

Result<domain::TransitionOutcome> MemorySourcingWriter::apply(const domain::Transition& t) {
    if (t.to == t.from) return domain::TransitionOutcome::unchanged;
    if (o_.dry_run) {
        if (o_.dry_out) *o_.dry_out << "would change order " << t.order_number << "\n";
        return domain::TransitionOutcome::changed;
    }
    src::SourcingOrder* o = d_.order(t.order);
    if (o == nullptr || o->status_id != t.from) return domain::TransitionOutcome::concurrent;
    o->status_id = t.to;
    d_.history.push_back(MemoryHistory{t.order, t.from, t.to, o_.job, o_.run, t.reason});
    return domain::TransitionOutcome::changed;
}

// --- MemorySourcingStore ----------------------------------------------------------------------

Result<std::unique_ptr<domain::StatusWriter>> MemorySourcingStore::status_writer(const domain::WriterOptions& o) {
    return std::unique_ptr<domain::StatusWriter>(new MemorySourcingWriter(d_, o));
}

Result<std::unique_ptr<domain::SourcingRepository>> MemorySourcingStore::sourcing() {
    return std::unique_ptr<domain::SourcingRepository>(new MemorySourcing(d_));
}

domain::Catalog seeded_catalog() {
    domain::Catalog c;
    RowId id = 0;
    for (const char* s : {"Auction Awaiting Checkout", "Awaiting Payment", "Credit Card Declined", "In PayPal Checkout",
                          "PayPal Checkout Issue", "Ready to Process", "Ready to Source", "In Shipping",
                          "Partially Shipped", "Awaiting Inventory", "Awaiting Drop-ship Confirmation", "Shipped",
                          "Voided", "CC Exceptions", "Non Compliant", "Requires Manual Sourcing",
                          "Inv. Automation Exceptions", "Format Exception", "On Hold", "Club CC Exception",
                          "No Shipping Method", "Gift Certificates Only", "Club Membership Only"})
        c.statuses.add(++id, s);
    id = 0;
    for (const char* s : {"POS", "SOI", "Website", "eBay", "Order Manager"}) c.channels.add(++id, s);
    c.shipping_methods.add(1, "Ground");
    c.shipping_methods.add(2, "COD Ground");
    return c;
}

}  // namespace olmd::test
