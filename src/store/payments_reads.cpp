// Reads of the SQLite PaymentRepository: candidates, orders with their payments, the open journal.
#include "olmd/store/payments.hpp"

#include "store/sqlite_payments.hpp"
#include "store/sql_text.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>

namespace olmd::store {

namespace {

std::string text_or_empty(const SQLite::Column& c) { return c.isNull() ? std::string() : c.getString(); }


}  // namespace

namespace {

OpState op_state_from(const std::string& s) {
    if (s == "succeeded") return OpState::succeeded;
    if (s == "declined") return OpState::declined;
    if (s == "unknown") return OpState::unknown;
    return OpState::pending;
}


/// An integer column read without coercion: a non-integer value (its type is reported in bad_types) reads 0.
std::int64_t int_or_zero(const SQLite::Column& c) { return c.getType() == SQLITE_INTEGER ? c.getInt64() : 0; }

PaymentRow read_payment(SQLite::Statement& q) {
    PaymentRow p;
    p.id = q.getColumn(0).getInt64();
    p.order_id = q.getColumn(1).getInt64();
    p.method = text_or_empty(q.getColumn(2));
    p.status = text_or_empty(q.getColumn(3));
    p.amount_cents = int_or_zero(q.getColumn(4));
    p.captured_cents = int_or_zero(q.getColumn(5));
    p.card_token = text_or_empty(q.getColumn(6));
    p.customer_ref = text_or_empty(q.getColumn(7));
    p.gateway_ref = text_or_empty(q.getColumn(8));
    p.created_at = text_or_empty(q.getColumn(9));
    p.authorized_at = text_or_empty(q.getColumn(10));
    p.avs_result = text_or_empty(q.getColumn(11));
    p.cvv_result = text_or_empty(q.getColumn(12));
    {
        const std::int64_t n = int_or_zero(q.getColumn(13));
        p.reauth_attempts = n < 0 ? -1 : static_cast<int>(std::min<std::int64_t>(n, 1000000000));
    }
    p.last_attempt_at = text_or_empty(q.getColumn(14));
    p.replaces_payment_id = int_or_zero(q.getColumn(15));
    p.unresolved_op = !q.getColumn(16).isNull();
    p.unresolved_purpose = text_or_empty(q.getColumn(16));
    p.bad_types = text_or_empty(q.getColumn(17));
    return p;
}

constexpr const char* kOpColumns =
    "id, payment_id, operation, coalesce(purpose, ''), attempt, amount_cents, idempotency_key, state, "
    "coalesce(gateway_ref, ''), coalesce(request_ref, ''), coalesce(response_code, ''), run_id, created_at";

JournalOp read_op(SQLite::Statement& q) {
    JournalOp o;
    o.id = q.getColumn(0).getInt64();
    o.payment_id = q.getColumn(1).getInt64();
    auto op = domain::operation_from_string(q.getColumn(2).getString());
    o.operation = op ? *op : Operation::authorize;
    o.purpose = q.getColumn(3).getString();
    o.attempt = q.getColumn(4).getInt();
    o.amount_cents = q.getColumn(5).getInt64();
    o.idempotency_key = q.getColumn(6).getString();
    o.state = op_state_from(q.getColumn(7).getString());
    o.gateway_ref = q.getColumn(8).getString();
    o.request_ref = q.getColumn(9).getString();
    o.response_code = q.getColumn(10).getString();
    o.run_id = q.getColumn(11).getInt64();
    o.created_at = q.getColumn(12).getString();
    return o;
}

}  // namespace


SqlitePayments::SqlitePayments(Database& db) : db_(db) {}
SqlitePayments::~SqlitePayments() = default;

Result<std::unique_ptr<SqlitePayments>> SqlitePayments::open(Database& db) {
    try {
        std::unique_ptr<SqlitePayments> s(new SqlitePayments(db));
        s->st_ = std::make_unique<Statements>(db.raw());
        return s;
    } catch (const std::exception& e) {
        return Error{std::string("cannot prepare the payment statements (is the schema current? run `olmd init-db`): ") +
                         e.what(),
                     exit_code::database};
    }
}

Result<std::unique_ptr<domain::PaymentRepository>> open_payments(Database& db) {
    auto s = SqlitePayments::open(db);
    if (!s) return s.error();
    return std::unique_ptr<domain::PaymentRepository>(std::move(*s));
}

namespace {

std::string capture_where(const CaptureFilter& f) {
    std::string w = "p.method = 'credit_card' AND p.status = 'authorized'";
    if (f.hold_status != 0) w += " AND o.status_id <> " + std::to_string(f.hold_status);
    if (!f.statuses.empty()) w += " AND o.status_id IN (" + id_list(f.statuses) + ")";
    // CAP-3. Delayed-delivery orders follow delayed_delivery_on_creation whatever available_when
    // says. A flag that is not exactly 0 or 1 is selected, so that the job reports it as bad data.
    const std::string shipped = "o.status_id = " + std::to_string(f.fully_shipped_status);
    const std::string odd = "(typeof(o.is_delayed_delivery) <> 'integer' OR o.is_delayed_delivery NOT IN (0, 1))";
    const std::string regular = f.only_fully_shipped ? shipped : "1";
    const std::string delayed = f.delayed_on_creation ? "1" : shipped;
    w += " AND (" + odd + " OR (o.is_delayed_delivery = 0 AND " + regular + ") OR (o.is_delayed_delivery = 1 AND " +
         delayed + "))";
    return w;
}

}  // namespace

Result<std::vector<OrderId>> SqlitePayments::capture_orders(const CaptureFilter& f, OrderId after, int limit) {
    try {
        SQLite::Statement q(db_.raw(), "SELECT DISTINCT p.order_id FROM payments p JOIN orders o ON o.id = p.order_id "
                                       "WHERE " + capture_where(f) + " AND p.order_id > ? ORDER BY p.order_id LIMIT ?");
        q.bind(1, static_cast<std::int64_t>(after));
        q.bind(2, limit);
        std::vector<OrderId> v;
        while (q.executeStep()) v.push_back(q.getColumn(0).getInt64());
        return v;
    } catch (const std::exception& e) {
        return payments_db_error("cannot read capture candidates", e);
    }
}

Result<std::int64_t> SqlitePayments::capture_count(const CaptureFilter& f) {
    try {
        SQLite::Statement q(db_.raw(), "SELECT count(*) FROM payments p JOIN orders o ON o.id = p.order_id WHERE " +
                                           capture_where(f));
        q.executeStep();
        return q.getColumn(0).getInt64();
    } catch (const std::exception& e) {
        return payments_db_error("cannot count capture candidates", e);
    }
}

Result<std::vector<OrderId>> SqlitePayments::reauth_orders(const ReauthFilter& f, OrderId after, int limit) {
    try {
        // RA-2: not fully captured; a captured or amount value that is not an integer, or captured above the
        // amount, is selected too, so that the job reports it as bad data instead of skipping it silently.
        std::string w =
            "p.method = 'credit_card' AND p.status = 'authorized' AND (p.captured_cents <> p.amount_cents OR "
            "typeof(p.captured_cents) <> 'integer' OR typeof(p.amount_cents) <> 'integer') AND "
            "(p.authorized_at IS NULL OR p.authorized_at <= ? OR length(p.authorized_at) <> 20)";
        if (f.hold_status != 0) w += " AND o.status_id <> " + std::to_string(f.hold_status);
        w += " AND o.status_id IN (" + (f.statuses.empty() ? std::string("-1") : id_list(f.statuses)) + ")";
        SQLite::Statement q(db_.raw(), "SELECT DISTINCT p.order_id FROM payments p JOIN orders o ON o.id = p.order_id "
                                       "WHERE " + w + " AND p.order_id > ? ORDER BY p.order_id LIMIT ?");
        q.bind(1, f.cutoff);
        q.bind(2, static_cast<std::int64_t>(after));
        q.bind(3, limit);
        std::vector<OrderId> v;
        while (q.executeStep()) v.push_back(q.getColumn(0).getInt64());
        return v;
    } catch (const std::exception& e) {
        return payments_db_error("cannot read reauth candidates", e);
    }
}

Result<std::vector<OrderId>> SqlitePayments::club_orders(StatusId club_status, OrderId after, int limit) {
    try {
        auto& q = st_->club;
        q.reset();
        q.bind(1, static_cast<std::int64_t>(club_status));
        q.bind(2, static_cast<std::int64_t>(after));
        q.bind(3, limit);
        std::vector<OrderId> v;
        while (q.executeStep()) v.push_back(q.getColumn(0).getInt64());
        q.reset();
        return v;
    } catch (const std::exception& e) {
        return payments_db_error("cannot read club orders", e);
    }
}

Result<std::optional<PaymentOrder>> SqlitePayments::load_order(OrderId id) {
    try {
        auto& q = st_->order;
        q.reset();
        q.bind(1, static_cast<std::int64_t>(id));
        if (!q.executeStep()) {
            q.reset();
            return std::optional<PaymentOrder>{};
        }
        PaymentOrder o;
        o.id = q.getColumn(0).getInt64();
        o.number = text_or_empty(q.getColumn(1));
        o.status_id = int_or_zero(q.getColumn(2));
        o.grand_total_cents = int_or_zero(q.getColumn(3));
        o.is_delayed_delivery = int_or_zero(q.getColumn(4)) == 1;
        o.is_club = int_or_zero(q.getColumn(5)) == 1;
        o.created_at = text_or_empty(q.getColumn(6));
        o.bad_types = text_or_empty(q.getColumn(7));
        // A flag that is an integer but neither 0 nor 1 is bad data too (database.md: 0/1).
        for (int c : {8, 9}) {
            const std::int64_t f = int_or_zero(q.getColumn(c));
            if (f != 0 && f != 1) o.bad_types += std::string(o.bad_types.empty() ? "" : ",") + (c == 8 ? "is_delayed_delivery" : "is_club");
        }
        q.reset();
        auto& p = st_->payments;
        p.reset();
        p.bind(1, static_cast<std::int64_t>(id));
        while (p.executeStep()) o.payments.push_back(read_payment(p));
        p.reset();
        return std::optional<PaymentOrder>{std::move(o)};
    } catch (const std::exception& e) {
        return payments_db_error("cannot read order " + std::to_string(id), e);
    }
}

Result<OrderId> SqlitePayments::order_of_payment(RowId payment_id) {
    try {
        auto& q = st_->order_of_payment;
        q.reset();
        q.bind(1, static_cast<std::int64_t>(payment_id));
        OrderId o = q.executeStep() ? q.getColumn(0).getInt64() : 0;
        q.reset();
        return o;
    } catch (const std::exception& e) {
        return payments_db_error("cannot read payment " + std::to_string(payment_id), e);
    }
}

Result<std::vector<JournalOp>> SqlitePayments::unresolved(const std::vector<std::string>& purposes) {
    try {
        std::string in;
        for (std::size_t i = 0; i < purposes.size(); ++i) in += (i ? ",?" : "?");
        if (in.empty()) return std::vector<JournalOp>{};
        SQLite::Statement q(db_.raw(), std::string("SELECT ") + kOpColumns +
                                           " FROM gateway_operations WHERE state IN ('pending', 'unknown') AND "
                                           "purpose IN (" + in + ") ORDER BY id");
        for (std::size_t i = 0; i < purposes.size(); ++i) q.bind(static_cast<int>(i + 1), purposes[i]);
        std::vector<JournalOp> v;
        while (q.executeStep()) v.push_back(read_op(q));
        return v;
    } catch (const std::exception& e) {
        return payments_db_error("cannot read the gateway journal", e);
    }
}

Result<std::string> SqlitePayments::key_namespace() {
    if (!ns_.empty()) return ns_;
    try {
        SQLite::Statement q(db_.raw(), "SELECT value FROM gateway_settings WHERE name = 'key_namespace'");
        ns_ = q.executeStep() ? q.getColumn(0).getString() : std::string("0");
        return ns_;
    } catch (const std::exception& e) {
        return payments_db_error("cannot read gateway_settings", e);
    }
}

}  // namespace olmd::store
