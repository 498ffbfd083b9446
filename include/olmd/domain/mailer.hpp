#pragma once
// The Mailer port (MON-4): an email as a plain value and what sends it. The mail
// module implements it (SMTP, and an asynchronous queue in front of it).

#include <string>
#include <vector>

#include "olmd/core/error.hpp"

namespace olmd::domain {

/// One plain-text email.
struct Email {
    std::vector<std::string> to;  ///< addresses ("ops@example.com" or "Ops <ops@example.com>")
    std::string subject;          ///< one line, UTF-8
    std::string body;             ///< UTF-8 text; LF or CRLF line ends
};

/// Something that sends emails.
class Mailer {
public:
    virtual ~Mailer() = default;
    /// Sends (or, for a queueing mailer, accepts) email; an Error says why it could not.
    virtual Status send(const Email& email) = 0;
};

}  // namespace olmd::domain
