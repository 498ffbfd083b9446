// The fraud job's page query. Per page, one statement: the eligible ids come
// from the orders_status (status_id, id) index, one LIMITed range per status
// merged by id (so a page never sorts more than statuses x limit ids), joined
// to the order, its shipping method, status and channel (LEFT JOINs: a missing
// row is bad data), and one correlated aggregate over its payments
// (payments_order index) that yields the three payment flags, each over live
// card payments only (credit_card, authorized or captured: rules.md), and the
// first payment with a bad column. Integer columns are read with typeof().
#include "olmd/store/fraud_orders.hpp"
#include "store/sql_text.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>

namespace olmd::store {

namespace {

// Columns shared by the page query and the read-one query, in FraudOrder order. The payment
// aggregate yields "<flags>" or "<flags>:<payment id, 19 digits>:<column>" for the lowest-id
// payment with a bad column (rules.md "bad data": an enumerated value outside its list).
#define OLMD_PAY_BAD                                                                                       \
    "CASE WHEN typeof(p.method) <> 'text' OR p.method NOT IN ('credit_card', 'gift_certificate', "          \
    "'customer_credit', 'paypal', 'check', 'cash', 'cod') THEN 'method' "                                   \
    "WHEN typeof(p.status) <> 'text' OR p.status NOT IN ('authorized', 'captured', 'voided', 'declined', "  \
    "'settled', 'pending') THEN 'status' "                                                                  \
    "WHEN lower(trim(coalesce(p.avs_result, ''))) NOT IN ('', 'match', 'mismatch', 'unavailable') "         \
    "THEN 'avs_result' "                                                                                    \
    "WHEN lower(trim(coalesce(p.cvv_result, ''))) NOT IN ('', 'match', 'mismatch', 'unavailable') "         \
    "THEN 'cvv_result' END"
#define OLMD_LIVE "(p.method = 'credit_card' AND p.status IN ('authorized', 'captured'))"
constexpr const char* kColumns =
    "o.id, o.order_number, o.status_id, o.channel_id, o.shipping_method_id, sm.name, o.grand_total_cents, "
    "o.ip_address, "
    "o.bill_first_name, o.bill_last_name, o.bill_address1, o.bill_city, o.bill_state, o.bill_zip, "
    "o.bill_country, o.bill_email, "
    "o.ship_first_name, o.ship_last_name, o.ship_address1, o.ship_city, o.ship_state, o.ship_zip, "
    "o.ship_country, o.ship_email, "
    "(SELECT (coalesce(max(" OLMD_LIVE "), 0) "
    "      + 2 * coalesce(max(" OLMD_LIVE " AND lower(trim(p.avs_result)) = 'mismatch'), 0) "
    "      + 4 * coalesce(max(" OLMD_LIVE " AND lower(trim(p.cvv_result)) = 'mismatch'), 0)) "
    "      || coalesce(':' || min(printf('%019d:', p.id) || " OLMD_PAY_BAD "), '') "
    "   FROM payments p WHERE p.order_id = o.id), "
    "rtrim(iif(typeof(o.status_id) = 'integer', '', 'status_id,') || "
    "iif(typeof(o.channel_id) = 'integer', '', 'channel_id,') || "
    "iif(o.shipping_method_id IS NULL OR typeof(o.shipping_method_id) = 'integer', '', 'shipping_method_id,') || "
    "iif(typeof(o.grand_total_cents) = 'integer', '', 'grand_total_cents,'), ','), "
    "st.id IS NOT NULL, ch.id IS NOT NULL ";

// LEFT JOINs: an id that names no row is bad data, never a row left out (foreign keys may be off).
constexpr const char* kJoins =
    "LEFT JOIN shipping_methods sm ON sm.id = o.shipping_method_id "
    "LEFT JOIN order_statuses st ON st.id = o.status_id LEFT JOIN channels ch ON ch.id = o.channel_id ";

/// The eligible-id subquery: one index range per status, each LIMIT ?2, merged.
std::string eligible_ids(const domain::FraudOrderFilter& f) {
    const std::string channel =
        f.channels.empty() ? std::string() : " AND channel_id IN (" + id_list(f.channels) + ")";
    std::string s;
    for (StatusId st : f.statuses) {
        if (!s.empty()) s += " UNION ALL ";
        s += "SELECT id FROM (SELECT id FROM orders WHERE status_id = " + std::to_string(st) + channel +
             " AND id > ?1 ORDER BY id LIMIT ?2)";
    }
    return s;
}

std::string text(const SQLite::Column& c) { return c.isNull() ? std::string() : std::string(c.getText()); }

/// An integer column read without coercion: another storage type reads 0 (and is reported in bad_types).
std::int64_t int_or_zero(const SQLite::Column& c) { return c.isInteger() ? c.getInt64() : 0; }

domain::FraudOrder row(SQLite::Statement& q) {
    domain::FraudOrder o;
    int i = 0;
    o.id = q.getColumn(i++).getInt64();
    o.number = text(q.getColumn(i++));
    o.status_id = int_or_zero(q.getColumn(i++));  // a non-integer is in bad_types
    o.channel_id = int_or_zero(q.getColumn(i++));
    if (auto c = q.getColumn(i++); !c.isNull()) o.shipping_method_id = int_or_zero(c);
    if (auto c = q.getColumn(i++); !c.isNull()) o.shipping_method_name = std::string(c.getText());
    if (auto c = q.getColumn(i++); !c.isNull() && c.isInteger()) o.grand_total_cents = c.getInt64();
    o.ip_address = text(q.getColumn(i++));
    for (domain::Address* a : {&o.bill, &o.ship}) {
        a->first_name = text(q.getColumn(i++));
        a->last_name = text(q.getColumn(i++));
        a->address1 = text(q.getColumn(i++));
        a->city = text(q.getColumn(i++));
        a->state = text(q.getColumn(i++));
        a->zip = text(q.getColumn(i++));
        a->country = text(q.getColumn(i++));
        a->email = text(q.getColumn(i++));
    }
    const std::string pay = text(q.getColumn(i++));
    const std::int64_t flags = pay.empty() ? 0 : std::stoll(pay);
    o.has_live_card_payment = (flags & 1) != 0;
    o.avs_mismatch = (flags & 2) != 0;
    o.cvv_mismatch = (flags & 4) != 0;
    if (const auto at = pay.find(':'); at != std::string::npos && pay.size() > at + 21) {
        o.bad_payment_id = std::stoll(pay.substr(at + 1, 19));
        o.bad_payment_column = pay.substr(at + 21);
    }
    o.bad_types = text(q.getColumn(i++));
    o.status_known = q.getColumn(i++).getInt() != 0;
    o.channel_known = q.getColumn(i++).getInt() != 0;
    return o;
}

}  // namespace

struct FraudOrderReader::Impl {
    domain::FraudOrderFilter filter;
    std::unique_ptr<SQLite::Statement> page;   ///< null when no status can be selected
    std::unique_ptr<SQLite::Statement> count;
};

FraudOrderReader::FraudOrderReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FraudOrderReader::~FraudOrderReader() = default;

Result<std::unique_ptr<FraudOrderReader>> FraudOrderReader::open(Database& db, domain::FraudOrderFilter filter) {
    auto impl = std::make_unique<Impl>();
    impl->filter = std::move(filter);
    try {
        if (!impl->filter.statuses.empty()) {
            const std::string ids = eligible_ids(impl->filter);
            impl->page = std::make_unique<SQLite::Statement>(
                db.raw(), std::string("SELECT ") + kColumns + "FROM (" + ids + ") e JOIN orders o ON o.id = e.id " +
                              kJoins + "ORDER BY e.id LIMIT ?2");
            std::string where = "status_id IN (" + id_list(impl->filter.statuses) + ")";
            if (!impl->filter.channels.empty()) where += " AND channel_id IN (" + id_list(impl->filter.channels) + ")";
            impl->count = std::make_unique<SQLite::Statement>(db.raw(), "SELECT count(*) FROM orders WHERE " + where);
        }
    } catch (const std::exception& e) {
        return Error{std::string("cannot prepare the fraud job's order query: ") + e.what(), exit_code::database};
    }
    return std::unique_ptr<FraudOrderReader>(new FraudOrderReader(std::move(impl)));
}

Result<std::vector<domain::FraudOrder>> FraudOrderReader::page(RowId after_id, int limit) {
    std::vector<domain::FraudOrder> out;
    if (!impl_->page) return out;
    SQLite::Statement& q = *impl_->page;
    try {
        q.reset();
        q.bind(1, static_cast<std::int64_t>(after_id));
        q.bind(2, limit);
        out.reserve(static_cast<std::size_t>(limit > 0 ? limit : 0));
        while (q.executeStep()) out.push_back(row(q));
        q.reset();  // ends the statement's read transaction before the batch writes
    } catch (const std::exception& e) {
        try {
            q.reset();
        } catch (...) {
        }
        return Error{std::string("cannot read orders for the fraud job: ") + e.what(), exit_code::database};
    }
    return out;
}

Result<std::int64_t> FraudOrderReader::count() {
    if (!impl_->count) return std::int64_t{0};
    SQLite::Statement& q = *impl_->count;
    try {
        q.reset();
        std::int64_t n = q.executeStep() ? q.getColumn(0).getInt64() : 0;
        q.reset();
        return n;
    } catch (const std::exception& e) {
        return Error{std::string("cannot count orders for the fraud job: ") + e.what(), exit_code::database};
    }
}

Result<std::optional<domain::FraudOrder>> read_fraud_order(Database& db, OrderId id) {
    try {
        SQLite::Statement q(db.raw(), std::string("SELECT ") + kColumns + "FROM orders o " + kJoins + "WHERE o.id = ?");
        q.bind(1, static_cast<std::int64_t>(id));
        if (!q.executeStep()) return std::optional<domain::FraudOrder>{};
        return std::optional<domain::FraudOrder>{row(q)};
    } catch (const std::exception& e) {
        return Error{std::string("cannot read order ") + std::to_string(id) + ": " + e.what(), exit_code::database};
    }
}

}  // namespace olmd::store
