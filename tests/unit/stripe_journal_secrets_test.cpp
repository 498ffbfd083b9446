// The Stripe gateway with the journal: a key Stripe has forgotten is resolved by a lookup,
// never replayed, and an unreachable gateway defers every payment; and the secret key never
// in logs, errors, explain or the run summary (OPS-5, OPS-8).

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <chrono>

#include "olmd/store/payments.hpp"
#include "support/process.hpp"
#include "gateway/stripe.hpp"
#include "payments_test_util.hpp"
#include "support/test_clock.hpp"
#include "unit/gateway_request.hpp"

namespace olmd::test {
namespace {

using namespace std::chrono_literals;
using domain::Operation;
using domain::Outcome;

// --- the journal with an expired key: looked up, not replayed --------------------------------------

class StripeJournal : public PaymentsFixture {};

TEST_P(StripeJournal, StripeExpiredKey_ResolvedByLookupNotReplay) {
    cfg.capture.enabled = true;
    cfg.reauth.enabled = true;
    cfg.reauth.statuses = {"Ready to Process"};
    // A capture journaled two days ago, applied at the gateway, outcome never written.
    server->add_intent("pi_old", 10000, "succeeded");
    const auto o = order("A-1");
    const auto p = pay(o, {.ref = "pi_old"});
    // A club authorization journaled two days ago that never reached the gateway.
    const auto c = order("C-1", 5000, "Club CC Exception", "is_club = 1");
    const auto pc = pay(c, {.status = "declined", .amount = 5000, .ref = "", .created_at = "2026-11-10T00:00:00Z",
                            .authorized_at = "", .customer_ref = "cus_c1"});
    const Instant then = kPayNow - std::chrono::hours(48);
    auto run_id = *store::RunRepository(t.db()).open(then, then, "capture", store::Trigger::manual, "test");
    auto store = store::open_payments(t.db()).value();
    ASSERT_TRUE(store->journal(p, Operation::capture, "capture", 10000, "pi_old", run_id, then).ok());
    ASSERT_TRUE(store->journal(pc, Operation::authorize, "club_authorize", 5000, "", run_id, then).ok());

    run(JobKind::capture);
    EXPECT_EQ(pay_text(p, "status"), "captured");
    EXPECT_EQ(server->captures("pi_old"), 0) << "looked up, not captured again";
    for (const auto& line : server->request_log()) EXPECT_EQ(line.find("POST"), std::string::npos) << line;

    run(JobKind::reauth);
    EXPECT_EQ(t.text("SELECT response_code FROM gateway_operations WHERE payment_id = " + std::to_string(pc) +
                     " ORDER BY id LIMIT 1"),
              "not_applied");
    EXPECT_EQ(ops("payment_id = " + std::to_string(pc)), 2) << "a new attempt, with a new key";
    EXPECT_EQ(pay_text(pc, "status"), "authorized");
    EXPECT_EQ(order_status(c), "Ready to Process");
}

TEST_P(StripeJournal, StripeUnreachableGateway_DefersEveryPaymentAndFailsTheJob) {
    cfg.gateway.url = "http://127.0.0.1:1";
    const auto o = order("A-1");
    const auto p = pay(o, {.ref = "pi_1"});
    auto st = run(JobKind::capture);
    EXPECT_NE(st.failure.find("unreachable"), std::string::npos) << st.failure;
    EXPECT_EQ(st.deferred, 1);
    EXPECT_EQ(pay_text(p, "status"), "authorized");
    EXPECT_EQ(t.text("SELECT state FROM gateway_operations"), "unknown");
    EXPECT_EQ(order_status(o), "Ready to Process");
}

INSTANTIATE_TEST_SUITE_P(Stripe, StripeJournal, ::testing::Values(Backend::stripe), backend_name);

// --- secrets (OPS-5, OPS-8) --------------------------------------------------------------------------

TEST(StripeSecrets, StripeSecretKeyNeverInLogsErrorsExplainOrSummary) {
    StripeServerOptions o;
    o.autocreate = true;
    o.api_key = "sk_test_SECRET_never_printed_9876";
    StripeTestServer server(o);
    TempDir dir;
    const std::string db = dir.file("olmd.db"), conf = dir.file("olmd.toml"), key = dir.file("stripe.key");
    write_file(key, o.api_key + "\n");
    ::chmod(key.c_str(), 0600);
    write_file(conf, "[daemon]\ndatabase = \"" + db + "\"\ntimezone = \"UTC\"\nlog_level = \"debug\"\n"
                     "[capture]\nenabled = true\nstatuses = [\"Ready to Process\"]\nreauthorize_on_failure = true\n"
                     "[gateway]\nkind = \"stripe\"\nurl = \"" + server.url() + "\"\napi_key_file = \"" + key + "\"\n"
                     "max_retries = 0\n");
    auto init = run_olmd({"--config", conf, "init-db"});
    ASSERT_EQ(init.exit_code, 0) << init.err;
    auto sql = run_process("/usr/bin/sqlite3", {db,
        "INSERT INTO orders (order_number, channel_id, status_id, created_at, grand_total_cents, updated_at) "
        "SELECT 'S-' || n, 1, (SELECT id FROM order_statuses WHERE name = 'Ready to Process'), "
        "'2026-11-20T00:00:00Z', 1000, '2026-11-20T00:00:00Z' FROM (SELECT 1 AS n UNION SELECT 2 UNION SELECT 3);"
        "INSERT INTO payments (order_id, method, status, amount_cents, card_token, gateway_ref, created_at, authorized_at) "
        "VALUES (1, 'credit_card', 'authorized', 1000, 'tok_a', 'sbx_ok_1', '2026-11-20T00:00:00Z', '2026-11-20T00:00:00Z'),"
        "(2, 'credit_card', 'authorized', 1000, 'decline_b', 'fail_capture_2', '2026-11-20T00:00:00Z', '2026-11-20T00:00:00Z'),"
        "(3, 'credit_card', 'authorized', 1000, 'tok_timeout', 'sbx_timeout_3', '2026-11-20T00:00:00Z', '2026-11-20T00:00:00Z');"});
    ASSERT_EQ(sql.exit_code, 0) << sql.err;
    std::string all;
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"--config", conf, "run-once", "--jobs", "capture", "--now", "2026-11-22T12:00:00Z", "--dry-run"},
             {"--config", conf, "run-once", "--jobs", "capture", "--now", "2026-11-22T12:00:00Z"},
             {"--config", conf, "explain", "S-3", "--now", "2026-11-22T12:00:00Z"},
             {"--config", conf, "status"},
             {"--config", conf, "check-config"}}) {
        auto r = run_olmd(args);
        all += r.out + r.err;
    }
    // A wrong key at the server: the refusal is reported without the key.
    write_file(key, "sk_test_OTHER_secret_5555\n");
    auto r = run_olmd({"--config", conf, "run-once", "--jobs", "capture", "--now", "2026-11-22T13:00:00Z"});
    all += r.out + r.err;
    EXPECT_NE(all.find("capture"), std::string::npos);
    EXPECT_EQ(all.find("SECRET_never_printed"), std::string::npos) << all;
    EXPECT_EQ(all.find("OTHER_secret"), std::string::npos) << all;
    auto dump = run_process("/usr/bin/sqlite3", {db, ".dump"});
    EXPECT_EQ(dump.out.find("SECRET_never_printed"), std::string::npos);
    EXPECT_EQ(dump.out.find("OTHER_secret"), std::string::npos);
}

}  // namespace
}  // namespace olmd::test
