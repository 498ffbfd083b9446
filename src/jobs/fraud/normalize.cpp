// FR-12: every fraud comparison is case-insensitive with surrounding blanks
// trimmed and inner runs of blanks folded to one space; NULL is "".
#include "olmd/jobs/fraud/normalize.hpp"

namespace olmd::jobs::fraud {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_digits(std::string_view s) {
    for (char c : s)
        if (!is_digit(c)) return false;
    return true;
}

/// Appends s normalized to out, one space between it and what out already holds.
void append_normalized(std::string_view s, std::string& out) {
    bool pending_space = !out.empty();
    for (char c : s) {
        if (is_blank(c)) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) out.push_back(' ');
        pending_space = false;
        out.push_back(upper(c));
    }
}

}  // namespace

void normalize_into(std::string_view s, std::string& out) {
    out.clear();
    append_normalized(s, out);
}

std::string normalize(std::string_view s) {
    std::string out;
    normalize_into(s, out);
    return out;
}

void normalize_state_into(std::string_view s, std::string& out) {
    normalize_into(s, out);
    if (out.size() <= 2) return;
    if (auto code = us_state_code(out); !code.empty()) out.assign(code);
}

std::string normalize_state(std::string_view s) {
    std::string out;
    normalize_state_into(s, out);
    return out;
}

void normalize_zip_into(std::string_view s, std::string& out) {
    normalize_into(s, out);
    const std::string_view z = out;
    const bool zip9 = z.size() == 9 && all_digits(z);
    const bool zip_plus4 = z.size() == 10 && (z[5] == '-' || z[5] == ' ') && all_digits(z.substr(0, 5)) &&
                           all_digits(z.substr(6));
    if (zip9 || zip_plus4) out.resize(5);
}

std::string normalize_zip(std::string_view s) {
    std::string out;
    normalize_zip_into(s, out);
    return out;
}

void normalize_name_into(std::string_view first, std::string_view last, std::string& out) {
    // "FIRST LAST", or "FIRST" / "LAST" alone, without stray blanks.
    out.clear();
    append_normalized(first, out);
    append_normalized(last, out);
}

}  // namespace olmd::jobs::fraud
