#pragma once
// The Gateway port: the payment gateway behind the capture, reauth and sourcing
// (SRC-12) jobs — authorize, capture and void, each carrying an idempotency key,
// plus a status query used by reconciliation (OPS-6). The gateway module
// implements it twice: the deterministic `sandbox` of cli.md (ledger in the
// database) and `stripe` (the PaymentIntents subset of config.md).
//
// Contract every implementation keeps:
//  - the same idempotency key sent twice is applied at most once; a repeat
//    returns the outcome of the first application;
//  - an answer that was lost, malformed, a timeout, a 5xx, a 409 or a 429
//    (after the configured retries with the same key) is Outcome::unknown,
//    never a guess;
//  - no secret (API key, card token) appears in any text it returns or logs.
//
// Callers must journal each request (domain/payments.hpp) and commit the journal
// row BEFORE calling, and must never call while holding a write transaction on
// the database a sandbox gateway uses.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "olmd/core/error.hpp"
#include "olmd/core/money.hpp"

namespace olmd::domain {

/// What a gateway request does (gateway_operations.operation).
enum class Operation { authorize, capture, void_auth };

/// The journal's text for an operation: "authorize", "capture", "void".
std::string_view to_string(Operation op);
/// The operation named by the journal's text, or an Error.
Result<Operation> operation_from_string(std::string_view text);

/// How a request ended.
enum class Outcome {
    succeeded,  ///< applied: authorized / captured / voided
    declined,   ///< definitively refused; nothing was applied (a card decline, Stripe HTTP 402)
    unknown,    ///< may or may not have been applied: resolve later with the same key (CAP-7)
    rejected,   ///< the request itself was refused (Stripe 400 invalid_request_error, 401/403): nothing
                ///< happened at the gateway and it is not a decline; payment and order stay as they are
};

/// The journal's text for an outcome: "succeeded", "declined", "unknown".
std::string_view to_string(Outcome o);

/// One request to the gateway.
struct Request {
    Operation op = Operation::authorize;
    std::string idempotency_key;  ///< derived from payment + operation + attempt, never random
    Cents amount = 0;             ///< authorize: amount to hold; capture: amount to capture; void: informative
    std::string card_token;       ///< authorize: the stored payment method (sandbox also reads it for capture/void)
    std::string customer_ref;     ///< authorize: the gateway customer owning card_token ("" = none)
    std::string gateway_ref;      ///< capture / void: the authorization's id at the gateway
};

/// One answer from the gateway.
struct Answer {
    Outcome outcome = Outcome::unknown;
    std::string gateway_ref;    ///< authorize: the new authorization's id; capture/void: the authorization's id
    std::string avs_result;     ///< "match", "mismatch", "unavailable", or "" when not reported
    std::string cvv_result;     ///< same values as avs_result
    std::string response_code;  ///< machine-readable, e.g. "approved", "card_declined", "timeout", "http_503";
                                ///< capture declined because an earlier partial capture released the rest:
                                ///< "authorization_released"; void refused because the authorization was
                                ///< captured: "already_captured" (both Outcome::declined)
    std::string detail;         ///< human-readable detail for logs and history (never a secret)
    /// capture / void: the total the gateway reports as received on the authorization after this answer
    /// (Stripe amount_received), in cents; -1 = not reported. CAP-5 records it as captured_cents.
    Cents amount_received = -1;
    /// capture / void: what the authorization can still be captured for after this answer (Stripe
    /// amount_capturable), in cents; -1 = not reported.
    Cents amount_capturable = -1;
};

/// Response codes the engine acts on (Answer::response_code).
inline constexpr std::string_view kAuthorizationReleased = "authorization_released";
inline constexpr std::string_view kAlreadyCaptured = "already_captured";

/// What a status query (lookup) found for a journaled request.
enum class LookupState {
    applied,      ///< the request took effect: `answer` holds its outcome (succeeded or declined)
    not_applied,  ///< the gateway positively knows the request never took effect: a new attempt is safe
    unknown,      ///< the gateway could not tell (unreachable, ambiguous): try again later
};

/// The result of lookup().
struct LookupResult {
    LookupState state = LookupState::unknown;
    Answer answer;
};

/// A payment gateway. Implementations are used from one thread at a time; a gateway whose
/// executes_off_thread() is true may have execute() called on up to two worker threads at once
/// while the caller goes on with name(), can_reauthorize() (both pure) and lookup() on its own.
class Gateway {
public:
    virtual ~Gateway() = default;

    /// "sandbox" or "stripe", for logs and explain.
    virtual std::string_view name() const = 0;

    /// Sends every request, keeping up to [gateway] concurrency in flight (across concurrent calls,
    /// the earlier call's requests first); the i-th answer answers reqs[i]. Never fails as a whole:
    /// a request that could not be completed is Outcome::unknown.
    virtual std::vector<Answer> execute(const std::vector<Request>& reqs) = 0;

    /// Places a hold of req.amount on req.card_token (req.op must be authorize).
    Answer authorize(const Request& req) { return execute_one(req, Operation::authorize); }
    /// Captures req.amount of the authorization req.gateway_ref (req.op must be capture).
    Answer capture(const Request& req) { return execute_one(req, Operation::capture); }
    /// Releases the authorization req.gateway_ref (req.op must be void_auth).
    Answer void_auth(const Request& req) { return execute_one(req, Operation::void_auth); }

    /// Asks the gateway what became of a request sent earlier (same key, same fields), without
    /// applying anything: used to reconcile operations whose idempotency key may have expired.
    virtual LookupResult lookup(const Request& req) = 0;

    /// True when the gateway can re-use req.card_token off-session for a new authorization (CAP-6,
    /// RA-3, RA-5, SRC-12). Stripe: only when req.customer_ref names the Customer owning it
    /// (config.md); the engine then sends nothing and records `card_not_reusable`.
    virtual bool can_reauthorize(const Request& req) const { return !req.card_token.empty(); }

    /// How long the gateway remembers an idempotency key; a journaled request older than this
    /// must be resolved with lookup(), never replayed. zero() = forever (replay is always safe).
    virtual std::chrono::seconds key_lifetime() const { return std::chrono::seconds::zero(); }

    /// True when execute() touches nothing its caller uses (no database, only the network), so the
    /// caller may run it on worker threads, two calls at once, and write the database meanwhile.
    /// False by default: the sandbox answers from the database and runs on the caller's thread.
    virtual bool executes_off_thread() const { return false; }

private:
    Answer execute_one(Request req, Operation op) {
        req.op = op;
        auto v = execute({req});
        return v.empty() ? Answer{} : v.front();
    }
};

}  // namespace olmd::domain
