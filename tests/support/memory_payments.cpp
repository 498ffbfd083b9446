// The in-memory payment ports (memory_payments.hpp): the reads and writes of
// store::SqlitePayments (src/store/payments_reads.cpp, payments_writes.cpp) over plain
// vectors; the status writer is support/memory_snapshot_writer.hpp.
#include "support/memory_payments.hpp"

#include <algorithm>
#include <utility>

#include "olmd/core/time.hpp"

namespace olmd::test {

using domain::JournalOp;
using domain::OpState;
using domain::PaymentOrder;
using domain::PaymentRow;

namespace {

bool in(const std::vector<StatusId>& v, StatusId id) { return std::find(v.begin(), v.end(), id) != v.end(); }

bool open_card(const PaymentRow& p) { return p.is_card() && p.status == "authorized"; }

/// CAP-2/CAP-3 as store/payments_reads.cpp's capture_where() says it.
bool capture_candidate(const domain::CaptureFilter& f, const PaymentOrder& o, const PaymentRow& p) {
    if (!open_card(p)) return false;
    if (f.hold_status != 0 && o.status_id == f.hold_status) return false;
    if (!f.statuses.empty() && !in(f.statuses, o.status_id)) return false;
    const bool shipped = o.status_id == f.fully_shipped_status;
    if (o.is_delayed_delivery) return f.delayed_on_creation || shipped;
    return !f.only_fully_shipped || shipped;
}

/// RA-2: an authorized card payment not fully captured, authorized at or before the cutoff (or
/// with an authorized_at that cannot be read, so that the job reports it).
bool reauth_candidate(const domain::ReauthFilter& f, const PaymentOrder& o, const PaymentRow& p) {
    if (!open_card(p) || p.captured_cents == p.amount_cents) return false;
    if (f.hold_status != 0 && o.status_id == f.hold_status) return false;
    if (!in(f.statuses, o.status_id)) return false;
    return p.authorized_at.empty() || p.authorized_at.size() != 20 || p.authorized_at <= f.cutoff;
}

bool is_open(OpState s) { return s == OpState::pending || s == OpState::unknown; }

}  // namespace

// --- MemoryPaymentsData -------------------------------------------------------------------

PaymentOrder* MemoryPaymentsData::order(OrderId id) {
    for (auto& o : orders)
        if (o.id == id) return &o;
    return nullptr;
}

const PaymentOrder* MemoryPaymentsData::order(OrderId id) const {
    for (const auto& o : orders)
        if (o.id == id) return &o;
    return nullptr;
}

PaymentRow* MemoryPaymentsData::payment(RowId id) {
    for (auto& o : orders)
        for (auto& p : o.payments)
            if (p.id == id) return &p;
    return nullptr;
}

const PaymentRow* MemoryPaymentsData::payment(RowId id) const {
    for (const auto& o : orders)
        for (const auto& p : o.payments)
            if (p.id == id) return &p;
    return nullptr;
}

const PaymentRow* MemoryPaymentsData::replacement_of(RowId old) const {
    for (const auto& o : orders)
        for (const auto& p : o.payments)
            if (p.replaces_payment_id == old) return &p;
    return nullptr;
}

std::vector<JournalOp> MemoryPaymentsData::ops_of(RowId payment) const {
    std::vector<JournalOp> v;
    for (const auto& j : journal)
        if (j.op.payment_id == payment) v.push_back(j.op);
    return v;
}

// --- MemoryPayments: reads --------------------------------------------------------------------

Result<std::vector<OrderId>> MemoryPayments::capture_orders(const domain::CaptureFilter& f, OrderId after, int limit) {
    std::vector<OrderId> v;
    for (const auto& o : d_.orders) {  // orders are kept in id order
        if (o.id <= after || static_cast<int>(v.size()) >= limit) continue;
        if (std::any_of(o.payments.begin(), o.payments.end(), [&](const auto& p) { return capture_candidate(f, o, p); }))
            v.push_back(o.id);
    }
    return v;
}

Result<std::int64_t> MemoryPayments::capture_count(const domain::CaptureFilter& f) {
    std::int64_t n = 0;
    for (const auto& o : d_.orders)
        for (const auto& p : o.payments) n += capture_candidate(f, o, p) ? 1 : 0;
    return n;
}

Result<std::vector<OrderId>> MemoryPayments::reauth_orders(const domain::ReauthFilter& f, OrderId after, int limit) {
    std::vector<OrderId> v;
    for (const auto& o : d_.orders) {
        if (o.id <= after || static_cast<int>(v.size()) >= limit) continue;
        if (std::any_of(o.payments.begin(), o.payments.end(), [&](const auto& p) { return reauth_candidate(f, o, p); }))
            v.push_back(o.id);
    }
    return v;
}

Result<std::vector<OrderId>> MemoryPayments::club_orders(StatusId club_status, OrderId after, int limit) {
    std::vector<OrderId> v;
    for (const auto& o : d_.orders)
        if (o.is_club && o.status_id == club_status && o.id > after && static_cast<int>(v.size()) < limit)
            v.push_back(o.id);
    return v;
}

Result<std::optional<PaymentOrder>> MemoryPayments::load_order(OrderId id) {
    const PaymentOrder* found = d_.order(id);
    if (found == nullptr) return std::optional<PaymentOrder>{};
    PaymentOrder o = *found;
    std::sort(o.payments.begin(), o.payments.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    for (auto& p : o.payments) {
        // The purpose of the payment's first operation still pending or unknown.
        p.unresolved_op = false;
        p.unresolved_purpose.clear();
        for (const auto& j : d_.journal) {
            if (j.op.payment_id != p.id || !is_open(j.op.state)) continue;
            p.unresolved_op = true;
            p.unresolved_purpose = j.op.purpose;
            break;
        }
    }
    return std::optional<PaymentOrder>{std::move(o)};
}

Result<OrderId> MemoryPayments::order_of_payment(RowId payment_id) {
    const PaymentRow* p = d_.payment(payment_id);
    return p == nullptr ? OrderId{0} : p->order_id;
}

Result<std::vector<JournalOp>> MemoryPayments::unresolved(const std::vector<std::string>& purposes) {
    std::vector<JournalOp> v;
    for (const auto& j : d_.journal)
        if (is_open(j.op.state) && std::find(purposes.begin(), purposes.end(), j.op.purpose) != purposes.end())
            v.push_back(j.op);
    return v;
}

// --- MemoryPayments: writes -------------------------------------------------------------------

Result<JournalOp> MemoryPayments::journal(RowId payment_id, domain::Operation op, const std::string& purpose,
                                          Cents amount, const std::string& request_ref, RunId run, Instant now) {
    if (d_.payment(payment_id) == nullptr)
        return Error{"cannot journal a gateway operation for payment " + std::to_string(payment_id) + ": no such payment"};
    int attempt = 1;
    for (const auto& j : d_.journal)
        if (j.op.payment_id == payment_id && j.op.operation == op) attempt = std::max(attempt, j.op.attempt + 1);
    JournalOp o;
    o.id = d_.new_id();
    o.payment_id = payment_id;
    o.operation = op;
    o.purpose = purpose;
    o.attempt = attempt;
    o.amount_cents = amount;
    o.idempotency_key = "olmd-" + d_.key_namespace + "-" + std::to_string(payment_id) + "-" +
                        std::string(domain::to_string(op)) + "-" + std::to_string(attempt);
    o.state = OpState::pending;
    o.request_ref = request_ref;
    o.gateway_ref = request_ref;
    o.run_id = run;
    o.created_at = format_utc(now);
    d_.journal.push_back(MemJournalOp{o, ""});
    if (d_.on_journal) d_.on_journal(o);
    return o;
}

Status MemoryPayments::complete(RowId op_id, OpState state, const std::string& gateway_ref,
                                const std::string& response_code, Instant now) {
    for (auto& j : d_.journal) {
        if (j.op.id != op_id) continue;
        j.op.state = state;
        if (!gateway_ref.empty()) j.op.gateway_ref = gateway_ref;
        if (!response_code.empty()) j.op.response_code = response_code;
        j.completed_at = is_open(state) ? std::string() : format_utc(now);
        return ok_status();
    }
    return Error{"cannot record a gateway outcome: no operation " + std::to_string(op_id)};
}

Status MemoryPayments::mark_captured(RowId payment_id, Cents captured_cents, Instant now, const std::string& avs,
                                     const std::string& cvv) {
    PaymentRow* p = d_.payment(payment_id);
    if (p == nullptr) return Error{"cannot mark payment " + std::to_string(payment_id) + " captured: no such payment"};
    p->status = "captured";
    p->captured_cents = captured_cents;
    d_.captured_at[payment_id] = format_utc(now);
    if (!avs.empty()) p->avs_result = avs;
    if (!cvv.empty()) p->cvv_result = cvv;
    return ok_status();
}

Status MemoryPayments::set_status(RowId payment_id, const std::string& status) {
    PaymentRow* p = d_.payment(payment_id);
    if (p == nullptr) return Error{"cannot update payment " + std::to_string(payment_id) + ": no such payment"};
    p->status = status;
    return ok_status();
}

Status MemoryPayments::mark_authorized(RowId payment_id, const std::string& gateway_ref, Instant now,
                                       const std::string& avs, const std::string& cvv) {
    PaymentRow* p = d_.payment(payment_id);
    if (p == nullptr) return Error{"cannot mark payment " + std::to_string(payment_id) + " authorized: no such payment"};
    p->status = "authorized";
    p->gateway_ref = gateway_ref;
    p->authorized_at = format_utc(now);
    if (!avs.empty()) p->avs_result = avs;
    if (!cvv.empty()) p->cvv_result = cvv;
    return ok_status();
}

Status MemoryPayments::count_club_attempt(RowId payment_id, Instant now) {
    PaymentRow* p = d_.payment(payment_id);
    if (p == nullptr) return Error{"cannot update payment " + std::to_string(payment_id) + ": no such payment"};
    ++p->reauth_attempts;
    p->last_attempt_at = format_utc(now);
    return ok_status();
}

Result<RowId> MemoryPayments::insert_replacement(const PaymentRow& old, Cents amount, Instant now) {
    PaymentOrder* o = d_.order(old.order_id);
    if (o == nullptr) return Error{"cannot insert the payment replacing " + std::to_string(old.id) + ": no order"};
    PaymentRow p;
    p.id = d_.new_id();
    p.order_id = old.order_id;
    p.method = "credit_card";
    p.status = "pending";
    p.amount_cents = amount;
    p.card_token = old.card_token;
    p.customer_ref = old.customer_ref;
    p.created_at = format_utc(now);
    p.replaces_payment_id = old.id;
    o->payments.push_back(p);
    return p.id;
}

// --- MemoryPaymentsStore ----------------------------------------------------------------------

Result<std::unique_ptr<domain::StatusWriter>> MemoryPaymentsStore::status_writer(const domain::WriterOptions& o) {
    return std::unique_ptr<domain::StatusWriter>(new MemoryPaymentsWriter(d_, o));
}

Result<std::unique_ptr<domain::PaymentRepository>> MemoryPaymentsStore::payments() {
    return std::unique_ptr<domain::PaymentRepository>(new MemoryPayments(d_));
}

}  // namespace olmd::test
