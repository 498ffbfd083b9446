// The sandbox gateway (cli.md): decides by the card_token and gateway_ref, keeps
// every applied request in sandbox_ledger under its idempotency key, answers a
// repeated key from the ledger, and loses the first answer of a request whose
// token (or authorization) contains "timeout".
#include "gateway/sandbox.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "gateway/sandbox_rules.hpp"
#include "olmd/store/sandbox_ledger.hpp"

namespace olmd::gateway {

namespace {

bool contains(const std::string& s, std::string_view p) { return s.find(p) != std::string::npos; }

Answer from_row(const store::LedgerRow& r) {
    Answer a;
    a.outcome = r.outcome == "succeeded" ? Outcome::succeeded : Outcome::declined;
    a.gateway_ref = r.gateway_ref;
    a.avs_result = r.avs_result;
    a.cvv_result = r.cvv_result;
    a.response_code = r.response_code;
    a.detail = "sandbox: " + r.response_code;
    return a;
}

Answer unknown(std::string code, std::string detail) {
    Answer a;
    a.outcome = Outcome::unknown;
    a.response_code = std::move(code);
    a.detail = std::move(detail);
    return a;
}

/// True when the stored row was made by the same request (Stripe's idempotency semantics).
bool same_request(const store::LedgerRow& r, const Request& q) {
    if (r.operation != to_string(q.op) || r.amount_cents != q.amount) return false;
    if (q.op == Operation::authorize) return r.card_token == q.card_token;
    return r.request_ref == q.gateway_ref;
}

class SandboxGateway final : public Gateway {
public:
    explicit SandboxGateway(std::unique_ptr<store::SandboxLedger> ledger) : ledger_(std::move(ledger)) {}

    std::string_view name() const override { return "sandbox"; }

    std::vector<Answer> execute(const std::vector<Request>& reqs) override {
        std::vector<Answer> out;
        out.reserve(reqs.size());
        if (reqs.empty()) return out;
        auto fail_all = [&](const std::string& why) {
            spdlog::warn("sandbox gateway: {}", why);
            out.assign(reqs.size(), unknown("sandbox_error", why));
            return out;
        };
        if (auto st = ledger_->begin(); !st) return fail_all(st.error().message);
        for (const Request& q : reqs) {
            auto a = apply(q);
            if (!a) {
                ledger_->rollback();
                return fail_all(a.error().message);
            }
            out.push_back(std::move(*a));
        }
        if (auto st = ledger_->commit(); !st) return fail_all(st.error().message);
        return out;
    }

    LookupResult lookup(const Request& q) override {
        auto row = ledger_->find(q.idempotency_key);
        if (!row) return LookupResult{LookupState::unknown, unknown("sandbox_error", row.error().message)};
        if (!*row) return LookupResult{LookupState::not_applied, {}};
        return LookupResult{LookupState::applied, from_row(**row)};
    }

private:
    /// Capture and void of an existing authorization (cli.md table): what the tokens decide
    /// (sandbox_token_verdict), then by the ledger: declined for an authorization voided, a void
    /// of one already captured, or a capture above what the authorization still holds.
    Status decide_on_authorization(const Request& q, store::LedgerRow& r) {
        r.gateway_ref = q.gateway_ref;
        const bool capture = q.op == Operation::capture;
        if (const TokenVerdict v = sandbox_token_verdict(q); v.decided) {
            r.outcome = v.declined ? "declined" : "succeeded";
            r.response_code = v.response_code;
            return ok_status();
        }
        auto h = ledger_->hold(q.gateway_ref);
        if (!h) return h.error();
        r.amount_received = h->captured;
        if (h->voided) {
            r.outcome = "declined";
            r.response_code = capture ? "authorization_voided" : "already_voided";
        } else if (!capture && h->captured_here) {
            r.outcome = "declined";
            r.response_code = std::string(kAlreadyCaptured);
        } else if (capture && h->authorized < 0) {
            r.outcome = "declined";
            r.response_code = "no_such_authorization";
        } else if (capture && q.amount > h->authorized - h->captured) {
            r.outcome = "declined";
            r.response_code = h->authorized == h->captured ? std::string(kAlreadyCaptured) : "amount_exceeds_authorization";
        } else if (capture) {
            r.amount_received = h->captured + q.amount;
        }
        authorized_ = h->authorized;
        return ok_status();
    }

    /// The amounts a capture or void answer reports (amount_received / amount_capturable).
    void report_amounts(const Request& q, const store::LedgerRow& r, Cents authorized, Answer& a) const {
        if (q.op == Operation::authorize || r.amount_received < 0) return;
        a.amount_received = r.amount_received;
        const bool released = q.op == Operation::void_auth && r.outcome == "succeeded";
        if (authorized >= 0) a.amount_capturable = released ? 0 : std::max<Cents>(0, authorized - r.amount_received);
    }

    Result<Answer> apply(const Request& q) {
        authorized_ = -1;
        if (q.idempotency_key.empty()) return unknown("invalid_request", "sandbox: no idempotency key");
        auto found = ledger_->find(q.idempotency_key);
        if (!found) return found.error();
        if (*found) {
            const store::LedgerRow& r = **found;
            if (!same_request(r, q))
                return unknown("idempotency_error",
                               "sandbox: idempotency key reused with different parameters; nothing applied");
            if (auto st = ledger_->mark_resent(r.id); !st) return st.error();
            Answer a = from_row(r);
            if (q.op != Operation::authorize) {
                auto h = ledger_->hold(q.gateway_ref);
                if (!h) return h.error();
                report_amounts(q, r, h->authorized, a);
            }
            return a;
        }
        store::LedgerRow r;
        r.idempotency_key = q.idempotency_key;
        r.operation = std::string(to_string(q.op));
        r.amount_cents = q.amount;
        r.card_token = q.op == Operation::authorize ? q.card_token : std::string();
        r.request_ref = q.op == Operation::authorize ? std::string() : q.gateway_ref;
        r.outcome = "succeeded";
        r.response_code = "approved";
        switch (q.op) {
            case Operation::authorize: {
                const TokenVerdict v = sandbox_token_verdict(q);
                r.outcome = v.declined ? "declined" : "succeeded";
                r.response_code = v.response_code;
                r.avs_result = v.avs_result;
                r.cvv_result = v.cvv_result;
                break;
            }
            case Operation::capture:
            case Operation::void_auth:
                if (auto st = decide_on_authorization(q, r); !st) return st.error();
                break;
        }
        // The timeout token: the request is applied, but its first answer is lost.
        const bool lose = contains(q.card_token, "timeout") || contains(q.gateway_ref, "timeout");
        r.answered = !lose;
        auto id = ledger_->insert(r);
        if (!id) return id.error();
        if (q.op == Operation::authorize && r.outcome == "succeeded") {
            r.gateway_ref = "sbx_auth_" + std::to_string(*id);
            if (auto st = ledger_->set_gateway_ref(*id, r.gateway_ref); !st) return st.error();
        }
        if (lose) return unknown("timeout", "sandbox: the answer was lost (timeout token)");
        Answer a = from_row(r);
        report_amounts(q, r, authorized_, a);
        return a;
    }

    std::unique_ptr<store::SandboxLedger> ledger_;
    Cents authorized_ = -1;  ///< the authorization's amount, as the request in hand found it
};

}  // namespace

Result<std::unique_ptr<Gateway>> make_sandbox_gateway(store::Database& db) {
    auto ledger = store::SandboxLedger::open(db);
    if (!ledger) return ledger.error();
    return std::unique_ptr<Gateway>(std::make_unique<SandboxGateway>(std::move(*ledger)));
}

}  // namespace olmd::gateway
