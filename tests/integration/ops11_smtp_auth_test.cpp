// OPS-11 SMTP authentication is never sent without TLS: against a real SMTP
// server (tests/support/smtp_sink.py, aiosmtpd) that offers AUTH but no
// STARTTLS, a send with a username fails before AUTH, with an error that says
// what to do, and the server's transcript holds neither the password nor an
// AUTH command; with [smtp] allow_plaintext_auth = true the email goes out.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "olmd/mail/smtp_mailer.hpp"
#include "support/process.hpp"
#include "support/smtp_server.hpp"
#include "support/temp_dir.hpp"

namespace olmd::test {
namespace {

using namespace std::chrono_literals;

const char* kUser = "olmd-user";
const char* kPassword = "s3cret-Pa55";

std::string base64(const std::string& in) {
    static const char* abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                           static_cast<unsigned char>(in[i + 2]);
        for (int s : {18, 12, 6, 0}) out += abc[(v >> s) & 63];
    }
    if (i + 1 == in.size()) {
        const unsigned v = static_cast<unsigned char>(in[i]) << 16;
        out += std::string{abc[(v >> 18) & 63], abc[(v >> 12) & 63], '=', '='};
    } else if (i + 2 == in.size()) {
        const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
        out += std::string{abc[(v >> 18) & 63], abc[(v >> 12) & 63], abc[(v >> 6) & 63], '='};
    }
    return out;
}

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
    return s;
}

/// True when the transcript holds the password in any form AUTH PLAIN or LOGIN would send it.
bool password_on_the_wire(const std::string& transcript) {
    const std::string plain = std::string("\0", 1) + kUser + std::string("\0", 1) + kPassword;
    return transcript.find(kPassword) != std::string::npos || transcript.find(base64(plain)) != std::string::npos ||
           transcript.find(base64(kPassword)) != std::string::npos;
}

class SmtpAuth : public ::testing::Test {
protected:
    void SetUp() override {
        if (!smtp_sink_available()) GTEST_SKIP() << "python3-aiosmtpd is not installed";
        server = std::make_unique<SmtpServer>(SmtpServerOptions{kUser, kPassword, 0});  // AUTH, no STARTTLS
        write_file(dir.file("smtp-password"), std::string(kPassword) + "\n");
        cfg.url = server->url();
        cfg.timeout_ms = 5000;
        cfg.username = kUser;
        cfg.password_file = dir.file("smtp-password");
    }
    TempDir dir;
    std::unique_ptr<SmtpServer> server;
    config::SmtpConfig cfg;
};

TEST_F(SmtpAuth, OPS11_NoStarttlsMeansNoAuthAndAClearError) {
    auto st = mail::SmtpMailer(cfg, "host-a").send({{"ops@example.com"}, "auth over clear text?", "b"});
    ASSERT_FALSE(st.ok());
    const std::string& msg = st.error().message;
    EXPECT_NE(msg.find("127.0.0.1:" + std::to_string(server->port())), std::string::npos) << msg;
    EXPECT_NE(msg.find("does not offer STARTTLS"), std::string::npos) << msg;
    EXPECT_NE(msg.find("smtps://"), std::string::npos) << msg;
    EXPECT_NE(msg.find("allow_plaintext_auth = true"), std::string::npos) << msg;
    EXPECT_EQ(msg.find(kPassword), std::string::npos) << msg;
    EXPECT_TRUE(server->messages().empty());
    // The conversation happened (EHLO; libcurl sees no STARTTLS offered and stops), but no AUTH, no
    // message and no password in any encoding.
    const std::string wire = server->transcript();
    EXPECT_NE(upper(wire).find("EHLO"), std::string::npos) << wire;
    EXPECT_EQ(upper(wire).find("AUTH"), std::string::npos) << wire;
    EXPECT_EQ(upper(wire).find("MAIL FROM"), std::string::npos) << wire;
    EXPECT_FALSE(password_on_the_wire(wire)) << wire;
}

TEST_F(SmtpAuth, OPS11_AllowPlaintextAuthSendsIt) {
    cfg.allow_plaintext_auth = true;
    auto st = mail::SmtpMailer(cfg, "host-a").send({{"ops@example.com"}, "auth in clear text", "b"});
    ASSERT_TRUE(st.ok()) << st.error().message;
    ASSERT_TRUE(server->wait_for(1, 5s));
    EXPECT_EQ(server->messages().at(0).login, kUser);
    const std::string wire = server->transcript();
    EXPECT_NE(upper(wire).find("AUTH"), std::string::npos) << wire;
    EXPECT_TRUE(password_on_the_wire(wire)) << "the check above must be able to see a password: " << wire;
}

TEST_F(SmtpAuth, OPS11_WithoutUsernameStarttlsIsNotInsistedOn) {
    cfg.username.clear();
    cfg.password_file.clear();
    auto st = mail::SmtpMailer(cfg, "host-a").send({{"ops@example.com"}, "no auth", "b"});
    // The sink requires AUTH when it has a user: refused, but with no STARTTLS insisted on.
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().message.find("STARTTLS"), std::string::npos) << st.error().message;
    EXPECT_NE(upper(server->transcript()).find("MAIL FROM"), std::string::npos) << server->transcript();
}

TEST_F(SmtpAuth, OPS11_RunOnceLogsTheRefusalAndNeverSendsThePassword) {
    // A database that does not exist: run-once exits 4 and emails the failure (MON-3) through [smtp].
    const std::string config = dir.file("olmd.toml");
    write_file(config, "[daemon]\ndatabase = \"" + dir.file("missing.db") +
                           "\"\ntimezone = \"UTC\"\n"
                           "[monitor]\nwarning_emails = [\"ops@example.com\"]\nwarning_timeout_minutes = 30\n"
                           "[smtp]\nurl = \"" + server->url() + "\"\nusername = \"" + kUser +
                           "\"\npassword_file = \"" + cfg.password_file + "\"\ntimeout_ms = 3000\n");
    auto r = run_olmd({"--config", config, "run-once"});
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_NE(r.err.find("mail: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("allow_plaintext_auth"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find(kPassword), std::string::npos) << r.err;
    EXPECT_TRUE(server->messages().empty());
    EXPECT_NE(upper(server->transcript()).find("EHLO"), std::string::npos) << "no email was even attempted";
    EXPECT_FALSE(password_on_the_wire(server->transcript())) << server->transcript();
}

}  // namespace
}  // namespace olmd::test
