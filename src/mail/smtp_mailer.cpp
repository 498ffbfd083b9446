// SMTP delivery with libcurl (mail/smtp_mailer.hpp).
#include "olmd/mail/smtp_mailer.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>

#include "http/transfer.hpp"
#include "olmd/core/credentials.hpp"
#include "olmd/core/redact.hpp"
#include "olmd/http/client.hpp"

namespace olmd::mail {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

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

/// url with "/<host>" as its path when it has none: libcurl sends the path as the EHLO domain.
std::string with_ehlo_domain(const std::string& url, const std::string& host) {
    const auto scheme_end = url.find("://");
    const auto authority = scheme_end == std::string::npos ? 0 : scheme_end + 3;
    const auto slash = url.find('/', authority);
    if (slash != std::string::npos && slash + 1 < url.size()) return url;  // the operator chose a domain
    std::string domain;
    for (char c : host)
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-') domain += c;
    if (domain.empty()) return url;
    return (slash == std::string::npos ? url + "/" : url) + domain;
}

/// Replaces every occurrence of secret in text by "<redacted>".
std::string scrub(std::string text, const std::string& secret) { return redact(std::move(text), secret); }

struct CurlDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

SmtpMailer::SmtpMailer(config::SmtpConfig cfg, std::string host)
    : cfg_(std::move(cfg)), host_(std::move(host)), from_(cfg_.from.empty() ? default_from(host_) : cfg_.from) {}

Status SmtpMailer::send(const Email& email) {
    if (auto st = validate(email); !st) return st;
    if (auto st = validate_address(from_); !st) return st.error().with_context("[smtp] from");
    const std::string scheme = lower(cfg_.url.substr(0, cfg_.url.find("://") + 1));
    const bool implicit_tls = scheme == "smtps:";
    if (!implicit_tls && scheme != "smtp:")
        return Error{"[smtp] url must start with smtp:// or smtps://, not " + http::redact_url(cfg_.url)};
    if (cfg_.timeout_ms <= 0) return Error{"[smtp] timeout_ms must be > 0"};

    const bool auth = !cfg_.username.empty();
    std::string password;
    if (auth && !cfg_.password_file.empty()) {
        // OPS-8: one line of at most 4 KiB, the file itself or $CREDENTIALS_DIRECTORY/<basename>.
        auto pw = files::read_credential(cfg_.password_file, "[smtp] password_file");
        if (!pw) return pw.error().with_context("cannot send email \"" + email.subject + "\"");
        password = std::move(*pw);
    }
    // OPS-11: with a username, STARTTLS is insisted upon unless allow_plaintext_auth, so that libcurl
    // fails before AUTH (and the password) when the server does not offer it.
    const bool insist_tls = implicit_tls || cfg_.require_tls || (auth && !cfg_.allow_plaintext_auth);
    if (auto st = http::detail::ensure_global_init(); !st) return st;

    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) return Error{"cannot send email: libcurl could not create a handle"};
    CURL* c = curl.get();

    const std::string data =
        format_message(email, Envelope{from_, rfc5322_date(std::chrono::system_clock::now()), make_message_id(host_)});
    Upload upload{data};
    std::unique_ptr<curl_slist, SlistDeleter> rcpt;
    std::string rcpt_list;
    for (const std::string& to : email.to) {
        const std::string bare = envelope_address(to);
        curl_slist* next = curl_slist_append(rcpt.get(), ("<" + bare + ">").c_str());
        if (next == nullptr) return Error{"cannot send email: out of memory"};
        rcpt.release();
        rcpt.reset(next);
        rcpt_list += (rcpt_list.empty() ? "" : ", ") + bare;
    }
    const std::string url = with_ehlo_domain(cfg_.url, host_);
    const std::string mail_from = "<" + envelope_address(from_) + ">";
    char errbuf[CURL_ERROR_SIZE] = {};

    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(cfg_.timeout_ms));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(cfg_.timeout_ms));
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    // smtp://: STARTTLS when offered, or insist (require_tls, AUTH); smtps://: TLS from the first byte.
    curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(insist_tls ? CURLUSESSL_ALL : CURLUSESSL_TRY));
    if (auth) {
        curl_easy_setopt(c, CURLOPT_USERNAME, cfg_.username.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, password.c_str());
    }
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(data.size()));
    curl_easy_setopt(c, CURLOPT_READFUNCTION, &read_upload);
    curl_easy_setopt(c, CURLOPT_READDATA, &upload);

    const CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK) return ok_status();

    long smtp_code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &smtp_code);
    std::string why = curl_easy_strerror(rc);
    if (errbuf[0] != '\0' && why.find(errbuf) == std::string::npos) why += std::string(" (") + errbuf + ")";
    if (rc == CURLE_USE_SSL_FAILED && !implicit_tls) {
        if (cfg_.require_tls)
            why += "; the server does not offer STARTTLS and [smtp] require_tls is true";
        else
            why += "; the server does not offer STARTTLS and olmd never sends the SMTP password without TLS "
                   "(OPS-11): nothing was sent. Enable STARTTLS on the server, use an smtps:// url, or set "
                   "[smtp] allow_plaintext_auth = true to send it in the clear";
    }
    if (smtp_code > 0) why += "; last SMTP reply " + std::to_string(smtp_code);
    return Error{scrub("cannot send email \"" + email.subject + "\" to " + rcpt_list + " via " +
                           http::redact_url(cfg_.url) + ": " + why,
                       password)};
}

}  // namespace olmd::mail
