// SRC-12 ready-to-ship authorization: the difference between what is ready to
// ship and what the payments cover is authorized on the most recent card
// before an order goes in shipping; a decline (or no card) undoes the order's
// sourcing. Journaled before it is sent (OPS-6), never authorized twice.
#include "support/scripted_gateway.hpp"
#include "unit/sourcing_fixture.hpp"

namespace olmd::test {
namespace {

class SourcingRts : public SourcingWorld {
protected:
    void SetUp() override {
        cfg.sourcing.ready_to_ship_auth.enabled = true;
        w = warehouse("East", 0);
        p = sku("P");
        stock(w, p, 10);
    }
    /// An order of 2 × P at 10.00 and nothing else (ready = 20.00 once sourced).
    std::int64_t make(const std::string& number, std::int64_t grand_total = 2000) {
        SrcOrder o;
        o.number = number;
        o.grand_total_cents = grand_total;
        const auto id = order(o);
        line(id, p, 2, 1000);
        return id;
    }
    std::int64_t w = 0, p = 0;
};

TEST_F(SourcingRts, SRC12_NoAuthorizationWhenPaymentsCoverWhatIsReady) {
    const auto paid = make("PAID");
    payment(paid, "credit_card", "captured", 1200, 1200, "tok_visa_1");
    payment(paid, "paypal", "settled", 800);
    const auto held = make("HELD");
    payment(held, "credit_card", "authorized", 2000, 0, "tok_visa_2");
    run();
    EXPECT_EQ(status(paid), "In Shipping");
    EXPECT_EQ(status(held), "In Shipping");
    EXPECT_EQ(count("gateway_operations"), 0);
    EXPECT_EQ(count("payments"), 3);
}

TEST_F(SourcingRts, SRC12_AuthorizesTheDifferenceOnTheMostRecentCard) {
    const auto o = make("O");
    payment(o, "credit_card", "captured", 300, 300, "tok_old");
    payment(o, "credit_card", "authorized", 500, 0, "tok_visa_recent");  // open auth 500
    auto st = run();
    EXPECT_EQ(status(o), "In Shipping");
    EXPECT_EQ(st.changed, 1);
    EXPECT_EQ(st.selected, 1);
    // ready 2000 − (paid 300 + open 500) = 1200
    EXPECT_EQ(db.text("SELECT status || ' ' || amount_cents || ' ' || card_token FROM payments WHERE id = "
                      "(SELECT max(id) FROM payments)"),
              "authorized 1200 tok_visa_recent");
    EXPECT_EQ(db.text("SELECT operation || ' ' || purpose || ' ' || state || ' ' || amount_cents FROM "
                      "gateway_operations"),
              "authorize rts_authorize succeeded 1200");
    EXPECT_EQ(db.scalar("SELECT run_id FROM gateway_operations"), run_id);
    EXPECT_EQ(count("allocations WHERE kind = 'assigned'"), 1);
    EXPECT_EQ(available(w, p), 8);
}

TEST_F(SourcingRts, SRC12_DeclineUndoesTheOrdersSourcing) {
    const auto o = make("O");
    payment(o, "credit_card", "authorized", 500, 0, "tok_ok");
    payment(o, "credit_card", "authorized", 100, 0, "decline_insufficient_funds");
    const auto ok = make("OK");
    payment(ok, "credit_card", "captured", 2000, 2000, "tok_ok");
    auto st = run();
    EXPECT_EQ(status(o), "CC Exceptions");
    EXPECT_EQ(reason(o), "rts_auth_declined");
    EXPECT_EQ(count("allocations a JOIN order_items i ON i.id = a.order_item_id WHERE i.order_id = " +
                    std::to_string(o)),
              0);
    EXPECT_EQ(count("shipments WHERE order_id = " + std::to_string(o)), 0);
    EXPECT_EQ(db.text("SELECT status FROM payments WHERE id = (SELECT max(id) FROM payments)"), "declined");
    EXPECT_EQ(db.text("SELECT state FROM gateway_operations"), "declined");
    EXPECT_EQ(status(ok), "In Shipping");
    EXPECT_EQ(available(w, p), 8);  // only OK's units
    EXPECT_EQ(st.changed, 2);
}

TEST_F(SourcingRts, SRC12_TaxAndShippingGoWithTheFirstShipment) {
    const auto o = make("O", 2650);  // 20.00 of goods + 6.50 of tax and shipping
    payment(o, "credit_card", "authorized", 2000, 0, "tok_visa");
    run();
    EXPECT_EQ(status(o), "In Shipping");
    EXPECT_EQ(db.scalar("SELECT amount_cents FROM payments WHERE id = (SELECT max(id) FROM payments)"), 650)
        << "the charges beyond the lines are authorized with the first shipment";
}

TEST_F(SourcingRts, SRC12_AKitPricedOnItsKitLineIsNotFree) {
    const auto o = make("O", 20000);
    db.exec("DELETE FROM order_items WHERE order_id = " + std::to_string(o));
    const auto k = sku("KIT", "kit");
    const auto kl = line(o, k, 1, 20000);
    line(o, p, 2, 0, kl);
    run();
    EXPECT_EQ(status(o), "CC Exceptions") << "no card: the $200 kit is not shipped unpaid";
    EXPECT_EQ(reason(o), "rts_auth_declined");
    EXPECT_EQ(count("shipments"), 0);
}

TEST_F(SourcingRts, SRC12_AnExpiredHoldCoversNothing) {
    const auto o = make("O");
    db.exec("INSERT INTO payments (order_id, method, status, amount_cents, captured_cents, card_token, created_at, "
            "authorized_at) VALUES (" + std::to_string(o) +
            ", 'credit_card', 'authorized', 2000, 0, 'tok_visa', '2026-11-01T10:00:00Z', '2026-11-01T10:00:00Z')");
    run();  // now is 2026-11-22: the 21-day-old hold is past authorization_valid_days (7)
    EXPECT_EQ(db.scalar("SELECT amount_cents FROM payments WHERE id = (SELECT max(id) FROM payments)"), 2000);
    EXPECT_EQ(db.text("SELECT purpose FROM gateway_operations"), "rts_authorize");
}

TEST_F(SourcingRts, SRC12_MoneyCapturedForAShipmentThatLeftDoesNotCoverALaterOne) {
    stock(w, p, 1);
    const auto o = make("O");
    payment(o, "credit_card", "authorized", 1000, 0, "tok_visa");
    run();  // one unit ships now (covered by the 10.00 hold), one is backordered
    EXPECT_EQ(count("gateway_operations"), 0);
    db.exec("UPDATE shipments SET status = 'Shipped'");
    db.exec("UPDATE payments SET status = 'captured', captured_cents = 1000 WHERE order_id = " + std::to_string(o));
    db.exec("UPDATE inventory SET on_hand = 1, allocated = 0");  // the first unit left; one more arrives
    run("2026-11-22T12:30:00Z");
    EXPECT_EQ(db.text("SELECT operation || ' ' || amount_cents FROM gateway_operations"), "authorize 1000")
        << "the 10.00 captured was spent on the first shipment";
}

TEST_F(SourcingRts, RA5_ClubOrderWhoseReadyToShipAuthorizationIsDeclinedGoesToTheClubException) {
    const auto o = make("O");
    db.exec("UPDATE orders SET is_club = 1 WHERE id = " + std::to_string(o));
    payment(o, "credit_card", "authorized", 500, 0, "decline_insufficient_funds");
    run();
    EXPECT_EQ(status(o), "Club CC Exception");
    EXPECT_EQ(reason(o), "club_auth_declined");
    EXPECT_EQ(db.text("SELECT status FROM payments WHERE id = (SELECT max(id) FROM payments)"), "declined")
        << "the declined row is the most recent card payment: RA-5 retries it";
    EXPECT_EQ(count("allocations"), 0);
}

TEST_F(SourcingRts, SRC12_NoCardIsADecline) {
    const auto o = make("O");
    payment(o, "paypal", "settled", 500);
    run();
    EXPECT_EQ(status(o), "CC Exceptions");
    EXPECT_EQ(reason(o), "rts_auth_declined");
    EXPECT_EQ(count("gateway_operations"), 0);
    EXPECT_EQ(count("allocations"), 0);
}

TEST_F(SourcingRts, SRC12_OnlyBeforeAnInShippingStatus) {
    stock(w, p, 0);
    const auto o = make("O");  // everything backordered: Awaiting Inventory, nothing ready
    run();
    EXPECT_EQ(status(o), "Awaiting Inventory");
    EXPECT_EQ(count("gateway_operations"), 0);
}

TEST_F(SourcingRts, SRC12_DisabledNeverAuthorizes) {
    cfg.sourcing.ready_to_ship_auth.enabled = false;
    const auto o = make("O");
    run();
    EXPECT_EQ(status(o), "In Shipping");
    EXPECT_EQ(count("gateway_operations"), 0);
}

TEST_F(SourcingRts, SRC12_DryRunCallsNoGateway) {
    const auto o = make("O");
    payment(o, "credit_card", "authorized", 500, 0, "tok_ok");
    run("2026-11-22T12:00:00Z", true);
    EXPECT_EQ(count("gateway_operations"), 0);
    EXPECT_EQ(count("payments"), 1);
    EXPECT_EQ(status(o), "Ready to Source");
    EXPECT_NE(dry_out.str().find("would authorize 1500 cents on order O"), std::string::npos)
        << dry_out.str();
}

class SourcingRtsScripted : public SourcingRts {
protected:
    SourcingRtsScripted() {
        script.decide = [this](const domain::Request& r) {
            return next_outcome == domain::Outcome::succeeded ? script.approve(r) : answer(next_outcome, "timeout");
        };
    }
    std::unique_ptr<domain::Gateway> fake_gateway() override { return script.gateway(); }
    GatewayScript script;
    std::vector<domain::Request>& sent = script.sent;
    domain::Outcome next_outcome = domain::Outcome::unknown;
};

TEST_F(SourcingRtsScripted, SRC12_CardNotReusableWithoutCustomerIsNotSent) {
    script.needs_customer = true;
    next_outcome = domain::Outcome::succeeded;
    const auto o = make("O");
    payment(o, "credit_card", "authorized", 500, 0, "tok_ok");  // no customer_ref
    run();
    EXPECT_EQ(sent.size(), 0u);
    EXPECT_EQ(status(o), "CC Exceptions");
    EXPECT_EQ(reason(o), "card_not_reusable");
    EXPECT_EQ(count("allocations"), 0);
}

TEST_F(SourcingRtsScripted, SRC12_UnknownOutcomeIsReconciledWithTheSameKeyNeverTwice) {
    const auto o = make("O");
    payment(o, "credit_card", "authorized", 500, 0, "tok_timeout");
    auto st = run();
    EXPECT_EQ(st.deferred, 1);
    EXPECT_EQ(status(o), "Ready to Source");
    EXPECT_EQ(count("allocations"), 0);
    EXPECT_EQ(db.text("SELECT state FROM gateway_operations"), "unknown");
    const std::string key = db.text("SELECT idempotency_key FROM gateway_operations");
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].idempotency_key, key);
    EXPECT_EQ(sent[0].amount, 1500);
    EXPECT_EQ(sent[0].card_token, "tok_timeout");

    next_outcome = domain::Outcome::succeeded;  // the next run's gateway answers
    st = run("2026-11-22T12:30:00Z");
    ASSERT_EQ(sent.size(), 2u);  // the replay of the journaled request, nothing new
    EXPECT_EQ(sent[1].idempotency_key, key);
    EXPECT_EQ(count("gateway_operations"), 1);  // no second authorization
    EXPECT_EQ(db.text("SELECT state FROM gateway_operations"), "succeeded");
    EXPECT_EQ(status(o), "In Shipping");
    EXPECT_EQ(count("payments WHERE status = 'authorized'"), 2);
}

}  // namespace
}  // namespace olmd::test
