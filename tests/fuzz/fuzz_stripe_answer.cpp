// libFuzzer target: how the Stripe gateway reads Stripe's answers (src/gateway/stripe_answers:
// AnswerReader::classify, after_unexpected_state, lookup).
// Input: an optional first line "OP STATUS [CURRENCY [AMOUNT]]" (OP authorize|capture|void,
// STATUS an HTTP status or "ERR" for a transport error; default "authorize 200 usd 1000"),
// then the HTTP body.
// Properties: nothing escapes; every answer has a response code; no detail carries the API key
// or the card token; a retry is unknown; only a 2xx succeeds; a retrieve is a capture/void
// refused with payment_intent_unexpected_state; a capture never succeeds below its amount;
// a lookup "applied" (and after_unexpected_state) is succeeded or declined.

#include <charconv>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

#include "fuzz_check.hpp"
#include "gateway/stripe.hpp"
#include "gateway/stripe_answers.hpp"
#include "known_findings.hpp"

namespace {

using namespace olmd;
using namespace olmd::gateway;
using nlohmann::json;

constexpr const char* kSecret = "sk_test_FUZZ0secret0key";
constexpr const char* kCard = "pm_card_FUZZ0token";

/// One exchange: the request, the currency and what came back.
struct Exchange {
    Request q;
    std::string currency = "usd";
    long status = 200;
    bool transport_error = false;
    std::string body;
};

/// Reads the optional header line (see the file comment); the rest is the body.
Exchange read_exchange(std::string_view text) {
    Exchange x;
    x.q.amount = 1000;
    x.q.card_token = kCard;
    x.q.idempotency_key = "olmd-fuzz-1";
    std::string_view rest = text;
    std::string_view head = fuzz::take_line(rest);
    const auto word = [&head] {
        while (!head.empty() && head.front() == ' ') head.remove_prefix(1);
        const std::string_view w = head.substr(0, head.find(' '));
        head.remove_prefix(w.size());
        return w;
    };
    const std::string_view op = word();
    if (op != "authorize" && op != "capture" && op != "void") {
        x.body = std::string(text);
        return x;
    }
    x.q.op = op == "authorize" ? Operation::authorize : op == "capture" ? Operation::capture : Operation::void_auth;
    if (x.q.op != Operation::authorize) x.q.gateway_ref = "pi_FUZZ0intent";
    const std::string_view st = word();
    x.transport_error = st == "ERR";
    std::from_chars(st.data(), st.data() + st.size(), x.status);
    if (const std::string_view c = word(); !c.empty()) x.currency = std::string(c);
    const std::string_view a = word();
    if (Cents v = 0; std::from_chars(a.data(), a.data() + a.size(), v).ec == std::errc{} && v >= 0) x.q.amount = v;
    x.body = std::string(rest);
    return x;
}

/// F5: an amount Stripe reports that overflows when scaled to cents for a zero-decimal currency.
bool overflowing_amount(const json& j, const std::string& currency) {
    if (!fuzz::known::kF5StripeAmountOverflow || !j.is_object()) return false;
    if (to_stripe_amount(100, currency) != 1) return false;  // only zero-decimal currencies scale up
    const auto big = [](const json& o, const char* k) {
        const auto it = o.find(k);
        return it != o.end() && it->is_number_integer() &&
               (it->get<std::int64_t>() > std::numeric_limits<Cents>::max() / 100 ||
                it->get<std::int64_t>() < std::numeric_limits<Cents>::min() / 100);
    };
    const auto intent = [&](const json& o) { return o.is_object() && (big(o, "amount_received") || big(o, "amount_capturable")); };
    const auto e = j.find("error");
    return intent(j) || (e != j.end() && e->is_object() && e->contains("payment_intent") && intent((*e)["payment_intent"]));
}

void check_answer(const Request& q, const Answer& a, const std::string& where) {
    const std::string seen = where + ": " + a.response_code + " / " + a.detail;
    FUZZ_CHECK(!a.response_code.empty(), seen);
    FUZZ_CHECK(a.detail.find(kSecret) == std::string::npos && a.detail.find(kCard) == std::string::npos, seen);
    if (q.op == Operation::capture && a.outcome == Outcome::succeeded)
        FUZZ_CHECK(a.amount_received < 0 || a.amount_received >= q.amount, seen);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const Exchange x = read_exchange(fuzz::as_text(data, size));
    const json j = json::parse(x.body, nullptr, /*allow_exceptions=*/false);
    if (overflowing_amount(j, x.currency)) return 0;
    const stripe::AnswerReader reader(x.currency, kSecret);
    Result<http::Response> res = x.transport_error ? Result<http::Response>(Error{"transfer failed: " + x.body})
                                                   : Result<http::Response>(http::Response{x.status, x.body, {}});
    const stripe::Classified c = reader.classify(x.q, res);
    check_answer(x.q, c.answer, "classify");
    const std::string seen = c.answer.response_code + " / " + c.answer.detail;
    if (c.verdict == stripe::Verdict::retry) FUZZ_CHECK(c.answer.outcome == Outcome::unknown, seen);
    if (c.verdict == stripe::Verdict::retrieve)
        FUZZ_CHECK(x.q.op != Operation::authorize && c.answer.response_code == "payment_intent_unexpected_state", seen);
    if (c.answer.outcome == Outcome::succeeded) FUZZ_CHECK(!x.transport_error && x.status / 100 == 2, seen);

    if (j.is_discarded()) return 0;
    if (auto a = reader.after_unexpected_state(x.q, j)) {
        check_answer(x.q, *a, "after_unexpected_state");
        FUZZ_CHECK(a->outcome == Outcome::succeeded || a->outcome == Outcome::declined, a->response_code);
    }
    const LookupResult l = reader.lookup(x.q, j);
    if (l.state == LookupState::applied) {
        check_answer(x.q, l.answer, "lookup");
        FUZZ_CHECK(l.answer.outcome == Outcome::succeeded || l.answer.outcome == Outcome::declined,
                   l.answer.response_code);
    }
    return 0;
}
