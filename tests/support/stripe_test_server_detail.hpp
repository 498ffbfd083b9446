#pragma once
// Helpers shared by the Stripe test server's files (stripe_test_server*.cpp): Stripe's error
// bodies, the JSON of a Charge, and the conventions of test PaymentMethod names.

#include <nlohmann/json.hpp>
#include <string>

#include "support/stripe_test_server.hpp"

namespace olmd::test::stripe_detail {

/// s in lower case.
std::string lower(std::string s);
/// True when s contains part, ignoring case.
bool has(const std::string& s, const char* part);
/// Stripe's error body {"error": {type, code, doc_url, param, message}} (empty code/param left out).
nlohmann::json error_json(const std::string& type, const std::string& code, const std::string& param,
                          const std::string& message);
/// null for "", else the string.
nlohmann::json null_or(const std::string& s);
/// The string parameter key of a checked parameter tree, or "".
std::string text(const nlohmann::json& params, const char* key);
/// True when an API version is the date given or later (versions compare on YYYY-MM-DD).
bool at_least(const std::string& version, const char* date);
/// Sets the intent's card checks from its PaymentMethod's name (stripe_test_server.hpp).
void set_checks(TestIntent& t);
/// The intent's latest Charge, as Stripe shows it expanded.
nlohmann::json charge_json(const TestIntent& t);
/// An intent as added by a test: derived amount_capturable, charge and PaymentMethod filled in.
TestIntent normalized(TestIntent t);

}  // namespace olmd::test::stripe_detail
