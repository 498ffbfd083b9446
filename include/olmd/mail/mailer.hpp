#pragma once
// Email on the wire (MON-4): validation and the RFC 5322 message text the SMTP
// sender puts on the wire; the Email value and the Mailer port are in domain/mailer.hpp.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "olmd/core/error.hpp"
#include "olmd/domain/mailer.hpp"

namespace olmd::mail {

// The port's vocabulary, by the short names the mail module uses.
using domain::Email;
using domain::Mailer;

/// Checks email can be sent safely: at least one recipient, no CR/LF (header injection)
/// or other control character in an address or the subject; an Error names the field.
Status validate(const Email& email);

/// Checks one address or display form ("a@b", "Name <a@b>"): non-empty, no control characters.
Status validate_address(std::string_view address);

/// The bare address of "Name <a@b>" ("a@b"), or the trimmed text itself when it has no <>.
std::string envelope_address(std::string_view address);

/// An RFC 5322 date-time in UTC, e.g. "Sun, 22 Nov 2026 13:30:00 +0000".
std::string rfc5322_date(std::chrono::system_clock::time_point t);

/// A fresh Message-ID value "<random.time@host>" (angle brackets included).
std::string make_message_id(std::string_view host);

/// The header values of one message besides the Email's own fields.
struct Envelope {
    std::string from;        ///< From header value (and, bare, the envelope sender)
    std::string date;        ///< Date header value (rfc5322_date)
    std::string message_id;  ///< Message-ID header value (make_message_id)
};

/// The full message text: Date, Message-ID, From, To, Subject, MIME-Version, Content-Type
/// (text/plain; charset=utf-8), Content-Transfer-Encoding, a blank line, the body. Every
/// line ends in CRLF; a non-ASCII subject is RFC 2047-encoded and a non-ASCII body
/// quoted-printable. Dot-stuffing is left to the SMTP client (libcurl does it). Call
/// validate() first: this function does not check for header injection.
std::string format_message(const Email& email, const Envelope& envelope);

/// "olmd@<host>": the default sender ([smtp] from unset).
std::string default_from(std::string_view host);

}  // namespace olmd::mail
