#pragma once
// How the Stripe gateway reads Stripe's answers (stripe_answers.cpp holds the reasoning for
// each case). Internal to src/gateway/stripe*.cpp.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "olmd/gateway/gateway.hpp"
#include "olmd/http/client.hpp"

namespace olmd::gateway::stripe {

/// What to do after one HTTP exchange.
enum class Verdict {
    final,     ///< the answer stands
    retry,     ///< send the same request again, same key, after a backoff (then unknown)
    retrieve,  ///< payment_intent_unexpected_state: GET the intent and let its state decide
};

/// One exchange's classification; answer holds the outcome when final (unknown otherwise).
struct Classified {
    Verdict verdict = Verdict::final;
    Answer answer;
};

/// Reads answers for one configured currency, keeping the secret key out of every text.
class AnswerReader {
public:
    /// currency: [gateway] currency (lower case); secret: the API key, never to be shown.
    AnswerReader(std::string currency, std::string secret)
        : currency_(std::move(currency)), secret_(std::move(secret)) {}

    /// The classification of the answer (or transport error) to request q.
    Classified classify(const Request& q, const Result<http::Response>& res) const;
    /// The outcome of a capture or void refused with payment_intent_unexpected_state, from the
    /// intent retrieved since; nullopt when its state decides nothing yet (unknown).
    std::optional<Answer> after_unexpected_state(const Request& q, const nlohmann::json& intent) const;
    /// What a lookup of q found in intent (retrieved by id, or found by the olmd_key search).
    LookupResult lookup(const Request& q, const nlohmann::json& intent) const;
    /// text without the secret key or q's card token, cut to 300 characters.
    std::string scrub(std::string text, const Request* q = nullptr) const;

private:
    std::optional<Answer> from_intent(const Request& q, const nlohmann::json& intent,
                                      const std::string& how) const;
    Answer captured_or_released(const Request& q, const nlohmann::json& intent, const std::string& how) const;
    void amounts(const nlohmann::json& intent, Answer& a) const;

    std::string currency_;
    std::string secret_;
};

/// A text field of a JSON object, or "".
std::string str_field(const nlohmann::json& j, const char* key);

/// Stripe's card checks of the intent's expanded latest_charge as avs_result / cvv_result.
void read_checks(const nlohmann::json& intent, Answer& a);

}  // namespace olmd::gateway::stripe
