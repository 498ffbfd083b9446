// The sourcing read-ahead's contract (src/store/sourcing_read_ahead.hpp): it
// hands out exactly the page asked for, only at the data version it was asked
// at, and the page equals what the writer's connection reads itself.

#include <gtest/gtest.h>

#include "store/sourcing_pages.hpp"
#include "store/sourcing_read_ahead.hpp"
#include "support/test_db.hpp"

namespace olmd::test {
namespace {

using domain::sourcing::SourcingOrder;

class SourcingReadAheadContract : public ::testing::Test {
protected:
    TestDb db;
    std::vector<StatusId> ready;

    SourcingReadAheadContract() {
        ready = {db.status_id("Ready to Source")};
        db.exec("INSERT INTO skus (code) VALUES ('A')");
        for (int i = 1; i <= 5; ++i) {
            OrderSpec o;
            o.number = "RA-" + std::to_string(i);
            o.status = "Ready to Source";
            const auto id = db.add_order(o);
            db.exec("INSERT INTO order_items (order_id, sku_id, quantity, unit_price_cents) VALUES (" +
                    std::to_string(id) + ", 1, " + std::to_string(i) + ", 100)");
        }
    }

    std::vector<SourcingOrder> read_here(RowId after, int limit) {
        store::SourcingPageQueries q(db.db().raw());
        return q.page_by_id(ready, after, limit);
    }
};

std::vector<std::pair<OrderId, std::int64_t>> shape(const std::vector<SourcingOrder>& page) {
    std::vector<std::pair<OrderId, std::int64_t>> out;
    for (const auto& o : page)
        for (const auto& l : o.lines) out.emplace_back(o.id, l.quantity);
    return out;
}

TEST_F(SourcingReadAheadContract, SRC1_HandsOutThePageAskedForAtItsVersion) {
    auto ahead = store::SourcingReadAhead::open(db.db());
    ASSERT_NE(ahead, nullptr);
    ahead->start(ready, 2, 2, 7);
    auto page = ahead->take(ready, 2, 2, 7);
    ASSERT_TRUE(page.has_value());
    EXPECT_EQ(shape(*page), shape(read_here(2, 2)));
    ASSERT_EQ(page->size(), 2u);
    EXPECT_EQ(page->front().id, 3);
    EXPECT_FALSE(ahead->take(ready, 2, 2, 7).has_value());  // handed out once
}

TEST_F(SourcingReadAheadContract, SRC1_NothingForAnotherVersionOrPage) {
    auto ahead = store::SourcingReadAhead::open(db.db());
    ASSERT_NE(ahead, nullptr);
    ahead->start(ready, 0, 2, 7);
    EXPECT_FALSE(ahead->take(ready, 2, 2, 7).has_value());  // another page: kept
    EXPECT_FALSE(ahead->take(ready, 0, 3, 7).has_value());
    EXPECT_FALSE(ahead->take({ready.front() + 1}, 0, 2, 7).has_value());
    EXPECT_FALSE(ahead->take(ready, 0, 2, 8).has_value());  // another connection committed: dropped
    EXPECT_FALSE(ahead->take(ready, 0, 2, 7).has_value());
}

TEST_F(SourcingReadAheadContract, SRC1_ARedoneBatchKeepsTheFirstVersion) {
    auto ahead = store::SourcingReadAhead::open(db.db());
    ASSERT_NE(ahead, nullptr);
    ahead->start(ready, 0, 2, 7);
    ahead->start(ready, 0, 2, 9);  // the same page asked again at a later version
    EXPECT_FALSE(ahead->take(ready, 0, 2, 9).has_value());
}

}  // namespace
}  // namespace olmd::test
