// The email module: validation against header injection, the RFC 5322 / MIME
// message text, and the non-blocking, retrying AsyncMailer (MON-4).
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <regex>
#include <set>
#include <thread>

#include "olmd/mail/async_mailer.hpp"
#include "olmd/mail/mailer.hpp"
#include "olmd/mail/smtp_mailer.hpp"
#include "support/fake_mailer.hpp"
#include "support/silent_server.hpp"
#include "support/test_clock.hpp"

namespace olmd::test {
namespace {

using namespace std::chrono_literals;

mail::Envelope fixed_envelope() {
    return mail::Envelope{"olmd@host-a", "Sun, 22 Nov 2026 13:30:00 +0000", "<abc.1@host-a>"};
}

/// The header block and body of a formatted message.
std::pair<std::string, std::string> split(const std::string& msg) {
    const auto end = msg.find("\r\n\r\n");
    return {msg.substr(0, end + 2), msg.substr(end + 4)};
}

bool every_line_ends_in_crlf(const std::string& s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) return false;
        if (s[i] == '\r' && (i + 1 >= s.size() || s[i + 1] != '\n')) return false;
    }
    return s.size() >= 2 && s.substr(s.size() - 2) == "\r\n";
}

TEST(MailMessage, HeadersAreRfc5322AndInOrder) {
    mail::Email e{{"ops@example.com", "Night Shift <night@example.com>"}, "[olmd] run 42 still running", "hello\n"};
    const std::string msg = mail::format_message(e, fixed_envelope());
    const auto [head, body] = split(msg);
    EXPECT_EQ(head,
              "Date: Sun, 22 Nov 2026 13:30:00 +0000\r\n"
              "Message-ID: <abc.1@host-a>\r\n"
              "From: olmd@host-a\r\n"
              "To: ops@example.com, Night Shift <night@example.com>\r\n"
              "Subject: [olmd] run 42 still running\r\n"
              "MIME-Version: 1.0\r\n"
              "Content-Type: text/plain; charset=utf-8\r\n"
              "Content-Transfer-Encoding: 7bit\r\n"
              "Auto-Submitted: auto-generated\r\n");
    EXPECT_EQ(body, "hello\r\n");
}

TEST(MailMessage, DateIsRfc5322InUtc) {
    using namespace std::chrono;
    const auto t = sys_days{year{2026} / November / 22} + hours{13} + minutes{30} + seconds{5};
    EXPECT_EQ(mail::rfc5322_date(t), "Sun, 22 Nov 2026 13:30:05 +0000");
    EXPECT_EQ(mail::rfc5322_date(sys_days{year{2027} / January / 1}), "Fri, 01 Jan 2027 00:00:00 +0000");
}

TEST(MailMessage, MessageIdIsUniqueAndNamesTheHost) {
    const std::regex re(R"(^<[0-9a-f]{32}\.[0-9]+@host-a\.example>$)");
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        const std::string id = mail::make_message_id("host-a.example");
        EXPECT_TRUE(std::regex_match(id, re)) << id;
        seen.insert(id);
    }
    EXPECT_EQ(seen.size(), 100u);
    // Characters that have no place in a Message-ID are dropped; an empty host becomes localhost.
    EXPECT_NE(mail::make_message_id("bad host>").find("@badhost>"), std::string::npos);
    EXPECT_NE(mail::make_message_id("").find("@localhost>"), std::string::npos);
    EXPECT_EQ(mail::default_from("box1"), "olmd@box1");
}

TEST(MailMessage, BodyLinesEndInCrlfWhateverTheInput) {
    mail::Email e{{"a@b"}, "s", "one\ntwo\r\nthree\rfour"};
    const std::string msg = mail::format_message(e, fixed_envelope());
    EXPECT_TRUE(every_line_ends_in_crlf(msg));
    EXPECT_EQ(split(msg).second, "one\r\ntwo\r\nthree\r\nfour\r\n");
    // Lines starting with a dot are left as they are: libcurl dot-stuffs on the wire.
    mail::Email dots{{"a@b"}, "s", ".\n.hidden\n"};
    EXPECT_EQ(split(mail::format_message(dots, fixed_envelope())).second, ".\r\n.hidden\r\n");
}

TEST(MailMessage, OverlongBodyLineIsBroken) {
    mail::Email e{{"a@b"}, "s", std::string(2500, 'x')};
    const std::string body = split(mail::format_message(e, fixed_envelope())).second;
    EXPECT_EQ(body, std::string(998, 'x') + "\r\n" + std::string(998, 'x') + "\r\n" + std::string(504, 'x') + "\r\n");
}

TEST(MailMessage, NonAsciiSubjectIsEncodedWordsAndBodyQuotedPrintable) {
    mail::Email e{{"a@b"}, "Café: déjà vu", "prix: 10 €\nfin = ok \n"};
    const std::string msg = mail::format_message(e, fixed_envelope());
    EXPECT_TRUE(every_line_ends_in_crlf(msg));
    const auto [head, body] = split(msg);
    // base64("Café: déjà vu")
    EXPECT_NE(head.find("Subject: =?UTF-8?B?Q2Fmw6k6IGTDqWrDoCB2dQ==?=\r\n"), std::string::npos) << head;
    EXPECT_NE(head.find("Content-Transfer-Encoding: quoted-printable\r\n"), std::string::npos);
    EXPECT_EQ(body, "prix: 10 =E2=82=AC\r\nfin =3D ok=20\r\n");
    for (unsigned char c : msg) EXPECT_LT(c, 0x80);
}

TEST(MailMessage, LongSubjectIsFoldedUnder78Columns) {
    std::string subject;
    for (int i = 0; i < 30; ++i) subject += "word" + std::to_string(i) + " ";
    subject += "end";
    mail::Email e{{"a@b"}, subject, "x"};
    const std::string head = split(mail::format_message(e, fixed_envelope())).first;
    std::size_t pos = 0;
    std::string unfolded;
    bool in_subject = false;
    while (pos < head.size()) {
        const auto eol = head.find("\r\n", pos);
        const std::string line = head.substr(pos, eol - pos);
        EXPECT_LE(line.size(), 78u) << line;
        if (line.rfind("Subject:", 0) == 0) {
            in_subject = true;
            unfolded = line.substr(9);
        } else if (in_subject && !line.empty() && line[0] == ' ') {
            unfolded += line;
        } else {
            in_subject = false;
        }
        pos = eol + 2;
    }
    EXPECT_EQ(unfolded, subject);  // unfolding (dropping CRLF) gives the subject back
}

TEST(MailMessage, LongNonAsciiSubjectIsSeveralEncodedWords) {
    std::string subject;
    for (int i = 0; i < 40; ++i) subject += "é";
    mail::Email e{{"a@b"}, subject, "x"};
    const std::string head = split(mail::format_message(e, fixed_envelope())).first;
    const auto start = head.find("Subject: ");
    const auto end = head.find("\r\nMIME-Version");
    const std::string field = head.substr(start, end - start);
    EXPECT_NE(field.find("?=\r\n =?UTF-8?B?"), std::string::npos) << field;
    std::size_t pos = 0;
    while (pos < field.size()) {
        auto eol = field.find("\r\n", pos);
        if (eol == std::string::npos) eol = field.size();
        EXPECT_LE(eol - pos, 78u);
        pos = eol + 2;
    }
}

TEST(MailMessage, HeaderInjectionIsRefused) {
    const mail::Email good{{"ops@example.com"}, "fine", "body\nwith lines"};
    EXPECT_TRUE(mail::validate(good).ok());

    auto bad_subject = good;
    bad_subject.subject = "hello\r\nBcc: victim@example.com";
    auto st = mail::validate(bad_subject);
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.error().message.find("header injection"), std::string::npos) << st.error().message;
    EXPECT_NE(st.error().message.find("subject"), std::string::npos);

    auto lf_subject = good;
    lf_subject.subject = "hello\nX-Evil: 1";
    EXPECT_FALSE(mail::validate(lf_subject).ok());
    auto cr_only = good;
    cr_only.subject = "hello\rX";
    EXPECT_FALSE(mail::validate(cr_only).ok());
    auto nul = good;
    nul.subject = std::string("a\0b", 3);
    EXPECT_FALSE(mail::validate(nul).ok());

    auto bad_to = good;
    bad_to.to = {"ops@example.com", "x@example.com\r\nBcc: victim@example.com"};
    st = mail::validate(bad_to);
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.error().message.find("header injection"), std::string::npos);

    auto none = good;
    none.to.clear();
    EXPECT_FALSE(mail::validate(none).ok());
    auto blank = good;
    blank.to = {"  "};
    EXPECT_FALSE(mail::validate(blank).ok());
    auto spaced = good;
    spaced.to = {"not an address"};
    EXPECT_FALSE(mail::validate(spaced).ok());
}

TEST(MailMessage, EnvelopeAddressIsTheBareAddress) {
    EXPECT_EQ(mail::envelope_address("Night Shift <night@example.com>"), "night@example.com");
    EXPECT_EQ(mail::envelope_address("  ops@example.com "), "ops@example.com");
    EXPECT_EQ(mail::envelope_address("<a@b>"), "a@b");
}

TEST(MailSmtp, RefusesInjectionBeforeConnecting) {
    config::SmtpConfig cfg;
    cfg.url = "smtp://127.0.0.1:" + std::to_string(closed_port());
    mail::SmtpMailer m(cfg, "host-a");
    EXPECT_EQ(m.from(), "olmd@host-a");
    auto st = m.send({{"a@example.com"}, "x\r\nBcc: b@example.com", "body"});
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.error().message.find("header injection"), std::string::npos);

    config::SmtpConfig bad_from = cfg;
    bad_from.from = "olmd@host\r\nBcc: x@example.com";
    st = mail::SmtpMailer(bad_from, "h").send({{"a@example.com"}, "s", "b"});
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.error().message.find("[smtp] from"), std::string::npos) << st.error().message;
}

TEST(MailSmtp, RefusesOtherSchemes) {
    config::SmtpConfig cfg;
    cfg.url = "http://127.0.0.1:25";
    auto st = mail::SmtpMailer(cfg, "h").send({{"a@example.com"}, "s", "b"});
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.error().message.find("smtp://"), std::string::npos);
}

TEST(MailSmtp, UnreadablePasswordFileIsAnErrorNamingTheFile) {
    config::SmtpConfig cfg;
    cfg.url = "smtp://127.0.0.1:" + std::to_string(closed_port());
    cfg.username = "olmd";
    cfg.password_file = "/nonexistent/olmd-smtp-password";
    auto st = mail::SmtpMailer(cfg, "h").send({{"a@example.com"}, "s", "b"});
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.error().message.find("/nonexistent/olmd-smtp-password"), std::string::npos);
}

TEST(MailSmtp, ConnectionRefusedIsAnErrorNamingTheServer) {
    config::SmtpConfig cfg;
    const int port = closed_port();
    cfg.url = "smtp://127.0.0.1:" + std::to_string(port);
    cfg.timeout_ms = 2000;
    auto st = mail::SmtpMailer(cfg, "h").send({{"a@example.com"}, "subject", "b"});
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.error().message.find("127.0.0.1:" + std::to_string(port)), std::string::npos)
        << st.error().message;
    EXPECT_NE(st.error().message.find("a@example.com"), std::string::npos);
}

TEST(MailSmtp, SilentServerTimesOut) {
    SilentServer silent;
    config::SmtpConfig cfg;
    cfg.url = "smtp://127.0.0.1:" + std::to_string(silent.port());
    cfg.timeout_ms = 300;
    const auto t0 = std::chrono::steady_clock::now();
    auto st = mail::SmtpMailer(cfg, "h").send({{"a@example.com"}, "s", "b"});
    const auto took = std::chrono::steady_clock::now() - t0;
    ASSERT_FALSE(st.ok());
    EXPECT_LT(took, 3s);
    EXPECT_NE(st.error().message.find("imeout"), std::string::npos) << st.error().message;
}

/// Fails the first n sends, then records like a FakeMailer; can block each send for a while.
class FlakyMailer final : public mail::Mailer {
public:
    explicit FlakyMailer(int failures, std::chrono::milliseconds delay = 0ms) : failures_(failures), delay_(delay) {}
    Status send(const mail::Email& e) override {
        std::this_thread::sleep_for(delay_);
        if (calls_.fetch_add(1) < failures_) return Error{"temporary failure"};
        return inner.send(e);
    }
    int calls() const { return calls_.load(); }
    FakeMailer inner;

private:
    int failures_;
    std::chrono::milliseconds delay_;
    std::atomic<int> calls_{0};
};

TEST(MailAsync, SendReturnsAtOnceAndDeliversInTheBackground) {
    FlakyMailer slow(0, 300ms);
    mail::AsyncMailer q(slow, test::wall_clock());
    const auto t0 = std::chrono::steady_clock::now();
    ASSERT_TRUE(q.send({{"a@example.com"}, "s", "b"}).ok());
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 100ms);
    EXPECT_TRUE(q.flush(5s));
    EXPECT_EQ(slow.inner.count(), 1u);
    EXPECT_EQ(q.delivered(), 1u);
}

TEST(MailAsync, RetriesWithBackoffThenDelivers) {
    FlakyMailer flaky(2);
    mail::AsyncMailer q(flaky, test::wall_clock(), {3, 20ms, 10});
    ASSERT_TRUE(q.send({{"a@example.com"}, "s", "b"}).ok());
    EXPECT_TRUE(q.flush(5s));
    EXPECT_EQ(flaky.calls(), 3);
    EXPECT_EQ(q.delivered(), 1u);
    EXPECT_EQ(q.failed(), 0u);
}

TEST(MailAsync, GivesUpAfterEveryAttemptFailedWithoutThrowing) {
    FlakyMailer down(1000);
    mail::AsyncMailer q(down, test::wall_clock(), {3, 10ms, 10});
    ASSERT_TRUE(q.send({{"a@example.com"}, "first", "b"}).ok());
    ASSERT_TRUE(q.send({{"a@example.com"}, "second", "b"}).ok());
    EXPECT_TRUE(q.flush(5s));
    EXPECT_EQ(down.calls(), 6);
    EXPECT_EQ(q.failed(), 2u);
    EXPECT_EQ(q.delivered(), 0u);
}

/// Polls pred for up to 20 s of real time; true once it holds.
bool eventually(const std::function<bool()>& pred) {
    const auto until = std::chrono::steady_clock::now() + 20s;
    while (!pred()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(1ms);
    }
    return true;
}

TEST(MailAsync, MON4_BackoffWaitsOnTheInjectedClock) {
    FlakyMailer flaky(2);
    domain::FakeClock clock(Instant{});
    mail::AsyncMailer q(flaky, clock, {3, 1000ms, 10});
    ASSERT_TRUE(q.send({{"a@example.com"}, "s", "b"}).ok());
    ASSERT_TRUE(clock.await_waiters(1));
    EXPECT_EQ(flaky.calls(), 1);
    clock.advance(1000ms);
    ASSERT_TRUE(eventually([&] { return flaky.calls() == 2; }));
    ASSERT_TRUE(eventually([&] { return clock.waiting() == 1; }));
    clock.advance(1999ms);  // the second backoff is 2000 ms
    std::this_thread::sleep_for(20ms);
    EXPECT_EQ(flaky.calls(), 2);
    clock.advance(1ms);
    EXPECT_TRUE(q.flush(5s));
    EXPECT_EQ(flaky.calls(), 3);
    EXPECT_EQ(q.delivered(), 1u);
}

TEST(MailAsync, MON4_ShutdownEndsABackoffAtOnce) {
    FlakyMailer down(1000);
    domain::FakeClock clock(Instant{});
    {
        mail::AsyncMailer q(down, clock, {3, std::chrono::milliseconds(std::chrono::hours(1)), 10});
        ASSERT_TRUE(q.send({{"a@example.com"}, "s", "b"}).ok());
        ASSERT_TRUE(clock.await_waiters(1));
    }  // no time passes: without the cut, this destructor would wait for ever
    EXPECT_EQ(down.calls(), 1);
    EXPECT_EQ(clock.waiting(), 0);
}

TEST(MailAsync, FlushIsBoundedByItsTimeout) {
    FlakyMailer slow(0, 2000ms);
    {
        mail::AsyncMailer q(slow, test::wall_clock());
        ASSERT_TRUE(q.send({{"a@example.com"}, "s", "b"}).ok());
        const auto t0 = std::chrono::steady_clock::now();
        EXPECT_FALSE(q.flush(200ms));
        EXPECT_LT(std::chrono::steady_clock::now() - t0, 1000ms);
    }  // the destructor waits only for the attempt in hand
}

TEST(MailAsync, InvalidEmailAndFullQueueAreRefusedAtSend) {
    FlakyMailer slow(0, 200ms);
    mail::AsyncMailer q(slow, test::wall_clock(), {1, 0ms, 2});
    EXPECT_FALSE(q.send({{"a@example.com"}, "x\nBcc: y@example.com", "b"}).ok());
    int accepted = 0;
    for (int i = 0; i < 6; ++i) accepted += q.send({{"a@example.com"}, "s", "b"}).ok() ? 1 : 0;
    EXPECT_GE(accepted, 2);
    EXPECT_LE(accepted, 3);  // two waiting, at most one in hand
}

}  // namespace
}  // namespace olmd::test
