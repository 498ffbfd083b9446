#pragma once
// A real SMTP server for tests: tests/support/smtp_sink.py (Debian's
// python3-aiosmtpd) started on 127.0.0.1 on a free port, every message it
// accepts kept in a temporary directory, stopped in the destructor.

#include <chrono>
#include <cstddef>
#include <string>
#include <sys/types.h>
#include <vector>

#include "support/temp_dir.hpp"

namespace olmd::test {

/// How the server behaves.
struct SmtpServerOptions {
    std::string user;      ///< non-empty: AUTH required with user/password
    std::string password;
    int fail_first = 0;    ///< answer 451 to the first n messages
};

/// One message the server accepted.
struct ReceivedMail {
    std::string mail_from;              ///< envelope sender
    std::vector<std::string> rcpt_tos;  ///< envelope recipients
    std::string login;                  ///< the AUTH user ("" without AUTH)
    std::string data;                   ///< the message as received (headers, blank line, body; CRLF)

    /// The value of the first header named name (case-insensitive), unfolded; "" when absent.
    std::string header(const std::string& name) const;
    /// The body (after the first blank line).
    std::string body() const;
};

class SmtpServer {
public:
    /// Starts the server and waits for its port; throws std::runtime_error when it cannot.
    explicit SmtpServer(SmtpServerOptions options = {});
    /// Stops the server (SIGTERM, then SIGKILL after 3 s).
    ~SmtpServer();
    SmtpServer(const SmtpServer&) = delete;
    SmtpServer& operator=(const SmtpServer&) = delete;

    /// The port it listens on.
    int port() const { return port_; }
    /// "smtp://127.0.0.1:<port>".
    std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
    /// Every message accepted so far, in order.
    std::vector<ReceivedMail> messages() const;
    /// Every byte clients sent so far, all sessions in order (commands, AUTH lines, messages).
    std::string transcript() const;
    /// Waits until at least n messages were accepted, at most timeout; true when they were.
    bool wait_for(std::size_t n, std::chrono::milliseconds timeout) const;

private:
    TempDir dir_;
    pid_t pid_ = -1;
    int port_ = -1;
};

/// True when /usr/bin/python3 can import aiosmtpd (tests skip otherwise).
bool smtp_sink_available();

}  // namespace olmd::test
