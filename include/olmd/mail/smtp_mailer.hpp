#pragma once
// Sends email over SMTP with libcurl ([smtp], MON-4): smtp:// with STARTTLS
// when the server offers it (insisted upon with require_tls, and with a
// username unless allow_plaintext_auth: AUTH never goes out without TLS,
// OPS-11), smtps:// with implicit TLS, TLS peers always verified, optional
// AUTH with the password read from password_file at each send (OPS-8, never
// logged), one timeout for the whole conversation. Blocking: wrap it in an
// AsyncMailer off the job thread.

#include <string>

#include "olmd/config/config.hpp"
#include "olmd/mail/mailer.hpp"

namespace olmd::mail {

class SmtpMailer final : public Mailer {
public:
    /// cfg: the [smtp] section; host: this machine's name (default From, EHLO, Message-ID).
    SmtpMailer(config::SmtpConfig cfg, std::string host);
    /// Sends email in one SMTP conversation; an Error (free of secrets) on any failure.
    Status send(const Email& email) override;
    /// The From header value used: [smtp] from, or "olmd@<host>".
    const std::string& from() const { return from_; }

private:
    config::SmtpConfig cfg_;
    std::string host_;
    std::string from_;
};

}  // namespace olmd::mail
