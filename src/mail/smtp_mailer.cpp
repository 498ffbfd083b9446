// SMTP delivery through http::smtp_submit (mail/smtp_mailer.hpp).
#include "olmd/mail/smtp_mailer.hpp"

#include <algorithm>
#include <cctype>

#include "olmd/core/credentials.hpp"
#include "olmd/core/redact.hpp"
#include "olmd/http/client.hpp"
#include "olmd/http/smtp.hpp"
#include "olmd/core/text.hpp"

namespace olmd::mail {
namespace {

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

}  // namespace

SmtpMailer::SmtpMailer(config::SmtpConfig cfg, std::string host)
    : cfg_(std::move(cfg)), host_(std::move(host)), from_(cfg_.from.empty() ? default_from(host_) : cfg_.from) {}

Status SmtpMailer::send(const Email& email) {
    if (auto st = validate(email); !st) return st;
    if (auto st = validate_address(from_); !st) return st.error().with_context("[smtp] from");
    const std::string scheme = ascii_lower(cfg_.url.substr(0, cfg_.url.find("://") + 1));
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
    http::SmtpSubmission sub;
    sub.data =
        format_message(email, Envelope{from_, rfc5322_date(std::chrono::system_clock::now()), make_message_id(host_)});
    std::string rcpt_list;
    for (const std::string& to : email.to) {
        const std::string bare = envelope_address(to);
        sub.rcpt.push_back("<" + bare + ">");
        rcpt_list += (rcpt_list.empty() ? "" : ", ") + bare;
    }
    sub.url = with_ehlo_domain(cfg_.url, host_);
    sub.mail_from = "<" + envelope_address(from_) + ">";
    sub.timeout_ms = static_cast<long>(cfg_.timeout_ms);
    sub.insist_tls = insist_tls;
    if (auth) {
        sub.username = cfg_.username;
        sub.password = password;
    }
    const http::SmtpResult res = http::smtp_submit(sub);
    if (res.ok) return ok_status();

    std::string why = res.why;
    if (res.tls_refused && !implicit_tls) {
        if (cfg_.require_tls)
            why += "; the server does not offer STARTTLS and [smtp] require_tls is true";
        else
            why += "; the server does not offer STARTTLS and olmd never sends the SMTP password without TLS "
                   "(OPS-11): nothing was sent. Enable STARTTLS on the server, use an smtps:// url, or set "
                   "[smtp] allow_plaintext_auth = true to send it in the clear";
    }
    if (res.smtp_code > 0) why += "; last SMTP reply " + std::to_string(res.smtp_code);
    return Error{scrub("cannot send email \"" + email.subject + "\" to " + rcpt_list + " via " +
                           http::redact_url(cfg_.url) + ": " + why,
                       password)};
}

}  // namespace olmd::mail
