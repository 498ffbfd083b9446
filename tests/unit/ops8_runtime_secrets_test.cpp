// OPS-8 at run time: every secret olmd reads (Stripe key, SMTP password, and the
// geolocation keys through the same function) goes through
// files::read_credential -> read_secret_file: the file itself or
// $CREDENTIALS_DIRECTORY/<basename>, a regular file (a FIFO is an error, not a
// hang) of one line of at most 4 KiB; errors name the file, never the secret.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <optional>

#include "gateway/stripe.hpp"
#include "olmd/core/credentials.hpp"
#include "olmd/mail/smtp_mailer.hpp"
#include "support/temp_dir.hpp"
#include "support/scoped_env.hpp"

namespace olmd::test {
namespace {

using namespace std::chrono_literals;

TEST(RuntimeSecrets, OPS8_ReadsTheFileOrTheCredentialsDirectory) {
    TempDir dir;
    ScopedEnv no_creds("CREDENTIALS_DIRECTORY", std::nullopt);
    write_file(dir.file("pw"), "hunter2\n");
    auto direct = files::read_credential(dir.file("pw"), "[smtp] password_file");
    ASSERT_TRUE(direct.ok()) << direct.error().message;
    EXPECT_EQ(*direct, "hunter2");

    auto missing = files::read_credential("/nonexistent/olmd/pw", "[smtp] password_file");
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.error().message.find("/nonexistent/olmd/pw"), std::string::npos) << missing.error().message;
    EXPECT_NE(missing.error().message.find("LoadCredential=pw:"), std::string::npos) << missing.error().message;

    TempDir creds;
    write_file(creds.file("pw"), "from-systemd\n");
    ScopedEnv env("CREDENTIALS_DIRECTORY", creds.path().string());
    auto fallback = files::read_credential("/nonexistent/olmd/pw", "[smtp] password_file");
    ASSERT_TRUE(fallback.ok()) << fallback.error().message;
    EXPECT_EQ(*fallback, "from-systemd");
    auto neither = files::read_credential("/nonexistent/olmd/other", "[smtp] password_file");
    ASSERT_FALSE(neither.ok());
    EXPECT_NE(neither.error().message.find(creds.file("other")), std::string::npos) << neither.error().message;
}

TEST(RuntimeSecrets, OPS8_ShapeIsEnforcedAtRunTime) {
    TempDir dir;
    write_file(dir.file("two"), "line-one\nline-two\n");
    auto two = files::read_credential(dir.file("two"), "[gateway] api_key_file");
    ASSERT_FALSE(two.ok());
    EXPECT_NE(two.error().message.find("more than one line"), std::string::npos) << two.error().message;
    EXPECT_EQ(two.error().message.find("line-one"), std::string::npos) << "the secret is never in a message";

    write_file(dir.file("big"), std::string(5000, 'k'));
    auto big = files::read_credential(dir.file("big"), "[gateway] api_key_file");
    ASSERT_FALSE(big.ok());
    EXPECT_NE(big.error().message.find("4 KiB"), std::string::npos) << big.error().message;

    const std::string fifo = dir.file("fifo");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const auto t0 = std::chrono::steady_clock::now();
    auto f = files::read_credential(fifo, "[gateway] api_key_file");
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s) << "a FIFO must not block the read";
    ASSERT_FALSE(f.ok());
    EXPECT_NE(f.error().message.find("FIFO"), std::string::npos) << f.error().message;
}

TEST(RuntimeSecrets, OPS8_StripeKeyGoesThroughTheSameRules) {
    TempDir dir;
    config::GatewayConfig cfg;
    cfg.api_key_file = dir.file("stripe.key");
    write_file(cfg.api_key_file, "  sk_test_123 \n");
    auto key = gateway::read_api_key(cfg);
    ASSERT_TRUE(key.ok()) << key.error().message;
    EXPECT_EQ(*key, "sk_test_123");
    write_file(cfg.api_key_file, "sk_test_123\nsk_test_456\n");
    auto two = gateway::read_api_key(cfg);
    ASSERT_FALSE(two.ok());
    EXPECT_NE(two.error().message.find("[gateway] api_key_file"), std::string::npos) << two.error().message;
    EXPECT_EQ(two.error().message.find("sk_test_456"), std::string::npos) << two.error().message;
}

TEST(RuntimeSecrets, OPS8_SmtpPasswordFileThatIsAFifoFailsTheSendAtOnce) {
    TempDir dir;
    const std::string fifo = dir.file("smtp-password");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    config::SmtpConfig cfg;
    cfg.url = "smtp://127.0.0.1:1";  // never reached: the password is read first
    cfg.username = "olmd";
    cfg.password_file = fifo;
    const auto t0 = std::chrono::steady_clock::now();
    auto st = mail::SmtpMailer(cfg, "host-a").send({{"ops@example.com"}, "s", "b"});
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.error().message.find("[smtp] password_file"), std::string::npos) << st.error().message;
    EXPECT_NE(st.error().message.find("FIFO"), std::string::npos) << st.error().message;
}

}  // namespace
}  // namespace olmd::test
