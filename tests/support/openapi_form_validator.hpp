#pragma once
// Checks one form-encoded request against its operation in an OpenAPI description, the way
// Stripe reads and refuses parameters:
//  - the body (application/x-www-form-urlencoded) and the query string are decoded into one
//    tree: `a[b]=1` is an object, `a[]=x&a[]=y` (or `a[0]=x`) an array, `a[][b]=1` an array of
//    objects; every leaf is a string;
//  - the tree is checked against the schema: an unknown parameter (an object schema with
//    additionalProperties false, or with properties and no additionalProperties: Stripe refuses
//    unknown nested keys too), a missing required one, a wrong type ("true"/"false" for
//    booleans, digits for integers), a value outside an enum, a string over maxLength, an empty
//    value where the schema does not allow "" (anyOf with enum [""] is Stripe's "unset"), an
//    object or array given as a plain value;
//  - each refusal carries Stripe's code and wording: parameter_unknown ("Received unknown
//    parameter: NAME"), parameter_missing ("Missing required param: NAME."),
//    parameter_invalid_integer ("Invalid integer: V"), parameter_invalid_empty ("You passed an
//    empty string for 'NAME'. ..."), and, without a code as Stripe gives them, "Invalid boolean:
//    V", "Invalid NAME: must be one of a, b, or c", "Invalid string: V; must be at most N
//    characters", "Invalid hash", "Invalid array".
// Enums marked x-stripeBypassValidation are enforced all the same: never kinder than Stripe.

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/openapi_description.hpp"

namespace olmd::test::openapi {

/// Decoded key=value pairs of a form body or a query string, in order.
using Pairs = std::vector<std::pair<std::string, std::string>>;

/// Decodes application/x-www-form-urlencoded text ('+' and %XX); a bad escape is kept as written.
Pairs parse_form(std::string_view text);

/// Why a request breaks the description, as Stripe words it (HTTP 400, invalid_request_error).
struct FormError {
    std::string code;     ///< "parameter_unknown", ...; "" where Stripe gives none
    std::string param;    ///< the parameter, in form notation: "metadata[olmd_key]", "expand[0]"
    std::string message;  ///< Stripe's message
};

/// The outcome of a check: the parameters as a tree (objects, arrays, string leaves), or why not.
struct Checked {
    nlohmann::json params = nlohmann::json::object();
    std::optional<FormError> error;
};

/// Builds the parameter tree of pairs; an error when keys conflict ("a=1&a[b]=2").
Checked decode(const Pairs& pairs);

/// Checks a request for op: query and body pairs (Stripe reads both as parameters) and the path
/// arguments. An operation the description lists without its schema (a subset's omitted one)
/// is reported as not checkable.
Checked check_request(const Operation& op, const Pairs& query, const Pairs& body,
                      const std::map<std::string, std::string>& path_args);

/// Checks a decoded value (tree) against a schema in place (index-keyed objects become arrays);
/// name is the parameter's form name for messages.
std::optional<FormError> check_value(const nlohmann::json& schema, nlohmann::json& value,
                                     const std::string& name);

}  // namespace olmd::test::openapi
