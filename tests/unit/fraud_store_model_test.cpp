// The fraud reader against a model: random orders and payments, bad data of
// every storage type included, read by store::FraudOrderReader (pages, dense and
// sparse) and by read_fraud_order, and by the reference below: the rules.md
// definitions written as one SQL statement per order (the reader's earlier
// form, a correlated payment aggregate and LEFT JOINs). Every field must agree.

#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <random>
#include <sstream>

#include "olmd/store/fraud_orders.hpp"
#include "support/test_db.hpp"

namespace olmd::test {
namespace {

#define REF_PAY_BAD                                                                                        \
    "CASE WHEN typeof(p.method) <> 'text' OR p.method NOT IN ('credit_card', 'gift_certificate', "          \
    "'customer_credit', 'paypal', 'check', 'cash', 'cod') THEN 'method' "                                   \
    "WHEN typeof(p.status) <> 'text' OR p.status NOT IN ('authorized', 'captured', 'voided', 'declined', "  \
    "'settled', 'pending') THEN 'status' "                                                                  \
    "WHEN lower(trim(coalesce(p.avs_result, ''))) NOT IN ('', 'match', 'mismatch', 'unavailable') "         \
    "THEN 'avs_result' "                                                                                    \
    "WHEN lower(trim(coalesce(p.cvv_result, ''))) NOT IN ('', 'match', 'mismatch', 'unavailable') "         \
    "THEN 'cvv_result' END"
#define REF_LIVE "(p.method = 'credit_card' AND p.status IN ('authorized', 'captured'))"

/// One order as the reference reads it, printed field by field.
constexpr const char* kReference =
    "SELECT o.id, coalesce(o.order_number, ''), iif(typeof(o.status_id) = 'integer', o.status_id, 0), "
    "iif(typeof(o.channel_id) = 'integer', o.channel_id, 0), "
    "CASE WHEN o.shipping_method_id IS NULL THEN '-' WHEN typeof(o.shipping_method_id) = 'integer' "
    "THEN o.shipping_method_id ELSE 0 END, coalesce(sm.name, '-'), "
    "iif(typeof(o.grand_total_cents) = 'integer', o.grand_total_cents, '-'), coalesce(o.ip_address, ''), "
    "coalesce(o.bill_first_name, '') || '|' || coalesce(o.bill_last_name, '') || '|' || "
    "coalesce(o.bill_address1, '') || '|' || coalesce(o.bill_city, '') || '|' || coalesce(o.bill_state, '') || '|' "
    "|| coalesce(o.bill_zip, '') || '|' || coalesce(o.bill_country, '') || '|' || coalesce(o.bill_email, ''), "
    "coalesce(o.ship_first_name, '') || '|' || coalesce(o.ship_last_name, '') || '|' || "
    "coalesce(o.ship_address1, '') || '|' || coalesce(o.ship_city, '') || '|' || coalesce(o.ship_state, '') || '|' "
    "|| coalesce(o.ship_zip, '') || '|' || coalesce(o.ship_country, '') || '|' || coalesce(o.ship_email, ''), "
    "(SELECT (coalesce(max(" REF_LIVE "), 0) "
    "      + 2 * coalesce(max(" REF_LIVE " AND lower(trim(p.avs_result)) = 'mismatch'), 0) "
    "      + 4 * coalesce(max(" REF_LIVE " AND lower(trim(p.cvv_result)) = 'mismatch'), 0)) "
    "      || coalesce(':' || min(printf('%019d:', p.id) || " REF_PAY_BAD "), '') "
    "   FROM payments p WHERE p.order_id = o.id), "
    "rtrim(iif(typeof(o.status_id) = 'integer', '', 'status_id,') || "
    "iif(typeof(o.channel_id) = 'integer', '', 'channel_id,') || "
    "iif(o.shipping_method_id IS NULL OR typeof(o.shipping_method_id) = 'integer', '', 'shipping_method_id,') || "
    "iif(typeof(o.grand_total_cents) = 'integer', '', 'grand_total_cents,'), ','), "
    "st.id IS NOT NULL, ch.id IS NOT NULL "
    "FROM orders o LEFT JOIN shipping_methods sm ON sm.id = o.shipping_method_id "
    "LEFT JOIN order_statuses st ON st.id = o.status_id LEFT JOIN channels ch ON ch.id = o.channel_id "
    "WHERE o.id = ?";

std::string reference(TestDb& t, OrderId id) {
    SQLite::Database db(t.path(), SQLite::OPEN_READONLY);
    SQLite::Statement q(db, kReference);
    q.bind(1, static_cast<std::int64_t>(id));
    if (!q.executeStep()) return "none";
    std::ostringstream s;
    for (int i = 0; i < 14; ++i) {
        if (i == 10) {  // "<flags>[:<19-digit id>:<column>]" as live / avs / cvv / bad id / column
            const std::string pay = q.getColumn(i).getString();
            const long flags = pay.empty() ? 0 : std::stol(pay);
            s << (flags & 1) << (flags & 2 ? 1 : 0) << (flags & 4 ? 1 : 0) << ";";
            const auto at = pay.find(':');
            s << (at == std::string::npos ? std::string("0;") : std::to_string(std::stoll(pay.substr(at + 1, 19))) +
                                                                    ";" + pay.substr(at + 21))
              << ";";
            continue;
        }
        s << q.getColumn(i).getString() << ";";
    }
    return s.str();
}

std::string join(const domain::Address& a) {
    return a.first_name + "|" + a.last_name + "|" + a.address1 + "|" + a.city + "|" + a.state + "|" + a.zip + "|" +
           a.country + "|" + a.email;
}

std::string print(const domain::FraudOrder& o) {
    std::ostringstream s;
    s << o.id << ";" << o.number << ";" << o.status_id << ";" << o.channel_id << ";"
      << (o.shipping_method_id ? std::to_string(*o.shipping_method_id) : "-") << ";"
      << o.shipping_method_name.value_or("-") << ";"
      << (o.grand_total_cents ? std::to_string(*o.grand_total_cents) : "-") << ";" << o.ip_address << ";"
      << join(o.bill) << ";" << join(o.ship) << ";" << o.has_live_card_payment << o.avs_mismatch << o.cvv_mismatch
      << ";" << o.bad_payment_id << ";" << o.bad_payment_column << ";" << o.bad_types << ";" << o.status_known
      << ";" << o.channel_known << ";";
    return s.str();
}

template <class T>
const T& pick(std::mt19937& rng, const std::vector<T>& v) {
    return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
}

/// Orders 1..n, a tenth in "Ready to Source" (the sparse selection), with bad values of every storage type.
void plant(TestDb& t, std::mt19937& rng, int n) {
    t.allow_bad_rows();
    t.exec("PRAGMA foreign_keys = OFF");
    t.exec("INSERT INTO shipping_methods (id, name) VALUES (1, 'Ground'), (2, 'Next Day Air')");
    const std::string rtp = std::to_string(t.status_id("Ready to Process"));
    const std::string rts = std::to_string(t.status_id("Ready to Source"));
    const std::vector<std::string> statuses{rtp, rtp, rtp, rtp, rtp, rtp, rtp, rtp, "99", "'x'", "6.5"};
    const std::vector<std::string> channels{"1", "1", "2", "99", "'web'"};
    const std::vector<std::string> methods_of_order{"NULL", "1", "2", "77", "'fast'"};
    const std::vector<std::string> totals{"100", "50000", "70000", "'lots'", "12.5", "x'01'"};
    const std::vector<std::string> texts{"NULL", "''", "'Ann'", "' WA '", "'216.160.83.56'", "5", "x'4142'"};
    const std::vector<std::string> pay_methods{"'credit_card'", "'credit_card'", "'paypal'", "'check'", "'bitcoin'",
                                               "x'6372656469745f63617264'", "5", "'Credit_Card'"};
    const std::vector<std::string> pay_statuses{"'authorized'", "'captured'", "'declined'", "'voided'", "'settled'",
                                                "'Authorized'", "'weird'", "x'6361707475726564'"};
    const std::vector<std::string> results{"NULL", "''", "'match'", "'mismatch'", "' Mismatch '", "'MISMATCH'",
                                           "'unknown'", "x'6d69736d61746368'", "7", "'mis match'", "'\tmismatch'"};
    std::string sql = "BEGIN;";
    for (int id = 1; id <= n; ++id) {
        const std::string status = id % 10 == 0 ? rts : pick(rng, statuses);
        sql += "INSERT INTO orders (id, order_number, status_id, channel_id, shipping_method_id, grand_total_cents, "
               "ip_address, bill_first_name, bill_state, bill_zip, ship_city, ship_email, created_at, updated_at) VALUES (" +
               std::to_string(id) + ", 'N" + std::to_string(id) + "', " + status + ", " + pick(rng, channels) + ", " +
               pick(rng, methods_of_order) + ", " + pick(rng, totals) + ", " + pick(rng, texts) + ", " +
               pick(rng, texts) + ", " + pick(rng, texts) + ", " + pick(rng, texts) + ", " + pick(rng, texts) + ", " +
               pick(rng, texts) + ", '2026-11-20T10:00:00Z', '2026-11-20T10:00:00Z');";
    }
    // Payment ids out of order-id order, a few past the last order or of a non-integer order_id.
    std::vector<int> ids;
    for (int i = 1; i <= 2 * n; ++i) ids.push_back(i);
    std::shuffle(ids.begin(), ids.end(), rng);
    for (int pid : ids) {
        const int roll = std::uniform_int_distribution<int>(0, 99)(rng);
        const std::string order = roll < 2 ? "'x7'" : roll < 4 ? std::to_string(n + 5)
                                                                : std::to_string(1 + pid % n);
        sql += "INSERT INTO payments (id, order_id, method, status, amount_cents, created_at, avs_result, "
               "cvv_result) VALUES (" + std::to_string(pid) + ", " + order + ", " + pick(rng, pay_methods) + ", " +
               pick(rng, pay_statuses) + ", 100, '2026-11-20T10:00:00Z', " + pick(rng, results) + ", " +
               pick(rng, results) + ");";
    }
    t.exec(sql + "COMMIT;");
}

std::vector<domain::FraudOrder> read_all(store::FraudOrderReader& r, int limit) {
    std::vector<domain::FraudOrder> out;
    RowId after = 0;
    while (true) {
        auto page = r.page(after, limit);
        EXPECT_TRUE(page) << page.error().message;
        if (!page || page->empty()) return out;
        for (auto& o : *page) {
            EXPECT_GT(o.id, after) << "pages are in id order";
            after = o.id;
            out.push_back(std::move(o));
        }
    }
}

TEST(FraudStoreModel, FR10_FR11_PagesAndSingleReadsAgreeWithTheReferenceOnRandomBadData) {
    for (unsigned seed : {1u, 2u, 3u}) {
        SCOPED_TRACE("seed " + std::to_string(seed));
        std::mt19937 rng(seed);
        TestDb t;
        constexpr int n = 300;
        plant(t, rng, n);
        // Every order through the single read.
        for (OrderId id = 1; id <= n; ++id) {
            auto one = store::read_fraud_order(t.db(), id);
            ASSERT_TRUE(one) << one.error().message;
            ASSERT_TRUE(*one);
            EXPECT_EQ(print(**one), reference(t, id));
        }
        // Dense pages (most orders) and sparse ones (a tenth), at several page sizes.
        const std::vector<std::vector<std::string>> selections{
            {"Ready to Process"}, {"Ready to Source"}, {"Ready to Source", "Ready to Process"}};
        for (const auto& names : selections) {
            domain::FraudOrderFilter f;
            std::string in;
            for (const auto& name : names) {
                f.statuses.push_back(t.status_id(name));
                in += (in.empty() ? "" : ",") + std::to_string(f.statuses.back());
            }
            auto r = store::FraudOrderReader::open(t.db(), f);
            ASSERT_TRUE(r) << r.error().message;
            for (int limit : {1, 7, 500}) {
                const auto all = read_all(**r, limit);
                ASSERT_FALSE(all.empty());
                const auto expected = t.scalar("SELECT count(*) FROM orders WHERE status_id IN (" + in + ")");
                EXPECT_EQ(static_cast<std::int64_t>(all.size()), expected);
                for (const auto& o : all) EXPECT_EQ(print(o), reference(t, o.id)) << "limit " << limit;
            }
        }
    }
}

}  // namespace
}  // namespace olmd::test
