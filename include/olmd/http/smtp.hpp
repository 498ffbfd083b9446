#pragma once
// SMTP submission over libcurl, for the mail module: one message to its
// recipients, STARTTLS or implicit TLS, peer and host verified.

#include <string>
#include <vector>

namespace olmd::http {

/// One message to hand to an SMTP server.
struct SmtpSubmission {
    std::string url;                 ///< smtp:// or smtps://; the path is sent as the EHLO domain
    std::string mail_from;           ///< the envelope sender, "<a@b>"
    std::vector<std::string> rcpt;   ///< the envelope recipients, "<a@b>" each
    std::string data;                ///< the whole RFC 5322 message
    long timeout_ms = 10000;         ///< connect and whole-transfer timeout
    bool insist_tls = false;         ///< fail before MAIL FROM (and AUTH) unless TLS is up
    std::string username, password;  ///< AUTH when username is set
};

/// How a submission ended.
struct SmtpResult {
    bool ok = false;
    std::string why;          ///< libcurl's error and its detail ("" when ok); may hold the password: scrub it
    long smtp_code = 0;       ///< the last SMTP reply code, 0 when none
    bool tls_refused = false; ///< insist_tls and the server did not offer STARTTLS
};

/// Submits the message; never throws.
SmtpResult smtp_submit(const SmtpSubmission& s);

}  // namespace olmd::http
