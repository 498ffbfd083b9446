#include "olmd/core/database_uri.hpp"

#include <algorithm>
#include <cctype>

namespace olmd {

namespace {

constexpr std::string_view kSchemes[] = {"postgresql://", "postgres://"};

/// The length of the scheme prefix of uri, 0 when it has none of kSchemes (lower case, as libpq reads them).
std::size_t scheme_length(std::string_view uri) {
    for (auto s : kSchemes)
        if (uri.starts_with(s)) return s.size();
    return 0;
}

/// True when the query parameter `param` (name=value) is a password.
bool is_password_param(std::string_view param) {
    const std::string_view name = param.substr(0, param.find('='));
    constexpr std::string_view kPassword = "password";
    return name.size() == kPassword.size() &&
           std::equal(name.begin(), name.end(), kPassword.begin(),
                      [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
}

/// The query string (after '?') without its password parameters; "" when none is left.
std::string without_password_params(std::string_view query) {
    std::string out;
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view param = query.substr(0, amp);
        if (!param.empty() && !is_password_param(param)) {
            if (!out.empty()) out += '&';
            out += param;
        }
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return out;
}

}  // namespace

bool is_postgres_uri(std::string_view database) {
    return scheme_length(database) > 0;
}

std::string redact_database_uri(std::string_view uri) {
    const std::size_t scheme = scheme_length(uri);
    if (scheme == 0) return std::string(uri);
    const std::string_view rest = uri.substr(scheme);
    std::string out(uri.substr(0, scheme));
    // The user info ends at the last '@': a password holding a raw '@', '/' or '?' is still dropped
    // whole (when in doubt, more is dropped, never less), unless that '@' is inside a query value
    // (after a '?' and a '='): then it ends at the last '@' before that '?'.
    std::size_t at = rest.rfind('@');
    if (at != std::string_view::npos) {
        const std::size_t q = rest.rfind('?', at);
        if (q != std::string_view::npos && rest.substr(q, at - q).find('=') != std::string_view::npos)
            at = rest.substr(0, q).rfind('@');
    }
    std::string_view host_part = rest;
    if (at != std::string_view::npos) {
        const std::string_view userinfo = rest.substr(0, at);
        out += userinfo.substr(0, userinfo.find(':'));
        host_part = rest.substr(at);
    }
    const std::size_t q = host_part.find('?');
    out += host_part.substr(0, q);
    if (q != std::string_view::npos) {
        const std::string kept = without_password_params(host_part.substr(q + 1));
        if (!kept.empty()) out += "?" + kept;
    }
    return out;
}

}  // namespace olmd
