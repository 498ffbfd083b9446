#pragma once
// HTTP(S) client, the project's only user of libcurl: plain values in, plain
// values out. A transport failure (DNS, refused, timeout, TLS) is an Error; any
// HTTP status, including 4xx/5xx, is a Response. TLS peers are always verified,
// redirects are never followed, and error messages never carry credentials or
// a query string.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "olmd/core/error.hpp"
#include "olmd/core/stop_token.hpp"

namespace olmd::http {

using Header = std::pair<std::string, std::string>;

/// One HTTP request.
struct Request {
    std::string method = "GET";    ///< GET, HEAD, POST, PUT, PATCH or DELETE
    std::string url;               ///< http:// or https://
    std::vector<Header> headers;   ///< sent as given ("Name", "value"); no CR/LF allowed
    std::string body;              ///< sent for POST/PUT/PATCH (and DELETE when not empty)
    long timeout_ms = 10000;       ///< whole transfer, > 0
    long connect_timeout_ms = 3000;  ///< TCP + TLS handshake, > 0
    std::optional<std::pair<std::string, std::string>> basic_auth;  ///< user, password
    /// OPS-2: after a stop request (SIGTERM) the transfer may go on for stop_grace_ms, so that an answer
    /// on its way still arrives; then it ends (within about a second more) with an Error that says so,
    /// whatever the server does. null: the transfer runs to its end or its timeout. Must outlive it.
    const StopToken* stop = nullptr;
    long stop_grace_ms = 2000;  ///< >= 0
};

/// One HTTP response (of any status).
struct Response {
    long status = 0;
    std::string body;               ///< decoded (gzip/deflate/br are undone)
    std::vector<Header> headers;    ///< of the final response, names as received

    /// The first header named name (case-insensitive), or nullopt.
    std::optional<std::string> header(std::string_view name) const;
};

/// Bodies larger than this end the transfer with an Error.
inline constexpr std::size_t max_response_bytes = 16 * 1024 * 1024;

/// Performs req and waits for it; an Error only for a transport failure or a malformed request.
Result<Response> perform(const Request& req);

/// Performs all reqs with at most concurrency (>= 1) of them in flight at once; the
/// i-th result answers reqs[i], and one request's failure does not affect the others.
std::vector<Result<Response>> perform_all(const std::vector<Request>& reqs, int concurrency);

/// Called on the performing thread as each transfer ends, with the request's index and its result;
/// the requests it returns join the same run (their indexes follow every earlier one).
using Completion = std::function<std::vector<Request>(std::size_t index, Result<Response> result)>;

/// Performs reqs with at most concurrency (>= 1) in flight, handing each result to done as soon as
/// its transfer ends (while the others are still in flight); returns when every request, the added
/// ones included, has been handed over exactly once.
void perform_streaming(std::vector<Request> reqs, int concurrency, const Completion& done);

/// Percent-encodes every byte of s except RFC 3986 unreserved characters.
std::string url_encode(std::string_view s);

/// application/x-www-form-urlencoded body: "k1=v1&k2=v2" with keys and values url_encode()d.
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields);

/// url fit for a log or error message: user info dropped, query and fragment replaced by "?<redacted>".
std::string redact_url(std::string_view url);

}  // namespace olmd::http
