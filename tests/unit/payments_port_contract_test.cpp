// The in-memory PaymentRepository (support/memory_payments.hpp) answers as the store's does (SQLite,
// store/payments_*.cpp, or in pg: tests PostgreSQL's, support/pg_mirror.hpp): the same orders and
// payments written into both, then every
// read compared: the CAP-2/CAP-3 and RA-2 selections with their paging and counts, the
// RA-5 club orders, and after the same writes the journal (OPS-6: attempt numbers, keys,
// outcomes that keep an earlier gateway_ref, what is left open) and the payment rows. The
// capture_memory / reauth_memory tests check the rules on the fake; this keeps the fake
// honest to the store.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "olmd/store/catalog.hpp"
#include "support/memory_payments.hpp"
#include "support/payment_spec.hpp"
#include "support/payment_sql.hpp"
#include "support/pg_mirror.hpp"
#include "support/test_db.hpp"

namespace olmd::test {
namespace {

using domain::Operation;
using domain::OpState;

class PaymentPortContract : public ::testing::Test {
protected:
    PaymentPortContract() : mem_repo(mem) {}

    /// Runs body with `sql` the payments of db's backend: db itself, or in pg: tests its PostgreSQL
    /// twin, the rows written so far pushed into it before and its rows pulled back into db after.
    void on_store(const std::function<void()>& body) {
        with_backend(twin, db, [&](store::Backend& b) {
            auto run = b.run_store();
            sql = run->payments().value();
            mem.key_namespace = sql->key_namespace().value();
            body();
            sql.reset();
        });
    }

    StatusId status(const std::string& name) { return db.status_id(name); }

    /// Adds the same order to both stores (the memory one takes the SQLite id).
    OrderId order(const std::string& number, const std::string& st = "Ready to Process", Cents total = 10000,
                  bool is_club = false, bool delayed = false) {
        const OrderId id = db.add_order({.number = number, .status = st, .grand_total_cents = total});
        db.exec("UPDATE orders SET is_club = " + std::to_string(is_club ? 1 : 0) +
                ", is_delayed_delivery = " + std::to_string(delayed ? 1 : 0) + " WHERE id = " + std::to_string(id));
        domain::PaymentOrder o;
        o.id = id;
        o.number = number;
        o.status_id = status(st);
        o.grand_total_cents = total;
        o.is_club = is_club;
        o.is_delayed_delivery = delayed;
        o.created_at = "2026-11-20T10:00:00Z";
        mem.orders.push_back(o);
        mem.next_id = std::max(mem.next_id, id + 1);
        return id;
    }
    /// Adds the same payment to both stores.
    RowId pay(OrderId order_id, const PaymentSpec& p) {
        const RowId id = insert_payment(db, order_id, p);
        mem.order(order_id)->payments.push_back(payment_row(id, order_id, p));
        mem.next_id = std::max(mem.next_id, id + 1);
        return id;
    }

    /// The payments of an order by position (ids differ between the stores: SQLite numbers each
    /// table, the memory store has one sequence), 0 for none.
    static std::map<RowId, int> positions(domain::PaymentRepository& repo, OrderId id) {
        std::map<RowId, int> at;
        auto o = repo.load_order(id);
        if (o.ok() && o->has_value())
            for (const auto& p : (*o)->payments) at.emplace(p.id, static_cast<int>(at.size()) + 1);
        return at;
    }
    /// Every payment row of an order as a store reads it, one line a payment, ids as positions.
    static std::string rows(domain::PaymentRepository& repo, OrderId id) {
        auto o = repo.load_order(id);
        EXPECT_TRUE(o.ok() && o->has_value());
        if (!o.ok() || !o->has_value()) return "";
        auto at = positions(repo, id);
        std::ostringstream s;
        const auto& order = **o;
        s << order.number << " status " << order.status_id << " total " << order.grand_total_cents << " club "
          << order.is_club << " delayed " << order.is_delayed_delivery << "\n";
        for (const auto& p : order.payments)
            s << "#" << at[p.id] << " " << p.method << " " << p.status << " " << p.amount_cents << "/"
              << p.captured_cents << " token=" << p.card_token << " customer=" << p.customer_ref
              << " ref=" << p.gateway_ref << " created=" << p.created_at << " authorized=" << p.authorized_at
              << " avs=" << p.avs_result << " cvv=" << p.cvv_result << " attempts=" << p.reauth_attempts
              << " last=" << p.last_attempt_at << " replaces=#" << (p.replaces_payment_id ? at[p.replaces_payment_id] : 0)
              << " open=" << p.unresolved_op << ":" << p.unresolved_purpose << "\n";
        return s.str();
    }
    /// Journal rows as a store lists them, payments as positions in order `of`, and whether each key is
    /// "olmd-<namespace>-<payment>-<operation>-<attempt>".
    static std::string ops(domain::PaymentRepository& repo, const std::vector<domain::JournalOp>& v, OrderId of) {
        auto at = positions(repo, of);
        const std::string ns = repo.key_namespace().value();
        std::ostringstream s;
        for (const auto& o : v) {
            const std::string key = "olmd-" + ns + "-" + std::to_string(o.payment_id) + "-" +
                                    std::string(domain::to_string(o.operation)) + "-" + std::to_string(o.attempt);
            s << "#" << at[o.payment_id] << " " << domain::to_string(o.operation) << " " << o.purpose << " #"
              << o.attempt << " " << o.amount_cents << " " << (o.idempotency_key == key ? "key ok" : o.idempotency_key)
              << " " << domain::to_string(o.state) << " ref=" << o.gateway_ref << " req=" << o.request_ref
              << " code=" << o.response_code << " run=" << o.run_id << " at=" << o.created_at << "\n";
        }
        return s.str();
    }
    static std::string ids(const Result<std::vector<OrderId>>& r) {
        EXPECT_TRUE(r.ok());
        std::string s;
        if (r.ok())
            for (OrderId id : *r) s += std::to_string(id) + " ";
        return s;
    }

    TestDb db;
    std::unique_ptr<PgMirror> twin;
    std::unique_ptr<domain::PaymentRepository> sql;
    MemoryPaymentsData mem;
    MemoryPayments mem_repo;
};

TEST_F(PaymentPortContract, CAP2_CAP3_RA2_RA5_SelectionsAgreeWithTheStore) {
    const auto a = order("A");
    pay(a, {.ref = "r_a", .authorized_at = "2026-11-15T09:00:00Z"});
    pay(a, {.ref = "r_a2"});
    const auto held = order("H", "On Hold");
    pay(held, {.ref = "r_h", .authorized_at = "2026-11-10T00:00:00Z"});
    const auto shipped = order("S", "Shipped");
    pay(shipped, {.ref = "r_s", .authorized_at = "2026-11-16T12:00:00Z"});
    const auto delayed = order("D", "Ready to Process", 10000, false, true);
    pay(delayed, {.ref = "r_d"});
    const auto delayed_shipped = order("DS", "Shipped", 10000, false, true);
    pay(delayed_shipped, {.ref = "r_ds", .authorized_at = "2026-11-16T12:00:01Z"});
    const auto full = order("F");
    pay(full, {.captured = 10000, .ref = "r_f", .authorized_at = "2026-11-01T00:00:00Z"});
    const auto no_auth_at = order("N");
    pay(no_auth_at, {.ref = "r_n", .authorized_at = ""});
    const auto cheque = order("C");
    pay(cheque, {.method = "check", .status = "pending", .token = "", .ref = ""});
    const auto club = order("CL", "Club CC Exception", 5000, true);
    pay(club, {.status = "declined", .amount = 5000, .ref = "", .authorized_at = ""});
    order("CL2", "Club CC Exception", 5000, false);
    const auto club3 = order("CL3", "Club CC Exception", 5000, true);

    on_store([&] {
        const StatusId rtp = status("Ready to Process"), hold = status("On Hold"), shipped_id = status("Shipped");
        std::vector<domain::CaptureFilter> captures;
        captures.push_back({{rtp}, hold, false, shipped_id, false});
        captures.push_back({{}, hold, false, shipped_id, false});
        captures.push_back({{}, 0, false, shipped_id, false});
        captures.push_back({{}, hold, true, shipped_id, false});
        captures.push_back({{}, hold, true, shipped_id, true});
        captures.push_back({{rtp, shipped_id}, hold, false, shipped_id, true});
        for (std::size_t i = 0; i < captures.size(); ++i) {
            SCOPED_TRACE("capture filter " + std::to_string(i));
            EXPECT_EQ(ids(mem_repo.capture_orders(captures[i], 0, 100)), ids(sql->capture_orders(captures[i], 0, 100)));
            EXPECT_EQ(ids(mem_repo.capture_orders(captures[i], a, 2)), ids(sql->capture_orders(captures[i], a, 2)));
            EXPECT_EQ(mem_repo.capture_count(captures[i]).value(), sql->capture_count(captures[i]).value());
        }
        EXPECT_EQ(ids(sql->capture_orders(captures[1], 0, 100)),
                  std::to_string(a) + " " + std::to_string(shipped) + " " + std::to_string(delayed_shipped) + " " +
                      std::to_string(full) + " " + std::to_string(no_auth_at) + " ")
            << "the comparison above compares something";

        for (const char* cutoff : {"2026-11-16T12:00:00Z", "2026-11-20T10:00:05Z", "2026-11-01T00:00:00Z"}) {
            for (const auto& statuses : {std::vector<StatusId>{rtp}, std::vector<StatusId>{rtp, shipped_id, hold}}) {
                for (StatusId h : {hold, StatusId{0}}) {
                    SCOPED_TRACE(std::string("cutoff ") + cutoff + " statuses " + std::to_string(statuses.size()) +
                                 " hold " + std::to_string(h));
                    const domain::ReauthFilter f{statuses, h, cutoff};
                    EXPECT_EQ(ids(mem_repo.reauth_orders(f, 0, 100)), ids(sql->reauth_orders(f, 0, 100)));
                    EXPECT_EQ(ids(mem_repo.reauth_orders(f, a, 1)), ids(sql->reauth_orders(f, a, 1)));
                }
            }
        }
        const StatusId club_status = status("Club CC Exception");
        EXPECT_EQ(ids(mem_repo.club_orders(club_status, 0, 100)), ids(sql->club_orders(club_status, 0, 100)));
        EXPECT_EQ(ids(sql->club_orders(club_status, 0, 100)), std::to_string(club) + " " + std::to_string(club3) + " ");
        EXPECT_EQ(ids(mem_repo.club_orders(club_status, club, 100)), ids(sql->club_orders(club_status, club, 100)));
        for (OrderId id : {a, held, cheque, club}) EXPECT_EQ(rows(mem_repo, id), rows(*sql, id));
        EXPECT_FALSE(mem_repo.load_order(999999).value().has_value());
        EXPECT_FALSE(sql->load_order(999999).value().has_value());
    });
}

TEST_F(PaymentPortContract, OPS6_JournalAndPaymentWritesAgreeWithTheStore) {
    const auto o = order("A");
    const auto p = pay(o, {.ref = "r_a", .customer_ref = "cus_1"});
    const auto q = pay(o, {.status = "declined", .amount = 5000, .token = "tok_club", .ref = "", .authorized_at = ""});
    const Instant now = kPayNow;
    auto run_row = [&] {
        db.exec("INSERT INTO automation_runs (fire_at, started_at, jobs, outcome, \"trigger\", host) VALUES "
                "('2026-11-22T12:00:00Z', '2026-11-22T12:00:00Z', 'capture', 'running', 'manual', 'test')");
        return static_cast<RunId>(db.db().raw().getLastInsertRowid());
    };
    const RunId r1 = run_row(), r2 = run_row();
    on_store([&] {
        for (domain::PaymentRepository* repo : {static_cast<domain::PaymentRepository*>(&mem_repo), sql.get()}) {
            SCOPED_TRACE(repo == sql.get() ? "store" : "memory");
            auto c1 = repo->journal(p, Operation::capture, "capture", 10000, "r_a", r1, now);
            ASSERT_TRUE(c1.ok()) << c1.error().message;
            ASSERT_TRUE(repo->complete(c1->id, OpState::unknown, "", "timeout", now).ok());
            auto c2 = repo->journal(p, Operation::capture, "capture", 10000, "r_a", r2, now + std::chrono::minutes(30));
            ASSERT_TRUE(c2.ok());
            EXPECT_EQ(c2->attempt, 2);
            ASSERT_TRUE(repo->complete(c2->id, OpState::declined, "", "card_declined", now).ok());
            auto v = repo->journal(p, Operation::void_auth, "capture_void", 10000, "r_a", r2, now);
            ASSERT_TRUE(v.ok());
            EXPECT_EQ(v->attempt, 1);
            ASSERT_TRUE(repo->complete(v->id, OpState::succeeded, "", "approved", now).ok());
            ASSERT_TRUE(repo->set_status(p, "voided").ok());
            auto loaded = repo->load_order(o);
            ASSERT_TRUE(loaded.ok() && loaded->has_value());
            domain::PaymentOrder before = **loaded;
            ASSERT_NE(before.payment(p), nullptr);
            auto n = repo->insert_replacement(*before.payment(p), 10000, now);
            ASSERT_TRUE(n.ok());
            auto au = repo->journal(*n, Operation::authorize, "cap6_authorize", 10000, "", r2, now);
            ASSERT_TRUE(au.ok());
            ASSERT_TRUE(repo->complete(au->id, OpState::succeeded, "auth_new", "approved", now).ok());
            ASSERT_TRUE(repo->mark_authorized(*n, "auth_new", now, "match", "").ok());
            auto cap = repo->journal(*n, Operation::capture, "cap6_capture", 10000, "auth_new", r2, now);
            ASSERT_TRUE(cap.ok());
            ASSERT_TRUE(repo->mark_captured(*n, 10000, now, "", "mismatch").ok());
            ASSERT_TRUE(repo->count_club_attempt(q, now).ok());
            auto club = repo->journal(q, Operation::authorize, "ra5_authorize", 5000, "", r2, now);
            ASSERT_TRUE(club.ok());
            EXPECT_EQ(repo->order_of_payment(*n).value(), o);
            EXPECT_EQ(repo->order_of_payment(999999).value(), 0);
        }
        EXPECT_EQ(rows(mem_repo, o), rows(*sql, o));
        const std::vector<std::string> purposes = {"capture", "cap6_capture", "ra5_authorize"};
        EXPECT_EQ(ops(mem_repo, mem_repo.unresolved(purposes).value(), o), ops(*sql, sql->unresolved(purposes).value(), o));
        EXPECT_EQ(mem_repo.unresolved(purposes).value().size(), 3u)
            << "the unknown capture, the cap6 capture and the club authorization";
        EXPECT_EQ(ops(mem_repo, mem_repo.unresolved({"capture_void"}).value(), o),
                  ops(*sql, sql->unresolved({"capture_void"}).value(), o));
        const std::string open_sql = ops(*sql, sql->unresolved(purposes).value(), o);
        std::size_t keys_ok = 0;
        for (auto at = open_sql.find("key ok"); at != std::string::npos; at = open_sql.find("key ok", at + 1)) ++keys_ok;
        EXPECT_EQ(keys_ok, 3u) << open_sql;
    });
    // The journal rows themselves, as the store wrote them (pulled back into db on PostgreSQL).
    std::string stored;
    for (const auto& j : mem.journal)
        stored += std::string(domain::to_string(j.op.state)) + " " + j.op.gateway_ref + " " + j.op.response_code +
                  " " + j.completed_at + "\n";
    EXPECT_EQ(stored, db.text("SELECT group_concat(state || ' ' || coalesce(gateway_ref, '') || ' ' || "
                              "coalesce(response_code, '') || ' ' || coalesce(completed_at, ''), char(10)) || "
                              "char(10) FROM (SELECT * FROM gateway_operations ORDER BY id)"));
    EXPECT_EQ(mem.captured_at.size(), 1u);
    EXPECT_EQ(mem.captured_at.begin()->second,
              db.text("SELECT captured_at FROM payments WHERE captured_at IS NOT NULL"));
}

}  // namespace
}  // namespace olmd::test
