#include "olmd/domain/journal.hpp"

namespace olmd::domain {

bool needs_lookup(const JournalOp& op, std::chrono::seconds key_lifetime, Instant now) {
    if (key_lifetime <= std::chrono::seconds::zero()) return false;
    auto created = parse_utc(op.created_at);
    return !created || now - *created >= key_lifetime;
}

LookupResult resolve(const JournalOp& op, const Request& req, Gateway& gw, Instant now) {
    if (needs_lookup(op, gw.key_lifetime(), now)) return gw.lookup(req);
    LookupResult r;
    r.answer = gw.execute({req}).front();  // same key: applied at most once
    r.state = r.answer.outcome == Outcome::succeeded || r.answer.outcome == Outcome::declined
                  ? LookupState::applied
                  : LookupState::unknown;
    return r;
}

}  // namespace olmd::domain
