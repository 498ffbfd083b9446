// Reading Stripe's answers (stripe_answers.hpp), against Stripe's semantics for PaymentIntents
// with capture_method=manual and without multicapture (API version 2023-08-16):
//
//  exchange                                   outcome
//  network error, timeout, 409, 429, 5xx      retry with the same key, then unknown (CAP-7)
//  answer not JSON / without id and status    unknown (never a guess)
//  2xx authorize: requires_capture            succeeded "approved" (the hold is placed)
//              succeeded / canceled           succeeded (authorized; captured or released since)
//              requires_payment_method,       declined (no hold: the card failed or needs the
//              requires_action                customer, who is not there off-session)
//              processing, requires_confirm.  unknown
//  2xx capture: succeeded                     succeeded "captured", amount_received as reported
//  2xx void:    canceled                      succeeded "canceled"
//  402 / card_error                           declined (a card decline), decline_code or code
//  401, 403                                   rejected: the key is refused, nothing happened
//  400 idempotency_error                      unknown: the key was used with other parameters
//  400 payment_intent_unexpected_state        capture / void: GET the intent, its state decides:
//    capture, intent succeeded, amount_received >= the amount asked: succeeded. Stripe captures
//      an intent at most once, so a succeeded intent received what its one capture took; when
//      that covers what we ask, the capture we are resolving is that one (a replay whose key
//      expired, CAP-7), or one that took at least as much: nothing is left to collect.
//    capture, intent succeeded, amount_received < the amount asked: declined
//      "authorization_released", amount_received = what was really received: an earlier partial
//      capture released the rest (amount_capturable 0) and capturing again is impossible (CAP-5).
//    capture, intent canceled (voided, or the authorization expired): declined "intent_canceled".
//    capture, requires_payment_method / requires_confirmation / requires_action: declined (no
//      hold to capture). requires_capture / processing: unknown (changing under us; try later).
//    void, intent succeeded: declined "already_captured", amount_received set (RA-4).
//    void, intent canceled: succeeded (the hold is already released).
//    void, processing: unknown.
//  404 authorize                              rejected (a wrong URL: nothing was created)
//  404 capture / void                         declined "resource_missing": no such intent at
//                                             Stripe, so no hold to capture or release
//  other 4xx (400 invalid_request_error ...)  rejected: Stripe refused the request itself and
//                                             applied nothing; response_code = Stripe's code
//  other statuses                             unknown
// Every answer carrying an intent fills amount_received / amount_capturable (in cents) and,
// when latest_charge is expanded, avs_result / cvv_result (also from a decline's
// error.payment_intent).
#include "gateway/stripe_answers.hpp"

#include "gateway/stripe.hpp"
#include "olmd/core/redact.hpp"

namespace olmd::gateway::stripe {

namespace {

using json = nlohmann::json;

Answer make(Outcome o, std::string code, std::string detail, std::string ref = {}) {
    Answer a;
    a.outcome = o;
    a.response_code = std::move(code);
    a.detail = std::move(detail);
    a.gateway_ref = std::move(ref);
    return a;
}

/// One card check as the database's word: pass -> match, fail -> mismatch, null -> "", else unavailable.
std::string check_word(const json& checks, const char* key) {
    const auto it = checks.find(key);
    if (it == checks.end() || it->is_null()) return {};
    const std::string v = it->is_string() ? it->get<std::string>() : "";
    if (v == "pass") return "match";
    if (v == "fail") return "mismatch";
    return "unavailable";
}

bool is_cancelable(const std::string& status) {
    return status == "requires_payment_method" || status == "requires_capture" ||
           status == "requires_confirmation" || status == "requires_action";
}

}  // namespace

std::string str_field(const json& j, const char* key) {
    if (!j.is_object()) return {};
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return {};
    return it->get<std::string>();
}

void read_checks(const json& intent, Answer& a) {
    if (!intent.is_object()) return;
    const auto charge = intent.find("latest_charge");
    if (charge == intent.end() || !charge->is_object()) return;  // an id string: not expanded
    const json* checks = nullptr;
    if (auto d = charge->find("payment_method_details"); d != charge->end() && d->is_object())
        if (auto c = d->find("card"); c != d->end() && c->is_object())
            if (auto k = c->find("checks"); k != c->end() && k->is_object()) checks = &*k;
    if (checks == nullptr) return;
    const std::string cvc = check_word(*checks, "cvc_check");
    a.cvv_result = cvc.empty() ? "unavailable" : cvc;
    const std::string line1 = check_word(*checks, "address_line1_check");
    const std::string postal = check_word(*checks, "address_postal_code_check");
    if (line1 == "mismatch" || postal == "mismatch")
        a.avs_result = "mismatch";
    else if ((line1 == "match" && (postal == "match" || postal.empty())) ||
             (line1.empty() && postal == "match"))
        a.avs_result = "match";
    else
        a.avs_result = "unavailable";
}

std::string AnswerReader::scrub(std::string text, const Request* q) const {
    auto cut = [&text](const std::string& s) {
        if (s.size() >= 4) text = redact(std::move(text), s);
    };
    cut(secret_);
    if (q != nullptr) cut(q->card_token);
    if (text.size() > 300) text.resize(300);
    return text;
}

void AnswerReader::amounts(const json& intent, Answer& a) const {
    const auto received = intent.find("amount_received");
    if (received != intent.end() && received->is_number_integer())
        a.amount_received = from_stripe_amount(received->get<std::int64_t>(), currency_);
    const auto capturable = intent.find("amount_capturable");
    if (capturable != intent.end() && capturable->is_number_integer())
        a.amount_capturable = from_stripe_amount(capturable->get<std::int64_t>(), currency_);
}

Answer AnswerReader::captured_or_released(const Request& q, const json& intent,
                                          const std::string& how) const {
    Answer a = make(Outcome::succeeded, "captured", how + ": intent succeeded", str_field(intent, "id"));
    amounts(intent, a);
    read_checks(intent, a);
    if (a.amount_received >= 0 && a.amount_received < q.amount) {
        a.outcome = Outcome::declined;
        a.response_code = std::string(kAuthorizationReleased);
        a.detail = how + ": the intent already received " + std::to_string(a.amount_received) + " of the " +
                   std::to_string(q.amount) +
                   " cents asked and released the rest (an earlier partial capture)";
    }
    return a;
}

std::optional<Answer> AnswerReader::from_intent(const Request& q, const json& intent,
                                                const std::string& how) const {
    const std::string id = str_field(intent, "id");
    const std::string status = str_field(intent, "status");
    if (id.empty() || status.empty()) return std::nullopt;
    std::optional<Answer> a;
    switch (q.op) {
        case Operation::authorize:
            if (status == "requires_capture" || status == "succeeded")
                a = make(Outcome::succeeded, "approved", how + ": intent " + status, id);
            else if (status == "canceled")  // authorized, then released or expired since
                a = make(Outcome::succeeded, "approved_then_canceled", how + ": intent canceled", id);
            else if (status == "requires_payment_method" || status == "requires_action") {
                std::string code = status == "requires_action" ? "authentication_required" : "card_declined";
                if (auto e = intent.find("last_payment_error"); e != intent.end() && e->is_object()) {
                    const std::string d = str_field(*e, "decline_code");
                    const std::string c = str_field(*e, "code");
                    if (!d.empty())
                        code = d;
                    else if (!c.empty())
                        code = c;
                }
                a = make(Outcome::declined, code, how + ": intent " + status, id);
            }
            break;
        case Operation::capture:
            if (status == "succeeded") a = captured_or_released(q, intent, how);
            break;
        case Operation::void_auth:
            if (status == "canceled") a = make(Outcome::succeeded, "canceled", how + ": intent canceled", id);
            break;
    }
    if (a) {
        amounts(intent, *a);
        read_checks(intent, *a);
    }
    return a;
}

Classified AnswerReader::classify(const Request& q, const Result<http::Response>& res) const {
    if (!res)
        return {Verdict::retry,
                make(Outcome::unknown, "network_error", "stripe: " + scrub(res.error().message, &q))};
    const long st = res->status;
    const std::string http = "http_" + std::to_string(st);
    if (st == 409 || st == 429 || st >= 500)
        return {Verdict::retry, make(Outcome::unknown, http, "stripe: HTTP " + std::to_string(st))};
    json j = json::parse(res->body, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return {Verdict::final, make(Outcome::unknown, "bad_response",
                                     "stripe: HTTP " + std::to_string(st) + " answer is not JSON")};
    if (st >= 200 && st < 300) {
        if (auto a = from_intent(q, j, "stripe")) return {Verdict::final, *a};
        const std::string status = scrub(str_field(j, "status"));
        return {Verdict::final,
                make(Outcome::unknown, status.empty() ? "bad_response" : "intent_" + status,
                     "stripe: answer without a final state (" + status + ")", str_field(j, "id"))};
    }
    const json err = j.contains("error") && j["error"].is_object() ? j["error"] : json::object();
    const std::string type = str_field(err, "type");
    const std::string code = str_field(err, "code");
    const std::string decline = str_field(err, "decline_code");
    const std::string msg = "stripe: " + scrub(str_field(err, "message"), &q);
    const json* pi = nullptr;
    if (auto it = err.find("payment_intent"); it != err.end() && it->is_object()) pi = &*it;
    std::string ref = pi != nullptr ? str_field(*pi, "id") : "";
    if (ref.empty() && q.op != Operation::authorize) ref = q.gateway_ref;
    if (st == 401 || st == 403)
        return {Verdict::final,
                make(Outcome::rejected, code.empty() ? http : code,
                     st == 401 ? "stripe refused the API key ([gateway] api_key_file)"
                               : "stripe refused the request: the API key lacks a permission")};
    if (type == "idempotency_error" || code == "idempotency_key_in_use")
        return {Verdict::final, make(Outcome::unknown, code.empty() ? type : code, msg, ref)};
    if (code == "payment_intent_unexpected_state" && q.op != Operation::authorize)
        return {Verdict::retrieve, make(Outcome::unknown, code, msg, ref)};
    if (st == 402 || type == "card_error") {
        Answer a = make(Outcome::declined,
                        !decline.empty() ? decline : (code.empty() ? "card_declined" : code), msg, ref);
        if (pi != nullptr) {
            read_checks(*pi, a);
            if (q.op != Operation::authorize) amounts(*pi, a);
        }
        return {Verdict::final, a};
    }
    if (st == 404 && q.op != Operation::authorize)
        return {Verdict::final, make(Outcome::declined, code.empty() ? "resource_missing" : code,
                                     msg + " (no such intent at Stripe)", ref)};
    if (st >= 400 && st < 500)
        return {Verdict::final, make(Outcome::rejected, !code.empty() ? code : (!type.empty() ? type : http),
                                     msg + " (HTTP " + std::to_string(st) + ", not applied)", ref)};
    return {Verdict::final, make(Outcome::unknown, http, msg, ref)};
}

std::optional<Answer> AnswerReader::after_unexpected_state(const Request& q, const json& intent) const {
    const std::string how = "stripe retrieve after unexpected state";
    const std::string id = str_field(intent, "id");
    const std::string status = str_field(intent, "status");
    if (id.empty() || status.empty()) return std::nullopt;
    std::optional<Answer> a;
    if (q.op == Operation::capture) {
        if (status == "succeeded") return captured_or_released(q, intent, how);
        if (status == "canceled" || status == "requires_payment_method" ||
            status == "requires_confirmation" || status == "requires_action")
            a = make(Outcome::declined, "intent_" + status,
                     how + ": intent " + status + ", nothing to capture", id);
    } else if (q.op == Operation::void_auth) {
        if (status == "succeeded")
            a = make(Outcome::declined, std::string(kAlreadyCaptured),
                     how + ": the authorization was already captured", id);
        else if (status == "canceled")
            a = make(Outcome::succeeded, "canceled", how + ": intent already canceled", id);
    }
    if (a) {
        amounts(intent, *a);
        read_checks(intent, *a);
    }
    return a;
}

LookupResult AnswerReader::lookup(const Request& q, const json& intent) const {
    const std::string status = str_field(intent, "status");
    const std::string how = "stripe lookup";
    auto unknown = [&] {
        return LookupResult{LookupState::unknown, make(Outcome::unknown, "intent_" + scrub(status),
                                                       how + ": intent " + scrub(status))};
    };
    switch (q.op) {
        case Operation::authorize:
            if (auto a = from_intent(q, intent, how)) return {LookupState::applied, *a};
            return unknown();
        case Operation::capture:
            if (status == "requires_capture") return {LookupState::not_applied, {}};
            if (auto a = after_unexpected_state(q, intent)) return {LookupState::applied, *a};
            return unknown();
        case Operation::void_auth:
            if (is_cancelable(status)) return {LookupState::not_applied, {}};
            if (auto a = after_unexpected_state(q, intent)) {
                a->detail = how + (a->outcome == Outcome::succeeded ? ": intent canceled"
                                                                    : ": intent already captured");
                return {LookupState::applied, *a};
            }
            return unknown();
    }
    return unknown();
}

}  // namespace olmd::gateway::stripe
