// The in-memory worlds' catalog (support/seeded_catalog.hpp) is the one a freshly seeded
// database loads: every status and channel of sql/seed.sql, with the same ids.
#include <gtest/gtest.h>

#include <string>

#include "olmd/store/catalog.hpp"
#include "support/seeded_catalog.hpp"
#include "support/test_db.hpp"

namespace olmd::test {
namespace {

std::string listing(const domain::NameTable& t) {
    std::string s;
    for (RowId id : t.ids()) s += std::to_string(id) + " " + t.name(id) + "\n";
    return s;
}

TEST(SeededCatalog, MemoryWorldsResolveNamesAsTheSeededDatabaseDoes) {
    TestDb db;
    auto loaded = store::load_catalog(db.db());
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    const domain::Catalog mem = seeded_catalog();
    EXPECT_EQ(listing(mem.statuses), listing(loaded->statuses));
    EXPECT_EQ(listing(mem.channels), listing(loaded->channels));
    EXPECT_GT(loaded->statuses.ids().size(), 20u);
    EXPECT_EQ(mem.shipping_methods.id("Ground"), 1);
    EXPECT_EQ(mem.shipping_methods.id("COD Ground"), 2);
}

}  // namespace
}  // namespace olmd::test
