// Email validation and the RFC 5322 / MIME message text (mail/mailer.hpp).
#include <array>
#include <cctype>
#include <ctime>
#include <random>

#include <fmt/format.h>

#include "olmd/mail/mailer.hpp"

namespace olmd::mail {
namespace {

constexpr std::size_t kMaxLine = 998;  // RFC 5322 2.1.1, without CRLF
constexpr std::size_t kFoldAt = 78;    // RFC 5322 2.1.1 "SHOULD"

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

bool is_ascii(std::string_view s) {
    for (unsigned char c : s)
        if (c >= 0x80) return false;
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

/// Describes the first control character in s for an error message, or "" when none.
std::string control_char(std::string_view s) {
    for (unsigned char c : s) {
        if (c == '\r') return "a carriage return (CR)";
        if (c == '\n') return "a line feed (LF)";
        if (is_control(c)) return fmt::format("the control character 0x{:02x}", c);
    }
    return "";
}

/// Splits s into lines on CRLF, lone CR or lone LF (the last line may be empty).
std::vector<std::string_view> split_lines(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\r' || s[i] == '\n') {
            out.push_back(s.substr(start, i - start));
            if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
            start = i + 1;
        }
    }
    out.push_back(s.substr(start));
    return out;
}

/// Length of the longest prefix of s no longer than max that does not cut a UTF-8 sequence.
std::size_t utf8_cut(std::string_view s, std::size_t max) {
    if (s.size() <= max) return s.size();
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return n == 0 ? max : n;
}

std::string base64(std::string_view in) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                           static_cast<unsigned char>(in[i + 2]);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += kAlphabet[v & 63];
    }
    if (i < in.size()) {
        unsigned v = static_cast<unsigned char>(in[i]) << 16;
        if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

/// "Subject: ..." folded to lines of about 78 characters; non-ASCII text as RFC 2047 encoded words.
std::string subject_header(std::string_view subject) {
    std::string out = "Subject:";
    if (!is_ascii(subject)) {
        // RFC 2047: lines with encoded words stay within 76 characters. 39 bytes of UTF-8 -> 52 of
        // base64 + 12 of "=?UTF-8?B??=" = 64, so even the first line "Subject: <word>" is 73.
        std::size_t pos = 0;
        bool first = true;
        do {
            const std::size_t n = utf8_cut(subject.substr(pos), 39);
            out += first ? " " : "\r\n ";
            out += "=?UTF-8?B?" + base64(subject.substr(pos, n)) + "?=";
            pos += n;
            first = false;
        } while (pos < subject.size());
        return out + "\r\n";
    }
    // ASCII: fold at spaces; a word longer than a line is kept whole (up to the 998 limit).
    std::size_t line_len = out.size();
    std::size_t pos = 0;
    bool first_word = true;
    while (pos <= subject.size()) {
        std::size_t sp = subject.find(' ', pos);
        if (sp == std::string_view::npos) sp = subject.size();
        std::string_view word = subject.substr(pos, sp - pos);
        if (word.size() > kMaxLine - 2) word = word.substr(0, kMaxLine - 2);
        if (!first_word && line_len + 1 + word.size() > kFoldAt) {
            out += "\r\n";
            line_len = 0;
        }
        out += ' ';
        out += word;
        line_len += 1 + word.size();
        first_word = false;
        pos = sp + 1;
    }
    return out + "\r\n";
}

/// "To: a, b" folded after a comma when a line would pass 78 characters.
std::string to_header(const std::vector<std::string>& to) {
    std::string out = "To:";
    std::size_t line_len = out.size();
    for (std::size_t i = 0; i < to.size(); ++i) {
        const std::string_view addr = trim(to[i]);
        const bool last = i + 1 == to.size();
        const std::size_t need = 1 + addr.size() + (last ? 0 : 1);
        if (i > 0 && line_len + need > kFoldAt) {
            out += "\r\n";
            line_len = 0;
        }
        out += ' ';
        out += addr;
        if (!last) out += ',';
        line_len += need;
    }
    return out + "\r\n";
}

/// Quoted-printable (RFC 2045 6.7) of one line, soft-broken to at most 76 characters per line.
void append_quoted_printable(std::string& out, std::string_view line) {
    std::size_t len = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(line[i]);
        const bool at_end = i + 1 == line.size();
        std::string piece;
        if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_end))
            piece.assign(1, static_cast<char>(c));
        else
            piece = fmt::format("={:02X}", c);
        if (len + piece.size() > 75) {  // leave room for the soft break "="
            out += "=\r\n";
            len = 0;
        }
        out += piece;
        len += piece.size();
    }
    out += "\r\n";
}

std::string sanitize_host(std::string_view host) {
    std::string out;
    for (char c : host)
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-') out += c;
    return out.empty() ? "localhost" : out;
}

}  // namespace

Status validate_address(std::string_view address) {
    if (trim(address).empty()) return Error{"an email address is empty"};
    if (const std::string bad = control_char(address); !bad.empty())
        return Error{"the email address \"" + std::string(trim(split_lines(address).front())) + "...\" contains " +
                     bad + " (header injection refused)"};
    const std::string bare = envelope_address(address);
    if (bare.empty() || bare.find_first_of(" \t<>") != std::string::npos)
        return Error{"\"" + std::string(address) + "\" is not an email address"};
    return ok_status();
}

Status validate(const Email& email) {
    if (email.to.empty()) return Error{"an email needs at least one recipient"};
    for (const std::string& a : email.to)
        if (auto st = validate_address(a); !st) return st;
    if (const std::string bad = control_char(email.subject); !bad.empty())
        return Error{"the email subject contains " + bad + " (header injection refused)"};
    return ok_status();
}

std::string envelope_address(std::string_view address) {
    const auto lt = address.rfind('<');
    if (lt != std::string_view::npos) {
        const auto gt = address.find('>', lt);
        if (gt != std::string_view::npos) return std::string(trim(address.substr(lt + 1, gt - lt - 1)));
    }
    return std::string(trim(address));
}

std::string rfc5322_date(std::chrono::system_clock::time_point t) {
    static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    return fmt::format("{}, {:02d} {} {:04d} {:02d}:{:02d}:{:02d} +0000", kDays[static_cast<std::size_t>(tm.tm_wday)],
                       tm.tm_mday, kMonths[static_cast<std::size_t>(tm.tm_mon)], tm.tm_year + 1900, tm.tm_hour,
                       tm.tm_min, tm.tm_sec);
}

std::string make_message_id(std::string_view host) {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
    return fmt::format("<{:016x}{:016x}.{}@{}>", rng(), rng(), ms, sanitize_host(host));
}

std::string default_from(std::string_view host) { return "olmd@" + sanitize_host(host); }

std::string format_message(const Email& email, const Envelope& envelope) {
    const bool ascii_body = is_ascii(email.body);
    std::string out;
    out.reserve(email.body.size() + 512);
    out += "Date: " + envelope.date + "\r\n";
    out += "Message-ID: " + envelope.message_id + "\r\n";
    out += "From: " + envelope.from + "\r\n";
    out += to_header(email.to);
    out += subject_header(email.subject);
    out += "MIME-Version: 1.0\r\n";
    out += "Content-Type: text/plain; charset=utf-8\r\n";
    out += std::string("Content-Transfer-Encoding: ") + (ascii_body ? "7bit" : "quoted-printable") + "\r\n";
    out += "Auto-Submitted: auto-generated\r\n";  // RFC 3834: no vacation replies to a robot
    out += "\r\n";

    std::vector<std::string_view> lines = split_lines(email.body);
    if (lines.size() > 1 && lines.back().empty()) lines.pop_back();  // the body's own final line end
    for (std::string_view line : lines) {
        if (!ascii_body) {
            append_quoted_printable(out, line);
            continue;
        }
        // 7bit: a line past the RFC 5322 limit is broken into several.
        do {
            const std::string_view part = line.substr(0, kMaxLine);
            out += part;
            out += "\r\n";
            line.remove_prefix(part.size());
        } while (!line.empty());
    }
    return out;
}

}  // namespace olmd::mail
