// SRC-1..SRC-6: which orders sourcing selects and the checks that end an
// order's processing before any unit is sourced, in the spec's order; and the
// bad data those checks meet.
#include "unit/sourcing_fixture.hpp"

namespace olmd::test {
namespace {

class SourcingPrechecks : public SourcingWorld {
protected:
    void SetUp() override {
        w1 = warehouse("East", 0);
        p = sku("P-1");
        stock(w1, p, 100);
    }
    /// An order of one line of 2 × P-1.
    std::int64_t simple(const SrcOrder& o) {
        const auto id = order(o);
        line(id, p, 2);
        return id;
    }
    std::int64_t w1 = 0, p = 0;
};

TEST_F(SourcingPrechecks, SRC1_OnlyOrdersInSourcingStatusesAreSelected) {
    SrcOrder a;
    a.number = "A";
    const auto in = simple(a);
    SrcOrder b;
    b.number = "B";
    b.status = "Ready to Process";
    const auto out = simple(b);
    auto st = run();
    EXPECT_EQ(st.selected, 1);
    EXPECT_EQ(status(in), "In Shipping");
    EXPECT_EQ(status(out), "Ready to Process");
    EXPECT_EQ(count("allocations a JOIN order_items i ON i.id = a.order_item_id WHERE i.order_id = " +
                    std::to_string(out)),
              0);
}

TEST_F(SourcingPrechecks, SRC1_HoldStatusIsNeverSelectedEvenWhenListed) {
    cfg.sourcing.statuses = {"Ready to Source", "On Hold"};
    SrcOrder a;
    a.status = "On Hold";
    const auto id = simple(a);
    auto st = run();
    EXPECT_EQ(st.selected, 0);
    EXPECT_EQ(status(id), "On Hold");
}

TEST_F(SourcingPrechecks, SRC2_NoShippingMethodGoesToItsStatus) {
    SrcOrder o;
    o.shipping_method.reset();
    o.ship_zip = "ABCDE";  // SRC-3 would apply too: SRC-2 comes first
    const auto id = simple(o);
    run();
    EXPECT_EQ(status(id), "No Shipping Method");
    EXPECT_EQ(reason(id), "no_shipping_method");
    EXPECT_EQ(count("allocations"), 0);
    EXPECT_EQ(available(w1, p), 100);
}

TEST_F(SourcingPrechecks, SRC2_SkippedWhenTheStatusIsEmpty) {
    cfg.orders.no_shipping_method_status = "";
    SrcOrder o;
    o.shipping_method.reset();
    const auto id = simple(o);
    run();
    EXPECT_EQ(status(id), "In Shipping");
}

TEST_F(SourcingPrechecks, SRC3_MalformedUsZipGoesToFormatException) {
    int n = 0;
    std::vector<std::int64_t> ids;
    for (const char* zip : {"1286", "12866-", "ABCDE", "128660", "1286-61234", "12866-12", ""}) {
        SrcOrder o;
        o.number = "Z-" + std::to_string(++n);
        o.ship_zip = zip;
        ids.push_back(simple(o));
    }
    run();
    for (auto id : ids) {
        EXPECT_EQ(status(id), "Format Exception") << id;
        EXPECT_EQ(reason(id), "invalid_us_zip");
    }
    EXPECT_EQ(count("allocations"), 0);
}

TEST_F(SourcingPrechecks, SRC3_WellFormedZipsAndForeignPostalCodesPass) {
    SrcOrder a;
    a.number = "A";
    a.ship_zip = "12866-1234";
    const auto zip4 = simple(a);
    SrcOrder b;
    b.number = "B";
    b.ship_country = "CA";
    b.ship_zip = "M5V 3L9";
    const auto foreign = simple(b);
    run();
    EXPECT_EQ(status(zip4), "In Shipping");
    EXPECT_EQ(status(foreign), "In Shipping");
}

TEST_F(SourcingPrechecks, SRC3_NullShipCountryIsNotBadData) {
    // No ship country: SRC-3 does not apply (whatever the zip), and the order is sourced.
    SrcOrder o;
    o.ship_country = "";  // written as NULL
    o.ship_zip = "ABCDE";
    const auto id = simple(o);
    auto st = run();
    EXPECT_EQ(status(id), "In Shipping");
    EXPECT_EQ(st.errors, 0);
    EXPECT_EQ(available(w1, p), 98);
}

TEST_F(SourcingPrechecks, SRC3_UsaShipCountryGetsTheZipCheck) {
    int n = 0;
    std::vector<std::int64_t> bad, good;
    for (const char* us : {"USA", "usa", "United States", " united  states ", "United States of America", "us"}) {
        SrcOrder o;
        o.number = "B-" + std::to_string(++n);
        o.ship_country = us;
        o.ship_zip = "ABCDE";
        bad.push_back(simple(o));
        o.number = "G-" + std::to_string(n);
        o.ship_zip = "12866";
        good.push_back(simple(o));
    }
    SrcOrder ca;
    ca.number = "CA";
    ca.ship_country = "Canada";  // a country by name that is not the US: no ZIP check
    ca.ship_zip = "M5V 3L9";
    const auto canada = simple(ca);
    SrcOrder odd;
    odd.number = "ODD";
    odd.ship_country = "Narnia";  // no country at all: kept as written, not bad data
    odd.ship_zip = "ABCDE";
    const auto narnia = simple(odd);
    auto st = run();
    for (auto id : bad) {
        EXPECT_EQ(status(id), "Format Exception") << id;
        EXPECT_EQ(reason(id), "invalid_us_zip") << id;
    }
    for (auto id : good) EXPECT_EQ(status(id), "In Shipping") << id;
    EXPECT_EQ(status(canada), "In Shipping");
    EXPECT_EQ(status(narnia), "In Shipping");
    EXPECT_EQ(st.errors, 0);
}

TEST_F(SourcingPrechecks, SRC4_FullyPaidChannelWaitsForPayment) {
    cfg.sourcing.fully_paid_channels = {"website"};
    SrcOrder o;
    o.grand_total_cents = 10000;
    const auto unpaid = simple(o);
    payment(unpaid, "credit_card", "authorized", 10000);  // an uncaptured authorization does not pay
    o.number = "PAID";
    const auto paid = simple(o);
    payment(paid, "credit_card", "captured", 10000, 10000);
    o.number = "SETTLED";
    const auto settled = simple(o);
    payment(settled, "paypal", "settled", 6000);
    payment(settled, "gift_certificate", "settled", 4000);
    o.number = "PENDING";
    const auto pending = simple(o);
    payment(pending, "paypal", "pending", 10000);
    o.number = "OTHER";
    o.channel = "eBay";
    const auto other = simple(o);
    run();
    EXPECT_EQ(status(unpaid), "Awaiting Payment");
    EXPECT_EQ(reason(unpaid), "awaiting_payment");
    EXPECT_EQ(status(paid), "In Shipping");
    EXPECT_EQ(status(settled), "In Shipping");
    EXPECT_EQ(status(pending), "Awaiting Payment");
    EXPECT_EQ(status(other), "In Shipping");
}

TEST_F(SourcingPrechecks, SRC4_CodOrdersBypassFullPaymentOnlyWithSourceCod) {
    cfg.sourcing.fully_paid_channels = {"Website"};
    SrcOrder o;
    o.shipping_method = "COD Ground";
    const auto cod = simple(o);
    run();
    EXPECT_EQ(status(cod), "Awaiting Payment");

    cfg.sourcing.source_cod = true;
    cfg.sourcing.statuses = {"Awaiting Payment"};
    run();
    EXPECT_EQ(status(cod), "In Shipping");
}

TEST_F(SourcingPrechecks, SRC5_TooManyTopLevelLinesGoToManualReview) {
    cfg.sourcing.manual_review.max_line_items = 2;
    const auto kit = sku("KIT-1", "kit");
    const auto many = order("MANY");
    for (int i = 0; i < 3; ++i) line(many, p, 1);
    const auto kitted = order("KIT");
    const auto k = line(kitted, kit, 1);
    for (int i = 0; i < 3; ++i) line(kitted, p, 1, 0, k);  // components are not top-level lines
    line(kitted, p, 1);
    run();
    EXPECT_EQ(status(many), "Requires Manual Sourcing");
    EXPECT_EQ(reason(many), "manual_review");
    EXPECT_EQ(status(kitted), "In Shipping");
}

TEST_F(SourcingPrechecks, SRC5_ShipStateInTheListGoesToManualReview) {
    cfg.sourcing.manual_review.ship_states = {"AK", "Hawaii"};
    SrcOrder o;
    o.number = "AK";
    o.ship_state = "Alaska";
    o.ship_zip = "99501";
    const auto ak = simple(o);
    o.number = "HI";
    o.ship_state = " hi ";
    const auto hi = simple(o);
    o.number = "NY";
    o.ship_state = "NY";
    const auto ny = simple(o);
    run();
    EXPECT_EQ(status(ak), "Requires Manual Sourcing");
    EXPECT_EQ(status(hi), "Requires Manual Sourcing");
    EXPECT_EQ(status(ny), "In Shipping");
}

TEST_F(SourcingPrechecks, SRC5_ComesAfterSrc4) {
    cfg.sourcing.fully_paid_channels = {"Website"};
    cfg.sourcing.manual_review.ship_states = {"NY"};
    const auto id = simple(SrcOrder{});
    run();
    EXPECT_EQ(status(id), "Awaiting Payment");
}

TEST_F(SourcingPrechecks, SRC6_GiftCertificateAndClubOnlyOrders) {
    cfg.sourcing.result.gift_certificates_only = "Gift Certificates Only";
    cfg.sourcing.result.club_membership_only = "Club Membership Only";
    const auto gc = sku("GC-50", "gift_certificate");
    const auto club = sku("CLUB", "club_membership");
    const auto gco = order("GC");
    line(gco, gc, 2);
    line(gco, gc, 1);
    const auto clubo = order("CLUB");
    line(clubo, club, 1);
    const auto mixed = order("MIXED");
    line(mixed, gc, 1);
    const auto pl = line(mixed, p, 1);
    run();
    EXPECT_EQ(status(gco), "Gift Certificates Only");
    EXPECT_EQ(reason(gco), "gift_certificates_only");
    EXPECT_EQ(status(clubo), "Club Membership Only");
    EXPECT_EQ(status(mixed), "In Shipping");
    EXPECT_EQ(allocs(pl), "assigned 1 @East");
    EXPECT_EQ(count("allocations"), 1);  // gift certificates need no inventory
}

TEST_F(SourcingPrechecks, SRC6_UnsetResultFallsToNothingToSource) {
    const auto gc = sku("GC-50", "gift_certificate");
    const auto club = sku("CLUB", "club_membership");
    const auto gco = order("GC");
    line(gco, gc, 1);
    const auto both = order("BOTH");
    line(both, gc, 1);
    line(both, club, 1);
    run();
    EXPECT_EQ(status(gco), "Requires Manual Sourcing");
    EXPECT_EQ(reason(gco), "nothing_to_source");
    EXPECT_EQ(status(both), "Requires Manual Sourcing");
    EXPECT_EQ(reason(both), "nothing_to_source");
}

TEST_F(SourcingPrechecks, SRC2_To_SRC6_FirstCheckThatAppliesWins) {
    cfg.sourcing.fully_paid_channels = {"Website"};
    cfg.sourcing.manual_review.max_line_items = 1;
    SrcOrder o;
    o.ship_zip = "BAD";  // SRC-3 applies before SRC-4 and SRC-5
    const auto id = order(o);
    line(id, p, 1);
    line(id, p, 1);
    run();
    EXPECT_EQ(status(id), "Format Exception");
    EXPECT_EQ(count("order_status_history WHERE order_id = " + std::to_string(id)), 1);
}

}  // namespace
}  // namespace olmd::test
