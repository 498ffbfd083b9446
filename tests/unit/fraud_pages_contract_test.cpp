// The in-memory fraud pages (support/memory_store.hpp) select as the store's do (FR-1; SQLite
// store/fraud_orders.cpp, or in pg: tests PostgreSQL's, support/pg_mirror.hpp): the same orders in
// both, then for several status and channel filters every page (by id, keyset-paged) and the count
// must agree. The FraudOnMemory tests check the rules on the fake; this keeps its selection honest.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "olmd/store/catalog.hpp"
#include "support/memory_store.hpp"
#include "support/pg_mirror.hpp"
#include "support/test_db.hpp"

namespace olmd::test {
namespace {

std::string pages(domain::FraudOrderPages& p, int limit) {
    std::string s;
    RowId after = 0;
    for (int guard = 0; guard < 100; ++guard) {
        auto page = p.page(after, limit);
        EXPECT_TRUE(page.ok());
        if (!page.ok() || page->empty()) break;
        for (const auto& o : *page) s += std::to_string(o.id) + " ";
        s += "| ";
        after = page->back().id;
    }
    return s;
}

TEST(FraudPagesContract, FR1_MemoryPagesSelectAsTheStorePagesDo) {
    TestDb db;
    MemoryData mem;
    auto catalog = store::load_catalog(db.db()).value();
    const char* statuses[] = {"Ready to Process", "On Hold", "Ready to Source", "Ready to Process", "Non Compliant"};
    const char* channels[] = {"Website", "eBay", "POS", "Website"};
    for (int i = 0; i < 23; ++i) {
        const std::string st = statuses[(i * 7) % 5], ch = channels[(i * 3) % 4];
        const OrderId id = db.add_order({.number = "F-" + std::to_string(i), .status = st, .channel = ch});
        domain::FraudOrder o;
        o.id = id;
        o.number = "F-" + std::to_string(i);
        o.status_id = *catalog.statuses.id(st);
        o.channel_id = *catalog.channels.id(ch);
        mem.fraud_orders.push_back(o);
    }
    std::unique_ptr<PgMirror> twin;
    int selected = 0;
    with_backend(twin, db, [&](store::Backend& backend) {
        auto sql_store = backend.run_store();
        MemoryRunStore mem_store(mem);
        const StatusId rtp = *catalog.statuses.id("Ready to Process"), rts = *catalog.statuses.id("Ready to Source");
        const RowId web = *catalog.channels.id("Website"), ebay = *catalog.channels.id("eBay");
        const std::vector<domain::FraudOrderFilter> filters = {
            {{rtp}, {}}, {{rtp, rts}, {}}, {{rtp}, {web}}, {{rtp, rts}, {web, ebay}}, {{rts}, {ebay}}};
        for (std::size_t i = 0; i < filters.size(); ++i) {
            SCOPED_TRACE("filter " + std::to_string(i));
            for (int limit : {1, 2, 5, 100}) {
                auto a = sql_store->fraud_orders(filters[i]);
                auto b = mem_store.fraud_orders(filters[i]);
                ASSERT_TRUE(a.ok() && b.ok());
                const std::string want = pages(**a, limit);
                EXPECT_EQ(pages(**b, limit), want) << "limit " << limit;
                EXPECT_EQ((*b)->count().value(), (*a)->count().value());
                if (limit == 100) selected += static_cast<int>((*a)->count().value());
            }
        }
    });
    EXPECT_GT(selected, 20) << "the filters select something";
}

}  // namespace
}  // namespace olmd::test
