#include "http/transfer.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string_view>

#include "olmd/core/redact.hpp"
#include "olmd/core/text.hpp"
#ifndef OLMD_VERSION
#define OLMD_VERSION "dev"
#endif

namespace olmd::http::detail {
namespace {

bool iequals_prefix(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

/// A header whose value is a credential (its value is scrubbed from messages).
bool is_sensitive_header(std::string_view name) {
    const std::string n = ascii_lower(name);
    return n == "authorization" || n == "proxy-authorization" || n == "cookie" ||
           n.find("key") != std::string::npos || n.find("token") != std::string::npos ||
           n.find("secret") != std::string::npos || n.find("auth") != std::string::npos;
}

/// The parts of url that may hold a secret: user info, the query, and each query value.
std::vector<std::string> url_secrets(const std::string& url) {
    std::vector<std::string> out{url};
    const auto scheme_end = url.find("://");
    const auto authority = scheme_end == std::string::npos ? 0 : scheme_end + 3;
    const auto authority_end = url.find_first_of("/?#", authority);
    const auto at = url.rfind('@', authority_end == std::string::npos ? url.size() : authority_end);
    if (at != std::string::npos && at >= authority) out.push_back(url.substr(authority, at - authority));
    const auto q = url.find('?');
    if (q == std::string::npos) return out;
    const std::string query = url.substr(q + 1);
    out.push_back(query);
    std::size_t pos = 0;
    while (pos <= query.size()) {
        const auto amp = std::min(query.find('&', pos), query.size());
        const auto eq = query.find('=', pos);
        if (eq != std::string::npos && eq < amp) {
            const std::string value = query.substr(eq + 1, amp - eq - 1);
            if (value.size() < 4) {  // too short to be a secret; scrubbing it would garble messages
                pos = amp + 1;
                continue;
            }
            out.push_back(value);
            int len = 0;
            if (char* decoded = curl_easy_unescape(nullptr, value.c_str(), static_cast<int>(value.size()), &len)) {
                out.emplace_back(decoded, static_cast<std::size_t>(len));
                curl_free(decoded);
            }
        }
        pos = amp + 1;
    }
    return out;
}

}  // namespace

Status ensure_global_init() {
    // A function-local static is initialized exactly once, even with concurrent callers.
    // libcurl is never cleaned up: threads may still use it while statics are destroyed.
    static const CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
    if (rc != CURLE_OK) return Error{std::string("cannot initialize libcurl: ") + curl_easy_strerror(rc)};
    return ok_status();
}

Result<std::unique_ptr<Transfer>> Transfer::create(const Request& req) {
    if (auto st = ensure_global_init(); !st) return st.error();
    std::unique_ptr<Transfer> t(new Transfer());
    t->what_ = req.method + " " + redact_url(req.url);
    t->curl_ = curl_easy_init();
    if (t->curl_ == nullptr) return Error{t->what_ + ": cannot create a libcurl handle"};
    if (auto st = t->setup(req); !st) return st.error().with_context(t->what_);
    return t;
}

Transfer::~Transfer() {
    if (curl_ != nullptr) curl_easy_cleanup(curl_);
    curl_slist_free_all(header_list_);
}

Status Transfer::setup(const Request& req) {
    if (!iequals_prefix(req.url, "http://") && !iequals_prefix(req.url, "https://"))
        return Error{"the URL must start with http:// or https://"};
    if (req.timeout_ms <= 0 || req.connect_timeout_ms <= 0)
        return Error{"timeout_ms and connect_timeout_ms must be positive"};
    secrets_ = url_secrets(req.url);
    if (req.basic_auth) {
        if (!req.basic_auth->second.empty()) secrets_.push_back(req.basic_auth->second);
        secrets_.push_back(req.basic_auth->first + ":" + req.basic_auth->second);
    }
    bool has_expect = false;
    for (const auto& [name, value] : req.headers) {
        if (name.empty() || name.find_first_of(":\r\n") != std::string::npos ||
            value.find_first_of("\r\n") != std::string::npos)
            return Error{"invalid header name or value (empty name, or a ':', CR or LF where none may be)"};
        if (is_sensitive_header(name) && !value.empty()) secrets_.push_back(value);
        if (ascii_lower(name) == "expect") has_expect = true;
        // "Name;" is libcurl's way to send a header with an empty value.
        const std::string line = value.empty() ? name + ";" : name + ": " + value;
        curl_slist* next = curl_slist_append(header_list_, line.c_str());
        if (next == nullptr) return Error{"out of memory"};
        header_list_ = next;
    }
    if (!has_expect) {  // no "Expect: 100-continue" round trip for large bodies
        curl_slist* next = curl_slist_append(header_list_, "Expect:");
        if (next == nullptr) return Error{"out of memory"};
        header_list_ = next;
    }
    std::sort(secrets_.begin(), secrets_.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });

    CURL* c = curl_;
    bool ok = curl_easy_setopt(c, CURLOPT_URL, req.url.c_str()) == CURLE_OK;
#if LIBCURL_VERSION_NUM >= 0x075500
    ok = ok && curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK;
#else
    ok = ok && curl_easy_setopt(c, CURLOPT_PROTOCOLS, long{CURLPROTO_HTTP | CURLPROTO_HTTPS}) == CURLE_OK;
#endif
    ok = ok && curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) == CURLE_OK;
    ok = ok && curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L) == CURLE_OK;
    ok = ok && curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L) == CURLE_OK;
    ok = ok && curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK;
    ok = ok && curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, req.timeout_ms) == CURLE_OK;
    ok = ok && curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, req.connect_timeout_ms) == CURLE_OK;
    ok = ok && curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "") == CURLE_OK;
    ok = ok && curl_easy_setopt(c, CURLOPT_USERAGENT, "olmd/" OLMD_VERSION) == CURLE_OK;
    ok = ok && curl_easy_setopt(c, CURLOPT_HTTPHEADER, header_list_) == CURLE_OK;
    ok = ok && curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf_) == CURLE_OK;
    ok = ok && curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &Transfer::on_body) == CURLE_OK;
    ok = ok && curl_easy_setopt(c, CURLOPT_WRITEDATA, this) == CURLE_OK;
    ok = ok && curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &Transfer::on_header) == CURLE_OK;
    ok = ok && curl_easy_setopt(c, CURLOPT_HEADERDATA, this) == CURLE_OK;
    if (req.stop != nullptr) {
        stop_ = req.stop;
        stop_grace_ = std::chrono::milliseconds(std::max(0L, req.stop_grace_ms));
        ok = ok && curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L) == CURLE_OK;
        ok = ok && curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, &Transfer::on_progress) == CURLE_OK;
        ok = ok && curl_easy_setopt(c, CURLOPT_XFERINFODATA, this) == CURLE_OK;
    }
    if (req.basic_auth) {
        ok = ok && curl_easy_setopt(c, CURLOPT_HTTPAUTH, long{CURLAUTH_BASIC}) == CURLE_OK;
        ok = ok && curl_easy_setopt(c, CURLOPT_USERNAME, req.basic_auth->first.c_str()) == CURLE_OK;
        ok = ok && curl_easy_setopt(c, CURLOPT_PASSWORD, req.basic_auth->second.c_str()) == CURLE_OK;
    }
    const std::string& m = req.method;
    const bool sends_body = m == "POST" || m == "PUT" || m == "PATCH" || (m == "DELETE" && !req.body.empty());
    if (m == "GET") {
        ok = ok && curl_easy_setopt(c, CURLOPT_HTTPGET, 1L) == CURLE_OK;
    } else if (m == "HEAD") {
        ok = ok && curl_easy_setopt(c, CURLOPT_NOBODY, 1L) == CURLE_OK;
    } else if (m != "POST" && m != "PUT" && m != "PATCH" && m != "DELETE") {
        return Error{"unsupported HTTP method \"" + m + "\" (use GET, HEAD, POST, PUT, PATCH or DELETE)"};
    } else if (m != "POST") {
        ok = ok && curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, m.c_str()) == CURLE_OK;
    }
    if (sends_body) {
        ok = ok && curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size())) == CURLE_OK;
        ok = ok && curl_easy_setopt(c, CURLOPT_COPYPOSTFIELDS, req.body.data()) == CURLE_OK;
    }
    if (!ok) return Error{"libcurl rejected an option (out of memory, or libcurl built without HTTP/HTTPS)"};
    return ok_status();
}

std::string Transfer::scrub(std::string text) const {
    for (const auto& secret : secrets_) {
        text = redact(std::move(text), secret);
    }
    return text;
}

Result<Response> Transfer::finish(CURLcode code) {
    if (too_large_)
        return Error{what_ + ": the response is larger than " + std::to_string(max_response_bytes) + " bytes"};
    if (stopped_ && code == CURLE_ABORTED_BY_CALLBACK)
        return Error{what_ + ": abandoned for a stop request (SIGTERM/SIGINT) before the answer came"};
    if (code != CURLE_OK) {
        std::string msg = what_ + ": " + curl_easy_strerror(code);
        if (errbuf_[0] != '\0') msg += " (" + std::string(trim(errbuf_)) + ")";
        return Error{scrub(std::move(msg))};
    }
    Response r;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &r.status);
    r.body = std::move(body_);
    r.headers = std::move(headers_);
    return r;
}

std::size_t Transfer::on_body(char* data, std::size_t size, std::size_t n, void* self) {
    auto* t = static_cast<Transfer*>(self);
    const std::size_t bytes = size * n;
    if (t->body_.size() + bytes > max_response_bytes) {
        t->too_large_ = true;
        return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
    }
    t->body_.append(data, bytes);
    return bytes;
}

int Transfer::on_progress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    // A deadline, not a wait: measured on the steady clock (the http module has no injected Clock).
    auto* t = static_cast<Transfer*>(self);
    if (!t->stop_->stop_requested()) return 0;
    const auto now = std::chrono::steady_clock::now();
    if (!t->stop_seen_) t->stop_seen_ = now;
    if (now - *t->stop_seen_ < t->stop_grace_) return 0;
    t->stopped_ = true;
    return 1;  // makes libcurl stop with CURLE_ABORTED_BY_CALLBACK
}

std::size_t Transfer::on_header(char* data, std::size_t size, std::size_t n, void* self) {
    auto* t = static_cast<Transfer*>(self);
    const std::size_t bytes = size * n;
    const std::string_view line(data, bytes);
    if (line.starts_with("HTTP/")) {
        t->headers_.clear();  // a new response (after a 1xx): keep only the final one's headers
    } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
        t->headers_.emplace_back(std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1))));
    }
    return bytes;
}

}  // namespace olmd::http::detail
