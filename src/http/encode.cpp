// URL/form encoding, URL redaction and header lookup.

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <new>

#include "http/transfer.hpp"
#include "olmd/http/client.hpp"

namespace olmd::http {

std::optional<std::string> Response::header(std::string_view name) const {
    const auto same = [](unsigned char a, unsigned char b) { return std::tolower(a) == std::tolower(b); };
    for (const auto& [n, v] : headers)
        if (std::equal(n.begin(), n.end(), name.begin(), name.end(), same)) return v;
    return std::nullopt;
}

std::string url_encode(std::string_view s) {
    (void)detail::ensure_global_init();
    std::string out;
    out.reserve(s.size());
    // curl_easy_escape takes an int length (and ignores its handle since libcurl 7.82).
    constexpr std::size_t chunk = 1 << 20;
    for (std::size_t pos = 0; pos < s.size(); pos += chunk) {
        const std::size_t len = std::min(chunk, s.size() - pos);
        char* e = curl_easy_escape(nullptr, s.data() + pos, static_cast<int>(len));
        if (e == nullptr) throw std::bad_alloc();
        out += e;
        curl_free(e);
    }
    return out;
}

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string out;
    for (const auto& [k, v] : fields) {
        if (!out.empty()) out += '&';
        out += url_encode(k);
        out += '=';
        out += url_encode(v);
    }
    return out;
}

std::string redact_url(std::string_view url) {
    std::string_view rest = url;
    std::string out;
    if (const auto scheme = url.find("://"); scheme != std::string_view::npos) {
        out = std::string(url.substr(0, scheme + 3));
        rest = url.substr(scheme + 3);
    }
    const auto authority_end = std::min(rest.find_first_of("/?#"), rest.size());
    const auto at = rest.substr(0, authority_end).rfind('@');
    if (at != std::string_view::npos) rest.remove_prefix(at + 1);
    const auto query = rest.find_first_of("?#");
    out += rest.substr(0, query);
    if (query != std::string_view::npos) out += "?<redacted>";
    return out;
}

}  // namespace olmd::http
