#pragma once
// The journal protocol of OPS-6, once for every job that journals gateway
// requests (capture, reauth, SRC-12): an operation left pending or unknown is
// replayed with its own idempotency key while the gateway still remembers the
// key, and looked up once it may have forgotten it — a replay then could be
// applied a second time.

#include <chrono>

#include "olmd/core/time.hpp"
#include "olmd/domain/gateway.hpp"
#include "olmd/domain/payments.hpp"

namespace olmd::domain {

/// True when op must be resolved by a lookup, not a replay: the gateway forgets keys
/// (key_lifetime > 0) and op was journaled key_lifetime or more before now, or its
/// created_at cannot be read (never guess that a key is still remembered).
bool needs_lookup(const JournalOp& op, std::chrono::seconds key_lifetime, Instant now);

/// Resolves the open operation op whose request (same key, same fields) is req: a replay or a
/// lookup as needs_lookup() says. applied: the answer of the one application (succeeded or
/// declined); not_applied: it never took effect, a new attempt is safe; unknown: try next run.
LookupResult resolve(const JournalOp& op, const Request& req, Gateway& gw, Instant now);

}  // namespace olmd::domain
