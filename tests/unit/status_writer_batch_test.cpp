// SqliteStatusWriter::apply_all, the set-based write of a batch's transitions
// (UPDATE ... FROM (VALUES ...) RETURNING, then one history INSERT ... SELECT),
// against apply() one order at a time on an identical database: the same
// outcomes, the same orders rows and the same history rows, over several chunk
// sizes, with concurrent, unchanged and bad-data transitions mixed in. StatusWriterPort does the same
// through the RunStore port on both backends (pg: prefix, support/pg_mirror.hpp), without the bad
// data PostgreSQL's types and foreign keys refuse.

#include <gtest/gtest.h>

#include <sstream>

#include "olmd/store/status_writer.hpp"
#include "support/pg_mirror.hpp"
#include "support/test_db.hpp"

namespace olmd::test {
namespace {

using domain::Transition;
using domain::TransitionOutcome;

constexpr const char* kNow = "2026-11-22T12:00:00Z";

struct Fixture {
    TestDb t;
    RunId run = 0;
    StatusId rtp = 0, rts = 0, manual = 0;

    /// n orders in Ready to Process; order 3 then moved by "the back office", order 4 holds a
    /// status_id that names no status, order 5 a non-integer status_id.
    explicit Fixture(int n) {
        t.exec("INSERT INTO automation_runs (fire_at, started_at, jobs, outcome, \"trigger\", host) VALUES "
               "('2026-11-22T12:00:00Z', '2026-11-22T12:00:00Z', 'fraud', 'running', 'manual', 'test')");
        run = t.scalar("SELECT max(id) FROM automation_runs");
        rtp = t.status_id("Ready to Process");
        rts = t.status_id("Ready to Source");
        manual = t.status_id("On Hold");
        for (int i = 1; i <= n; ++i) t.add_order({.number = "N" + std::to_string(i)});
        t.exec("UPDATE orders SET status_id = " + std::to_string(manual) + " WHERE id = 3");
        t.allow_bad_rows();
        t.exec("PRAGMA foreign_keys = OFF");
        t.exec("UPDATE orders SET status_id = 99 WHERE id = 4");
        t.exec("UPDATE orders SET status_id = 'abc' WHERE id = 5");
        t.exec("PRAGMA foreign_keys = ON");
    }

    /// The transitions a job would request, read before order 3 moved: every order to
    /// Ready to Source, order 2 to its own status (unchanged), odd orders with a reason that varies.
    std::vector<Transition> requests(int n) const {
        std::vector<Transition> ts;
        for (int i = 1; i <= n; ++i) {
            Transition tr{i, rtp, i == 2 ? rtp : rts, "fraud_passed:" + std::to_string(i % 3), "N" + std::to_string(i)};
            if (i == 4) tr.from = 99;
            if (i == 5) {
                tr.from = 0;
                tr.from_not_integer = true;
            }
            ts.push_back(tr);
        }
        return ts;
    }

    store::SqliteStatusWriter writer(bool dry_run = false, std::ostream* out = nullptr) {
        return store::SqliteStatusWriter(t.db(), JobKind::fraud, run, *parse_utc(kNow), dry_run, out,
                                         [](StatusId id) { return "status " + std::to_string(id); });
    }

    /// Every orders status and every history row, as text.
    std::string rows() {
        return t.text("SELECT group_concat(id || ':' || status_id || ':' || updated_at, ' ') FROM "
                      "(SELECT * FROM orders ORDER BY id)") +
               " | " +
               t.text("SELECT group_concat(order_id || ':' || from_status_id || '>' || to_status_id || ':' || job || "
                      "':' || run_id || ':' || reason || ':' || changed_at, ' ') FROM "
                      "(SELECT * FROM order_status_history ORDER BY id)");
    }
};

std::vector<TransitionOutcome> one_by_one(store::SqliteStatusWriter& w, const std::vector<Transition>& ts) {
    std::vector<TransitionOutcome> out;
    for (const auto& t : ts) {
        auto o = w.apply(t);
        EXPECT_TRUE(o) << o.error().message;
        out.push_back(o ? *o : TransitionOutcome::unchanged);
    }
    return out;
}

TEST(StatusWriterBatch, SetBasedWriteEqualsApplyOneByOneOverSeveralChunks) {
    for (int n : {5, 37, 600}) {  // chunks 4+1; 32+4+1; 512+64+16+8
        SCOPED_TRACE("orders " + std::to_string(n));
        Fixture set(n), single(n);
        const auto ts = set.requests(n);

        auto ws = set.writer();
        ASSERT_TRUE(ws.begin_batch());
        auto got = ws.apply_all(ts);
        ASSERT_TRUE(got) << got.error().message;
        ASSERT_TRUE(ws.commit_batch());

        auto w1 = single.writer();
        ASSERT_TRUE(w1.begin_batch());
        const auto expected = one_by_one(w1, ts);
        ASSERT_TRUE(w1.commit_batch());

        EXPECT_EQ(*got, expected);
        EXPECT_EQ(set.rows(), single.rows());
        EXPECT_EQ((*got)[0], TransitionOutcome::changed);
        EXPECT_EQ((*got)[1], TransitionOutcome::unchanged);
        EXPECT_EQ((*got)[2], TransitionOutcome::concurrent);  // the back office moved it
        EXPECT_EQ((*got)[3], TransitionOutcome::changed);     // from an unknown status: noted in the reason
        EXPECT_EQ((*got)[4], TransitionOutcome::changed);     // from a non-integer status_id
        EXPECT_EQ(set.t.text("SELECT reason FROM order_status_history WHERE order_id = 4"),
                  "fraud_passed:1 (from status_id 99, which names no status)");
        EXPECT_EQ(set.t.text("SELECT reason FROM order_status_history WHERE order_id = 5"),
                  "fraud_passed:2 (from a status_id that is not an integer)");
        EXPECT_EQ(set.t.scalar("SELECT count(*) FROM order_status_history"), n - 2);
    }
}

TEST(StatusWriterBatch, AnOrderTwiceInABatchIsWrittenInRequestOrder) {
    Fixture set(6), single(6);
    auto ts = set.requests(6);
    ts.push_back(Transition{1, set.rts, set.manual, "second move", "N1"});  // from the status the first set

    auto ws = set.writer();
    ASSERT_TRUE(ws.begin_batch());
    auto got = ws.apply_all(ts);
    ASSERT_TRUE(got) << got.error().message;
    ASSERT_TRUE(ws.commit_batch());
    auto w1 = single.writer();
    ASSERT_TRUE(w1.begin_batch());
    const auto expected = one_by_one(w1, ts);
    ASSERT_TRUE(w1.commit_batch());

    EXPECT_EQ(*got, expected);
    EXPECT_EQ(got->back(), TransitionOutcome::changed);
    EXPECT_EQ(set.rows(), single.rows());
}

TEST(StatusWriterBatch, DryRunPrintsEachTransitionAndWritesNothing) {
    Fixture f(6);
    const std::string before = f.rows();
    std::ostringstream out, expected_out;
    auto w = f.writer(true, &out);
    ASSERT_TRUE(w.begin_batch());
    auto got = w.apply_all(f.requests(6));
    ASSERT_TRUE(got);
    ASSERT_TRUE(w.commit_batch());
    EXPECT_EQ(f.rows(), before);

    auto w1 = f.writer(true, &expected_out);
    const auto expected = one_by_one(w1, f.requests(6));
    EXPECT_EQ(*got, expected);
    EXPECT_EQ(out.str(), expected_out.str());
    EXPECT_NE(out.str().find("would change order N1: status " + std::to_string(f.rtp) + " -> status " +
                             std::to_string(f.rts) + " (fraud: fraud_passed:1)"),
              std::string::npos)
        << out.str();
}

/// The fixture's orders through the RunStore port: with_backend writes them on SQLite or on the twin.
struct PortFixture {
    explicit PortFixture(int n) : f(n) {
        // What PostgreSQL can hold: orders 4 and 5 back in Ready to Process.
        f.t.exec("UPDATE orders SET status_id = " + std::to_string(f.rtp) + " WHERE id IN (4, 5)");
    }
    std::vector<Transition> requests(int n) const {
        auto ts = f.requests(n);
        for (auto& tr : ts) {
            tr.from = f.rtp;
            tr.from_not_integer = false;
        }
        ts.push_back(Transition{1, f.rts, f.manual, "second move", "N1"});  // an order twice in a batch
        return ts;
    }
    /// Writes ts through the port's status writer, set-based (apply_all) or one by one (apply).
    std::vector<TransitionOutcome> write(const std::vector<Transition>& ts, bool set_based) {
        std::vector<TransitionOutcome> out;
        with_backend(twin, f.t, [&](store::Backend& b) {
            auto run = b.run_store();
            domain::WriterOptions o;
            o.job = JobKind::fraud;
            o.run = f.run;
            o.now = *parse_utc(kNow);
            auto w = run->status_writer(o);
            ASSERT_TRUE(w.ok()) << w.error().message;
            ASSERT_TRUE((*w)->begin_batch());
            if (set_based) {
                auto got = (*w)->apply_all(ts);
                ASSERT_TRUE(got) << got.error().message;
                out = *got;
            } else {
                for (const auto& t : ts) {
                    auto one = (*w)->apply(t);
                    ASSERT_TRUE(one) << one.error().message;
                    out.push_back(*one);
                }
            }
            ASSERT_TRUE((*w)->commit_batch());
        });
        return out;
    }
    Fixture f;
    std::unique_ptr<PgMirror> twin;
};

TEST(StatusWriterPort, SetBasedWriteEqualsApplyOneByOne) {
    for (int n : {5, 37, 600}) {
        SCOPED_TRACE("orders " + std::to_string(n));
        PortFixture set(n), single(n);
        const auto ts = set.requests(n);
        const auto got = set.write(ts, true);
        const auto expected = single.write(ts, false);
        ASSERT_EQ(got.size(), ts.size());
        EXPECT_EQ(got, expected);
        EXPECT_EQ(set.f.rows(), single.f.rows());
        EXPECT_EQ(got[0], TransitionOutcome::changed);
        EXPECT_EQ(got[1], TransitionOutcome::unchanged);
        EXPECT_EQ(got[2], TransitionOutcome::concurrent);  // the back office moved it
        EXPECT_EQ(got.back(), TransitionOutcome::changed);  // order 1's second move, from the first's status
        EXPECT_EQ(set.f.t.scalar("SELECT count(*) FROM order_status_history"), n - 2 + 1);
        EXPECT_EQ(set.f.t.status_id("On Hold"), set.f.t.scalar("SELECT status_id FROM orders WHERE id = 1"));
    }
}

}  // namespace
}  // namespace olmd::test
