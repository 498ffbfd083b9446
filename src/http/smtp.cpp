// SMTP submission with libcurl (olmd/http/smtp.hpp).
#include "olmd/http/smtp.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "http/transfer.hpp"

namespace olmd::http {
namespace {

/// The message text handed to libcurl piece by piece.
struct Upload {
    const std::string& data;
    std::size_t pos = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t n, void* user) {
    auto* up = static_cast<Upload*>(user);
    const std::size_t len = std::min(size * n, up->data.size() - up->pos);
    std::memcpy(buffer, up->data.data() + up->pos, len);
    up->pos += len;
    return len;
}

struct CurlDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

SmtpResult smtp_submit(const SmtpSubmission& s) {
    SmtpResult out;
    if (auto st = detail::ensure_global_init(); !st) {
        out.why = st.error().message;
        return out;
    }
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) {
        out.why = "libcurl could not create a handle";
        return out;
    }
    CURL* c = curl.get();
    std::unique_ptr<curl_slist, SlistDeleter> rcpt;
    for (const std::string& to : s.rcpt) {
        curl_slist* next = curl_slist_append(rcpt.get(), to.c_str());
        if (next == nullptr) {
            out.why = "out of memory";
            return out;
        }
        rcpt.release();
        rcpt.reset(next);
    }
    Upload upload{s.data};
    char errbuf[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(c, CURLOPT_URL, s.url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, s.timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, s.timeout_ms);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    // smtp://: STARTTLS when offered, or insisted upon; smtps://: TLS from the first byte.
    curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(s.insist_tls ? CURLUSESSL_ALL : CURLUSESSL_TRY));
    if (!s.username.empty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, s.username.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, s.password.c_str());
    }
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, s.mail_from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(s.data.size()));
    curl_easy_setopt(c, CURLOPT_READFUNCTION, &read_upload);
    curl_easy_setopt(c, CURLOPT_READDATA, &upload);

    const CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK) {
        out.ok = true;
        return out;
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.smtp_code);
    out.why = curl_easy_strerror(rc);
    if (errbuf[0] != '\0' && out.why.find(errbuf) == std::string::npos) out.why += std::string(" (") + errbuf + ")";
    out.tls_refused = rc == CURLE_USE_SSL_FAILED;
    return out;
}

}  // namespace olmd::http
