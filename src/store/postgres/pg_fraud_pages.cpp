// The fraud job's eligible orders on PostgreSQL (FR-1): one query per page, keyset-paged by id, each
// status read through orders_status (status_id, id) with its own LIMIT, the shipping method's name and
// the live card payments' AVS/CVV flags joined in. On PostgreSQL the columns are typed and the foreign
// keys hold, so the bad-data types of the SQLite reader cannot occur; the payment values are still
// checked the same way.
#include <algorithm>

#include "store/postgres/pg_impl.hpp"
#include "store/postgres/pg_ports.hpp"

namespace olmd::store {

namespace {

constexpr const char* kColumns =
    "o.id, o.order_number, o.status_id, o.channel_id, o.shipping_method_id, sm.name, o.grand_total_cents, "
    "o.ip_address, o.bill_first_name, o.bill_last_name, o.bill_address1, o.bill_city, o.bill_state, o.bill_zip, "
    "o.bill_country, o.bill_email, o.ship_first_name, o.ship_last_name, o.ship_address1, o.ship_city, "
    "o.ship_state, o.ship_zip, o.ship_country, o.ship_email, coalesce(p.live, false), coalesce(p.avs, false), "
    "coalesce(p.cvv, false), p.bad_id, p.bad_column ";

// Live card payments (rules.md): credit_card authorized or captured; the lowest-id payment whose value is
// not one the contract knows (the CHECKs make that impossible unless they were dropped) is named.
constexpr const char* kJoins =
    "LEFT JOIN shipping_methods sm ON sm.id = o.shipping_method_id "
    "LEFT JOIN LATERAL (SELECT bool_or(method = 'credit_card' AND status IN ('authorized', 'captured')) AS live, "
    "bool_or(method = 'credit_card' AND status IN ('authorized', 'captured') AND "
    "lower(trim(avs_result)) = 'mismatch') AS avs, "
    "bool_or(method = 'credit_card' AND status IN ('authorized', 'captured') AND "
    "lower(trim(cvv_result)) = 'mismatch') AS cvv, "
    "min(id) FILTER (WHERE bad IS NOT NULL) AS bad_id, (array_agg(bad ORDER BY id) FILTER (WHERE bad IS NOT NULL))[1] "
    "AS bad_column FROM (SELECT id, method, status, avs_result, cvv_result, CASE "
    "WHEN method NOT IN ('credit_card', 'gift_certificate', 'customer_credit', 'paypal', 'check', 'cash', 'cod') "
    "THEN 'method' WHEN status NOT IN ('authorized', 'captured', 'voided', 'declined', 'settled', 'pending') "
    "THEN 'status' WHEN coalesce(lower(trim(avs_result)), '') NOT IN ('', 'match', 'mismatch', 'unavailable') "
    "THEN 'avs_result' WHEN coalesce(lower(trim(cvv_result)), '') NOT IN ('', 'match', 'mismatch', 'unavailable') "
    "THEN 'cvv_result' END AS bad FROM payments WHERE order_id = o.id) pay) p ON true ";

constexpr const char* kPageSql =
    "olmd_fraud_page";  // $1 statuses, $2 channels ('{}' = any), $3 after id, $4 limit

std::string page_sql() {
    return std::string("SELECT ") + kColumns +
           "FROM (SELECT e.id FROM unnest($1::bigint[]) AS s(st) CROSS JOIN LATERAL (SELECT id FROM orders "
           "WHERE status_id = s.st AND (cardinality($2::bigint[]) = 0 OR channel_id = ANY($2::bigint[])) "
           "AND id > $3 ORDER BY id LIMIT $4) e ORDER BY e.id LIMIT $4) ids JOIN orders o ON o.id = ids.id " +
           kJoins + "ORDER BY o.id";
}


domain::FraudOrder order_row(const pqxx::row& r) {
    domain::FraudOrder o;
    o.id = r[0].as<OrderId>();
    o.number = pg_text(r[1]);
    o.status_id = r[2].as<StatusId>();
    o.channel_id = r[3].as<RowId>();
    if (!r[4].is_null()) {
        o.shipping_method_id = r[4].as<RowId>();
        if (!r[5].is_null()) o.shipping_method_name = r[5].as<std::string>();
    }
    if (!r[6].is_null()) o.grand_total_cents = r[6].as<Cents>();
    o.ip_address = pg_text(r[7]);
    int i = 8;
    for (domain::Address* a : {&o.bill, &o.ship})
        for (std::string* f : {&a->first_name, &a->last_name, &a->address1, &a->city, &a->state, &a->zip,
                               &a->country, &a->email})
            *f = pg_text(r[i++]);
    o.has_live_card_payment = r[24].as<bool>();
    o.avs_mismatch = r[25].as<bool>();
    o.cvv_mismatch = r[26].as<bool>();
    if (!r[27].is_null()) {
        o.bad_payment_id = r[27].as<RowId>();
        o.bad_payment_column = pg_text(r[28]);
    }
    return o;
}

class PgFraudPages final : public domain::FraudOrderPages {
public:
    PgFraudPages(PgDatabase& db, const domain::FraudOrderFilter& f)
        : db_(db), statuses_(pg_id_array(f.statuses)), channels_(pg_id_array(f.channels)), none_(f.statuses.empty()) {}

    Result<std::vector<domain::FraudOrder>> page(RowId after_id, int limit) override {
        std::vector<domain::FraudOrder> out;
        if (none_ || limit <= 0) return out;
        try {
            prepare();
            in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
                const pqxx::result r = t.exec_prepared(kPageSql, statuses_, channels_, after_id, limit);
                out.reserve(r.size());
                for (const auto& row : r) out.push_back(order_row(row));
            });
            return out;
        } catch (const std::exception& e) {
            return pg_error(db_, "cannot read orders for the fraud job", e);
        }
    }

    Result<std::int64_t> count() override {
        if (none_) return std::int64_t{0};
        try {
            return in_transaction(db_.impl(), [&](pqxx::transaction_base& t) {
                return t
                    .exec_params1("SELECT count(*) FROM orders WHERE status_id = ANY($1::bigint[]) AND "
                                  "(cardinality($2::bigint[]) = 0 OR channel_id = ANY($2::bigint[]))",
                                  statuses_, channels_)[0]
                    .as<std::int64_t>();
            });
        } catch (const std::exception& e) {
            return pg_error(db_, "cannot count orders for the fraud job", e);
        }
    }

private:
    void prepare() {
        if (prepared_) return;
        try {
            db_.impl().conn.prepare(kPageSql, page_sql());
        } catch (const pqxx::argument_error&) {
            // Already prepared on this connection by an earlier reader: the same text.
        }
        prepared_ = true;
    }

    PgDatabase& db_;
    std::string statuses_, channels_;
    bool none_;
    bool prepared_ = false;
};

}  // namespace

std::unique_ptr<domain::FraudOrderPages> make_pg_fraud_pages(PgDatabase& db, const domain::FraudOrderFilter& filter) {
    return std::make_unique<PgFraudPages>(db, filter);
}

Result<std::optional<domain::FraudOrder>> read_pg_fraud_order(PgDatabase& db, OrderId id) {
    try {
        return in_transaction(db.impl(), [&](pqxx::transaction_base& t) {
            const pqxx::result r = t.exec_params(
                std::string("SELECT ") + kColumns + "FROM orders o " + kJoins + "WHERE o.id = $1", id);
            if (r.empty()) return std::optional<domain::FraudOrder>{};
            return std::optional<domain::FraudOrder>{order_row(r[0])};
        });
    } catch (const std::exception& e) {
        return pg_error(db, "cannot read order " + std::to_string(id), e);
    }
}

}  // namespace olmd::store
