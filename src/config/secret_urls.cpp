// OPS-11: the URLs that carry a secret (gateway, geolocation) are https://, except
// a loopback host used by tests.

#include <cctype>
#include <string>
#include <string_view>

#include "section_readers.hpp"
#include "suggest.hpp"

namespace olmd::config::detail {

namespace {

/// The host of "scheme://[user@]host[:port][/...]" (brackets kept off an IPv6 literal).
std::string host_of(std::string_view rest) {
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
    if (rest.starts_with('[')) {
        const auto close = rest.find(']');
        return std::string(close == std::string_view::npos ? rest.substr(1) : rest.substr(1, close - 1));
    }
    return std::string(rest.substr(0, rest.find(':')));
}

/// True for 127.0.0.0/8 written as four decimal octets.
bool is_ipv4_loopback(const std::string& h) {
    int octets = 0, value = -1;
    for (std::size_t i = 0; i <= h.size(); ++i) {
        if (i == h.size() || h[i] == '.') {
            if (value < 0 || value > 255) return false;
            if (octets == 0 && value != 127) return false;
            ++octets;
            value = -1;
        } else if (std::isdigit(static_cast<unsigned char>(h[i]))) {
            value = (value < 0 ? 0 : value) * 10 + (h[i] - '0');
            if (value > 255) return false;
        } else {
            return false;
        }
    }
    return octets == 4;
}

}  // namespace

bool is_loopback_host(const std::string& host) {
    const std::string h = lower(host);
    return h == "localhost" || h == "::1" || is_ipv4_loopback(h);
}

std::string secret_url_problem(const std::string& url) {
    const std::string l = lower(url.substr(0, 8));
    const bool https = l.starts_with("https://"), http = l.starts_with("http://");
    if (!https && !http) return "expected an \"https://…\" base URL, got " + quote_value(url);
    const std::string host = host_of(std::string_view(url).substr(https ? 8 : 7));
    if (host.empty()) return "the URL " + quote_value(url) + " has no host";
    if (http && !is_loopback_host(host))
        return quote_value(url) +
               " is plain http: the API key would travel in clear text; use https:// (http:// is allowed only "
               "for a loopback host, 127.0.0.0/8, ::1 or localhost, as tests use) (OPS-11)";
    return "";
}

}  // namespace olmd::config::detail
