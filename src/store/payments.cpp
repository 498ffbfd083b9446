#include "olmd/store/payments.hpp"

#include "store/sqlite_payments.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>

namespace olmd::store {

namespace {

std::string id_list(const std::vector<StatusId>& ids) {
    std::string s;
    for (StatusId id : ids) {
        if (!s.empty()) s += ",";
        s += std::to_string(id);
    }
    return s;
}

std::string text_or_empty(const SQLite::Column& c) { return c.isNull() ? std::string() : c.getString(); }

Error db_error(const std::string& what, const std::exception& e) {
    return Error{what + ": " + e.what(), exit_code::failure};
}

}  // namespace

namespace {

OpState op_state_from(const std::string& s) {
    if (s == "succeeded") return OpState::succeeded;
    if (s == "declined") return OpState::declined;
    if (s == "unknown") return OpState::unknown;
    return OpState::pending;
}

constexpr const char* kPaymentColumns =
    "p.id, p.order_id, p.method, p.status, p.amount_cents, p.captured_cents, p.card_token, p.customer_ref, "
    "p.gateway_ref, p.created_at, p.authorized_at, p.avs_result, p.cvv_result, p.reauth_attempts, "
    "p.last_attempt_at, p.replaces_payment_id, "
    "(SELECT g.purpose FROM gateway_operations g WHERE g.payment_id = p.id AND g.state IN ('pending', 'unknown') "
    "ORDER BY g.id LIMIT 1), "
    "rtrim(iif(typeof(p.amount_cents) = 'integer', '', 'amount_cents,') || "
    "iif(typeof(p.captured_cents) = 'integer', '', 'captured_cents,') || "
    "iif(typeof(p.reauth_attempts) = 'integer', '', 'reauth_attempts,') || "
    "iif(typeof(p.order_id) = 'integer', '', 'order_id,') || "
    "iif(p.replaces_payment_id IS NULL OR typeof(p.replaces_payment_id) = 'integer', '', 'replaces_payment_id,'), ',')";

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

struct SqlitePayments::Statements {
    explicit Statements(SQLite::Database& db)
        : order(db,
                "SELECT id, order_number, status_id, grand_total_cents, is_delayed_delivery, is_club, created_at, "
                "rtrim(iif(typeof(grand_total_cents) = 'integer', '', 'grand_total_cents,') || "
                "iif(typeof(status_id) = 'integer', '', 'status_id,') || "
                "iif(typeof(is_delayed_delivery) = 'integer', '', 'is_delayed_delivery,') || "
                "iif(typeof(is_club) = 'integer', '', 'is_club,'), ','), "
                "is_delayed_delivery, is_club "
                "FROM orders WHERE id = ?"),
          payments(db, std::string("SELECT ") + kPaymentColumns + " FROM payments p WHERE p.order_id = ? ORDER BY p.id"),
          order_of_payment(db, "SELECT order_id FROM payments WHERE id = ?"),
          club(db,
               "SELECT id FROM orders WHERE is_club = 1 AND status_id = ? AND id > ? ORDER BY id LIMIT ?"),
          next_attempt(db,
                       "SELECT coalesce(max(attempt), 0) + 1 FROM gateway_operations WHERE payment_id = ? AND "
                       "operation = ?"),
          insert_op(db,
                    "INSERT INTO gateway_operations (payment_id, operation, amount_cents, idempotency_key, state, "
                    "gateway_ref, response_code, run_id, created_at, completed_at, purpose, attempt, request_ref) "
                    "VALUES (?, ?, ?, ?, 'pending', nullif(?, ''), NULL, ?, ?, NULL, ?, ?, nullif(?, ''))"),
          complete(db,
                   "UPDATE gateway_operations SET state = ?, gateway_ref = coalesce(nullif(?, ''), gateway_ref), "
                   "response_code = coalesce(nullif(?, ''), response_code), completed_at = ? WHERE id = ?"),
          captured(db,
                   "UPDATE payments SET status = 'captured', captured_cents = ?, captured_at = ?, "
                   "avs_result = coalesce(nullif(?, ''), avs_result), cvv_result = coalesce(nullif(?, ''), cvv_result) "
                   "WHERE id = ?"),
          set_status(db, "UPDATE payments SET status = ? WHERE id = ?"),
          authorized(db,
                     "UPDATE payments SET status = 'authorized', gateway_ref = ?, authorized_at = ?, "
                     "avs_result = coalesce(nullif(?, ''), avs_result), cvv_result = coalesce(nullif(?, ''), "
                     "cvv_result) WHERE id = ?"),
          club_attempt(db,
                       "UPDATE payments SET reauth_attempts = reauth_attempts + 1, last_attempt_at = ? WHERE id = ?"),
          replacement(db,
                      "INSERT INTO payments (order_id, method, status, amount_cents, captured_cents, card_token, "
                      "customer_ref, created_at, replaces_payment_id) VALUES (?, 'credit_card', 'pending', ?, 0, "
                      "nullif(?, ''), nullif(?, ''), ?, ?)") {}
    SQLite::Statement order, payments, order_of_payment, club, next_attempt, insert_op, complete, captured,
        set_status, authorized, club_attempt, replacement;
};

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
        return db_error("cannot read capture candidates", e);
    }
}

Result<std::int64_t> SqlitePayments::capture_count(const CaptureFilter& f) {
    try {
        SQLite::Statement q(db_.raw(), "SELECT count(*) FROM payments p JOIN orders o ON o.id = p.order_id WHERE " +
                                           capture_where(f));
        q.executeStep();
        return q.getColumn(0).getInt64();
    } catch (const std::exception& e) {
        return db_error("cannot count capture candidates", e);
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
        return db_error("cannot read reauth candidates", e);
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
        return db_error("cannot read club orders", e);
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
        return db_error("cannot read order " + std::to_string(id), e);
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
        return db_error("cannot read payment " + std::to_string(payment_id), e);
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
        return db_error("cannot read the gateway journal", e);
    }
}

Result<std::string> SqlitePayments::key_namespace() {
    if (!ns_.empty()) return ns_;
    try {
        SQLite::Statement q(db_.raw(), "SELECT value FROM gateway_settings WHERE name = 'key_namespace'");
        ns_ = q.executeStep() ? q.getColumn(0).getString() : std::string("0");
        return ns_;
    } catch (const std::exception& e) {
        return db_error("cannot read gateway_settings", e);
    }
}

Result<JournalOp> SqlitePayments::journal(RowId payment_id, Operation op, const std::string& purpose,
                                        Cents amount, const std::string& request_ref, RunId run, Instant now) {
    auto ns = key_namespace();
    if (!ns) return ns.error();
    try {
        const std::string op_text(domain::to_string(op));
        auto& n = st_->next_attempt;
        n.reset();
        n.bind(1, static_cast<std::int64_t>(payment_id));
        n.bind(2, op_text);
        n.executeStep();
        const int attempt = n.getColumn(0).getInt();
        n.reset();
        JournalOp o;
        o.payment_id = payment_id;
        o.operation = op;
        o.purpose = purpose;
        o.attempt = attempt;
        o.amount_cents = amount;
        o.idempotency_key = "olmd-" + *ns + "-" + std::to_string(payment_id) + "-" + op_text + "-" + std::to_string(attempt);
        o.state = OpState::pending;
        o.request_ref = request_ref;
        o.gateway_ref = request_ref;
        o.run_id = run;
        o.created_at = format_utc(now);
        auto& q = st_->insert_op;
        q.reset();
        q.bind(1, static_cast<std::int64_t>(payment_id));
        q.bind(2, op_text);
        q.bind(3, static_cast<std::int64_t>(amount));
        q.bind(4, o.idempotency_key);
        q.bind(5, o.gateway_ref);
        q.bind(6, static_cast<std::int64_t>(run));
        q.bind(7, o.created_at);
        q.bind(8, purpose);
        q.bind(9, attempt);
        q.bind(10, request_ref);
        q.exec();
        o.id = db_.raw().getLastInsertRowid();
        return o;
    } catch (const std::exception& e) {
        return db_error("cannot journal a gateway operation for payment " + std::to_string(payment_id), e);
    }
}

namespace {

template <class... A>
Status run_update(SQLite::Statement& q, const std::string& what, A&&... args) {
    try {
        q.reset();
        int i = 0;
        (q.bind(++i, std::forward<A>(args)), ...);
        q.exec();
        return ok_status();
    } catch (const std::exception& e) {
        return Error{what + ": " + e.what()};
    }
}

}  // namespace

Status SqlitePayments::complete(RowId op_id, OpState state, const std::string& gateway_ref,
                              const std::string& response_code, Instant now) {
    try {
        auto& q = st_->complete;
        q.reset();
        q.bind(1, std::string(to_string(state)));
        q.bind(2, gateway_ref);
        q.bind(3, response_code);
        if (state == OpState::unknown || state == OpState::pending)
            q.bind(4);
        else
            q.bind(4, format_utc(now));
        q.bind(5, static_cast<std::int64_t>(op_id));
        q.exec();
        return ok_status();
    } catch (const std::exception& e) {
        return Error{"cannot record a gateway outcome: " + std::string(e.what())};
    }
}

Status SqlitePayments::mark_captured(RowId payment_id, Cents captured_cents, Instant now, const std::string& avs,
                                   const std::string& cvv) {
    return run_update(st_->captured, "cannot mark payment " + std::to_string(payment_id) + " captured",
                      static_cast<std::int64_t>(captured_cents), format_utc(now), avs, cvv,
                      static_cast<std::int64_t>(payment_id));
}

Status SqlitePayments::set_status(RowId payment_id, const std::string& status) {
    return run_update(st_->set_status, "cannot update payment " + std::to_string(payment_id), status,
                      static_cast<std::int64_t>(payment_id));
}

Status SqlitePayments::mark_authorized(RowId payment_id, const std::string& gateway_ref, Instant now,
                                     const std::string& avs, const std::string& cvv) {
    return run_update(st_->authorized, "cannot mark payment " + std::to_string(payment_id) + " authorized",
                      gateway_ref, format_utc(now), avs, cvv, static_cast<std::int64_t>(payment_id));
}

Status SqlitePayments::count_club_attempt(RowId payment_id, Instant now) {
    return run_update(st_->club_attempt, "cannot update payment " + std::to_string(payment_id), format_utc(now),
                      static_cast<std::int64_t>(payment_id));
}

Result<RowId> SqlitePayments::insert_replacement(const PaymentRow& old, Cents amount, Instant now) {
    try {
        auto& q = st_->replacement;
        q.reset();
        q.bind(1, static_cast<std::int64_t>(old.order_id));
        q.bind(2, static_cast<std::int64_t>(amount));
        q.bind(3, old.card_token);
        q.bind(4, old.customer_ref);
        q.bind(5, format_utc(now));
        q.bind(6, static_cast<std::int64_t>(old.id));
        q.exec();
        return static_cast<RowId>(db_.raw().getLastInsertRowid());
    } catch (const std::exception& e) {
        return db_error("cannot insert the payment replacing " + std::to_string(old.id), e);
    }
}

}  // namespace olmd::store
