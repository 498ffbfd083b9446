// OPS-6's one journal protocol (domain/journal.hpp), on an in-memory gateway: replay with the
// key while the gateway remembers it, look up from the key's lifetime on (inclusive).
#include <gtest/gtest.h>

#include "olmd/domain/journal.hpp"

namespace olmd::domain {
namespace {

const Instant kNow = *parse_utc("2026-11-22T12:00:00Z");

/// Counts what it is asked; replays succeed, lookups find the request applied.
class CountingGateway final : public Gateway {
public:
    std::string_view name() const override { return "counting"; }
    std::vector<Answer> execute(const std::vector<Request>& reqs) override {
        replays += static_cast<int>(reqs.size());
        Answer a;
        a.outcome = replay_outcome;
        return std::vector<Answer>(reqs.size(), a);
    }
    LookupResult lookup(const Request&) override {
        ++lookups;
        LookupResult r;
        r.state = lookup_state;
        r.answer.outcome = Outcome::succeeded;
        return r;
    }
    std::chrono::seconds key_lifetime() const override { return lifetime; }
    std::chrono::seconds lifetime{std::chrono::hours(24)};
    Outcome replay_outcome = Outcome::succeeded;
    LookupState lookup_state = LookupState::applied;
    int replays = 0, lookups = 0;
};

JournalOp op_at(const std::string& created) {
    JournalOp op;
    op.idempotency_key = "olmd-ns-1-capture-1";
    op.created_at = created;
    return op;
}

TEST(Journal, OPS6_KeyYoungerThanItsLifetimeIsReplayed) {
    CountingGateway gw;
    const auto r = resolve(op_at("2026-11-21T12:00:01Z"), Request{}, gw, kNow);
    EXPECT_EQ(gw.replays, 1);
    EXPECT_EQ(gw.lookups, 0);
    EXPECT_EQ(r.state, LookupState::applied);
}

TEST(Journal, OPS6_KeyExactlyAtItsLifetimeIsLookedUpNeverReplayed) {
    // capture/reauth used >= and SRC-12 used >: at exactly 24 h one of them replayed.
    CountingGateway gw;
    EXPECT_TRUE(needs_lookup(op_at("2026-11-21T12:00:00Z"), gw.lifetime, kNow));
    resolve(op_at("2026-11-21T12:00:00Z"), Request{}, gw, kNow);
    EXPECT_EQ(gw.replays, 0);
    EXPECT_EQ(gw.lookups, 1);
}

TEST(Journal, OPS6_UnreadableCreatedAtIsLookedUp) {
    CountingGateway gw;
    EXPECT_TRUE(needs_lookup(op_at("yesterday"), gw.lifetime, kNow));
}

TEST(Journal, OPS6_GatewayThatNeverForgetsIsAlwaysReplayed) {
    CountingGateway gw;
    gw.lifetime = std::chrono::seconds::zero();
    EXPECT_FALSE(needs_lookup(op_at("2020-01-01T00:00:00Z"), gw.lifetime, kNow));
}

TEST(Journal, OPS6_ReplayWithAnUnknownAnswerStaysUnknown) {
    CountingGateway gw;
    gw.replay_outcome = Outcome::unknown;
    EXPECT_EQ(resolve(op_at("2026-11-22T11:00:00Z"), Request{}, gw, kNow).state, LookupState::unknown);
    gw.replay_outcome = Outcome::declined;
    EXPECT_EQ(resolve(op_at("2026-11-22T11:00:00Z"), Request{}, gw, kNow).state, LookupState::applied);
}

}  // namespace
}  // namespace olmd::domain
