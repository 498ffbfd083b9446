// Sourcing's selection and prechecks (SRC-1..SRC-6) on the in-memory ports
// (unit/sourcing_memory_fixture.hpp): no SQLite, the job sees only RunServices.
// Each test checks a rule that a SQLite test (sourcing_prechecks_test.cpp) checks
// too, with the same expectations, so the two repository implementations answer
// to the same rules.
#include "unit/sourcing_memory_fixture.hpp"

namespace olmd::test {
namespace {

// --- SRC-1..SRC-6 ------------------------------------------------------------------------

TEST_F(SourcingOnMemory, SRC1_OnlyOrdersInSourcingStatusesAreSelected) {
    const auto w = warehouse("East", 0);
    const auto p = sku("P");
    stock(w, p, 100);
    const auto in = one_line("A", p, 2);
    SrcOrder b;
    b.number = "B";
    b.status = "Ready to Process";
    const auto out = order(b);
    line(out, p, 2);
    const auto st = run();
    EXPECT_EQ(st.selected, 1);
    EXPECT_EQ(status(in), "In Shipping");
    EXPECT_EQ(status(out), "Ready to Process");
    EXPECT_EQ(allocations_of(out), 0u);
}

TEST_F(SourcingOnMemory, SRC1_HoldStatusIsNeverSelectedEvenWhenListed) {
    cfg.sourcing.statuses = {"Ready to Source", "On Hold"};
    const auto p = sku("P");
    SrcOrder o;
    o.status = "On Hold";
    const auto id = order(o);
    line(id, p, 1);
    EXPECT_EQ(run().selected, 0);
    EXPECT_EQ(status(id), "On Hold");
}

TEST_F(SourcingOnMemory, SRC2_NoShippingMethodGoesToItsStatus) {
    const auto w = warehouse("East", 0);
    const auto p = sku("P");
    stock(w, p, 100);
    SrcOrder o;
    o.shipping_method.reset();
    o.ship_zip = "ABCDE";  // SRC-3 would apply too: SRC-2 comes first
    const auto id = order(o);
    line(id, p, 2);
    run();
    EXPECT_EQ(status(id), "No Shipping Method");
    EXPECT_EQ(reason(id), "no_shipping_method");
    EXPECT_TRUE(data.allocations.empty());
    EXPECT_EQ(available(w, p), 100);
}

TEST_F(SourcingOnMemory, SRC3_MalformedUsZipGoesToFormatExceptionForeignPostalCodesPass) {
    const auto w = warehouse("East", 0);
    const auto p = sku("P");
    stock(w, p, 100);
    SrcOrder bad;
    bad.number = "BAD";
    bad.ship_zip = "1286";
    const auto b = order(bad);
    line(b, p, 1);
    SrcOrder foreign;
    foreign.number = "CA";
    foreign.ship_country = "CA";
    foreign.ship_zip = "M5V 3L9";
    const auto f = order(foreign);
    line(f, p, 1);
    run();
    EXPECT_EQ(status(b), "Format Exception");
    EXPECT_EQ(reason(b), "invalid_us_zip");
    EXPECT_EQ(allocations_of(b), 0u);
    EXPECT_EQ(status(f), "In Shipping");
}

TEST_F(SourcingOnMemory, SRC4_FullyPaidChannelWaitsForPayment) {
    cfg.sourcing.fully_paid_channels = {"website"};
    const auto w = warehouse("East", 0);
    const auto p = sku("P");
    stock(w, p, 100);
    const auto unpaid = one_line("UNPAID", p);
    payment(unpaid, "credit_card", "authorized", 10000);  // an uncaptured authorization does not pay
    const auto paid = one_line("PAID", p);
    payment(paid, "credit_card", "captured", 10000, 10000);
    const auto settled = one_line("SETTLED", p);
    payment(settled, "paypal", "settled", 6000);
    payment(settled, "gift_certificate", "settled", 4000);
    run();
    EXPECT_EQ(status(unpaid), "Awaiting Payment");
    EXPECT_EQ(reason(unpaid), "awaiting_payment");
    EXPECT_EQ(status(paid), "In Shipping");
    EXPECT_EQ(status(settled), "In Shipping");
}

TEST_F(SourcingOnMemory, SRC5_TooManyTopLevelLinesGoToManualReview) {
    cfg.sourcing.manual_review.max_line_items = 2;
    const auto w = warehouse("East", 0);
    const auto p = sku("P"), kit = sku("KIT", "kit");
    stock(w, p, 100);
    const auto many = order("MANY");
    for (int i = 0; i < 3; ++i) line(many, p, 1);
    const auto kitted = order("KIT");
    const auto k = line(kitted, kit, 1);
    for (int i = 0; i < 3; ++i) line(kitted, p, 1, 0, k);  // components are not top-level lines
    run();
    EXPECT_EQ(status(many), "Requires Manual Sourcing");
    EXPECT_EQ(reason(many), "manual_review");
    EXPECT_EQ(status(kitted), "In Shipping");
}

TEST_F(SourcingOnMemory, SRC6_GiftCertificateOnlyOrdersNeedNoInventory) {
    cfg.sourcing.result.gift_certificates_only = "Gift Certificates Only";
    const auto w = warehouse("East", 0);
    const auto p = sku("P"), gc = sku("GC-50", "gift_certificate");
    stock(w, p, 100);
    const auto gco = one_line("GC", gc, 2);
    const auto mixed = order("MIXED");
    line(mixed, gc, 1);
    const auto pl = line(mixed, p, 1);
    run();
    EXPECT_EQ(status(gco), "Gift Certificates Only");
    EXPECT_EQ(reason(gco), "gift_certificates_only");
    EXPECT_EQ(status(mixed), "In Shipping");
    EXPECT_EQ(allocs(pl), "assigned 1 @East");
    EXPECT_EQ(data.allocations.size(), 1u);
}

}  // namespace
}  // namespace olmd::test
