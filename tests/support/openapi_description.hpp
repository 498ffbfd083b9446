#pragma once
// The part of an OpenAPI 3 description that a form-encoded API (Stripe's) needs to check
// requests: every path template and method, and for each operation its path and query
// parameters and its application/x-www-form-urlencoded body schema. It reads the published
// file (../shared/data/stripe/spec3.json, 2.7 MB: about 0.3 s to parse in a Debug build,
// 0.9 s under AddressSanitizer) or the subset extract_subset() makes from it at build time
// (tests/StripeServer.cmake), which has the same shape and parses in milliseconds.

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "olmd/core/error.hpp"

namespace olmd::test::openapi {

/// One operation (method + path template) of the description.
struct Operation {
    std::string method;          ///< "GET", "POST", ...
    std::string path;            ///< "/v1/payment_intents/{intent}"
    std::string id;              ///< operationId, e.g. "PostPaymentIntents"
    bool described = true;       ///< false: the subset kept only that it exists (x-olmd-omitted)
    nlohmann::json body;         ///< the form body's object schema; null when the operation takes none
    nlohmann::json query;        ///< the query parameters, as one object schema (properties, required)
    nlohmann::json path_params;  ///< the path parameters, as one object schema
    nlohmann::json params;       ///< body and query together: what Stripe reads from either
};

/// A request path matched against the description.
struct Match {
    const Operation* op = nullptr;                 ///< nullptr: no operation for this method and path
    bool path_known = false;                       ///< the path exists, with other methods only
    std::map<std::string, std::string> path_args;  ///< {"intent": "pi_123"}
};

/// An indexed description; immutable once built, shared between threads.
class Description {
public:
    /// Reads and indexes the description in file; an Error names the file and what is wrong.
    static Result<std::shared_ptr<const Description>> load(const std::string& file);
    /// load(), done at most once per process for each file (the servers of one test process share it).
    static Result<std::shared_ptr<const Description>> cached(const std::string& file);
    /// Indexes an already parsed description; an Error when it is not an OpenAPI 3 document.
    static Result<std::shared_ptr<const Description>> from_json(const nlohmann::json& doc);

    /// info.version: the API version the description is of ("2023-08-16").
    const std::string& version() const { return version_; }
    /// The operation for method and path (a literal segment beats a {parameter}).
    Match match(std::string_view method, std::string_view path) const;
    /// The operation of a method and path template, or nullptr.
    const Operation* find(std::string_view method, std::string_view path_template) const;
    /// How many operations the description has.
    std::size_t size() const { return ops_.size(); }

private:
    std::string version_;
    std::vector<Operation> ops_;
};

/// The description reduced to the listed (method, path template) operations, with their
/// parameters and form body schemas exactly as published, minus descriptions and responses;
/// every other operation is kept as {"operationId", "x-olmd-omitted": true}. An Error when a
/// listed operation is missing or uses a $ref (the subset keeps no components).
Result<nlohmann::json> extract_subset(const nlohmann::json& full,
                                      const std::vector<std::pair<std::string, std::string>>& ops);

/// The operations the Stripe test server implements (method, path template).
const std::vector<std::pair<std::string, std::string>>& stripe_operations();

}  // namespace olmd::test::openapi
