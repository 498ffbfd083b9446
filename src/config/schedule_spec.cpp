#include "olmd/config/schedule_spec.hpp"
#include "olmd/core/text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <optional>

namespace olmd::config {

namespace {

/// One cron field's name, bounds and optional names (index = value - name_base).
struct FieldDef {
    const char* name;
    int lo;
    int hi;
    const char* allowed;                  ///< how the allowed values are described
    const std::array<const char*, 12>* names = nullptr;
    int name_count = 0;
    int name_base = 0;
};

constexpr std::array<const char*, 12> kMonthNames = {"jan", "feb", "mar", "apr", "may", "jun",
                                                     "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<const char*, 12> kDayNames = {"sun", "mon", "tue", "wed", "thu", "fri", "sat",
                                                   "", "", "", "", ""};

const std::array<FieldDef, 5> kFields = {{
    {"minute", 0, 59, "0-59"},
    {"hour", 0, 23, "0-23"},
    {"day-of-month", 1, 31, "1-31"},
    {"month", 1, 12, "1-12 or jan-dec", &kMonthNames, 12, 1},
    {"day-of-week", 0, 7, "0-7 or sun-sat (0 and 7 are Sunday)", &kDayNames, 7, 0},
}};

constexpr const char* kFieldList = "(minute hour day-of-month month day-of-week)";

/// A token of the expression and where it starts (0-based offset in the text).
struct Token {
    std::string_view text;
    std::size_t offset;
};

/// text in quotes for a message, cut at 80 characters (OPS-10: bounded messages).
std::string q(std::string_view text) {
    std::string out = "\"" + std::string(text.substr(0, 80)) + "\"";
    if (text.size() > 80) out += "…(" + std::to_string(text.size()) + " bytes)";
    return out;
}

/// Builds the error for field `index` at text offset `offset`.
Error field_error(std::string_view text, std::size_t index, std::size_t offset, const std::string& detail) {
    return Error{"cron " + q(text) + ": field " + std::to_string(index + 1) + " (" +
                 kFields[index].name + ") at column " + std::to_string(offset + 1) + ": " + detail};
}

/// Parses a decimal number made only of digits (no sign); nullopt otherwise.
std::optional<int> parse_number(std::string_view s) {
    if (s.empty() || s.size() > 9) return std::nullopt;
    if (!std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
    int v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    return v;
}

/// Parses a value (number or name) of field `def`; nullopt when it is neither.
std::optional<int> parse_value(const FieldDef& def, std::string_view s) {
    if (auto n = parse_number(s)) return n;
    if (def.names == nullptr) return std::nullopt;
    std::string l = ascii_lower(s);
    for (int i = 0; i < def.name_count; ++i)
        if (l == (*def.names)[static_cast<std::size_t>(i)]) return def.name_base + i;
    return std::nullopt;
}

/// Splits on spaces and tabs, keeping offsets.
std::vector<Token> split_fields(std::string_view text) {
    std::vector<Token> out;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
        if (i >= text.size()) break;
        std::size_t start = i;
        while (i < text.size() && text[i] != ' ' && text[i] != '\t') ++i;
        out.push_back({text.substr(start, i - start), start});
    }
    return out;
}

/// Parses one field into the values it selects (0..hi); errors point at the bad item.
Result<std::vector<bool>> parse_field(std::string_view text, std::size_t index, Token field) {
    const FieldDef& def = kFields[index];
    std::vector<bool> sel(static_cast<std::size_t>(def.hi + 1), false);
    const std::string range = std::string(" (allowed ") + def.allowed + ")";
    std::size_t pos = 0;
    while (pos <= field.text.size()) {
        std::size_t comma = field.text.find(',', pos);
        if (comma == std::string_view::npos) comma = field.text.size();
        std::string_view item = field.text.substr(pos, comma - pos);
        const std::size_t off = field.offset + pos;
        if (item.empty()) return field_error(text, index, off, "empty list item" + range);

        std::string_view base = item;
        std::optional<int> step;
        if (std::size_t slash = item.find('/'); slash != std::string_view::npos) {
            base = item.substr(0, slash);
            std::string_view st = item.substr(slash + 1);
            step = parse_number(st);
            if (!step || *step < 1)
                return field_error(text, index, off + slash + 1,
                                   "step " + q(st) + " must be a whole number of at least 1");
        }
        int lo = def.lo;
        int hi = def.hi;
        if (base == "*") {
            // "*" or "*/n": the whole range.
        } else {
            std::size_t dash = base.find('-');
            std::string_view a = base.substr(0, dash);
            auto va = parse_value(def, a);
            if (!va) return field_error(text, index, off, q(a) + " is not a valid value" + range);
            if (*va < def.lo || *va > def.hi)
                return field_error(text, index, off,
                                   std::string(a) + " is out of range " + std::to_string(def.lo) + "-" +
                                       std::to_string(def.hi));
            lo = *va;
            if (dash != std::string_view::npos) {
                std::string_view b = base.substr(dash + 1);
                auto vb = parse_value(def, b);
                if (!vb)
                    return field_error(text, index, off + dash + 1,
                                       q(b) + " is not a valid value" + range);
                if (*vb < def.lo || *vb > def.hi)
                    return field_error(text, index, off + dash + 1,
                                       std::string(b) + " is out of range " + std::to_string(def.lo) + "-" +
                                           std::to_string(def.hi));
                if (*vb < lo)
                    return field_error(text, index, off,
                                       "range " + std::string(base) + " runs backwards" + range);
                hi = *vb;
            } else if (!step) {
                hi = lo;  // a single value; "a/n" keeps hi = the field's maximum
            }
        }
        for (int v = lo; v <= hi; v += step.value_or(1)) sel[static_cast<std::size_t>(v)] = true;
        pos = comma + 1;
    }
    return sel;
}

template <std::size_t N>
void copy_bits(const std::vector<bool>& sel, std::bitset<N>& bits) {
    for (std::size_t i = 0; i < sel.size() && i < N; ++i) bits[i] = sel[i];
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

constexpr std::array<const char*, 13> kMonthFull = {"",     "January", "February",  "March",   "April",
                                                   "May",  "June",    "July",      "August",  "September",
                                                   "October", "November", "December"};

/// The longest a month can be (February: 29, in leap years).
unsigned max_days(unsigned month) {
    constexpr std::array<unsigned, 13> kDays = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return kDays[month];
}

/// Why spec never fires (only day-of-month against month can rule out every date), or "".
std::string never_fires(const CronSpec& spec) {
    // Both restricted: either may match, and some selected weekday is in every month. Otherwise
    // both must match; every (month, day) falls on each weekday within 28 years, so only a
    // day-of-month that no selected month has can rule out every date.
    if (spec.dom_restricted && spec.dow_restricted) return "";
    std::string months;
    for (unsigned m = 1; m <= 12; ++m) {
        if (!spec.months[m]) continue;
        for (unsigned d = 1; d <= max_days(m); ++d)
            if (spec.days_of_month[d]) return "";
        months += std::string(months.empty() ? "" : ", ") + kMonthFull[m];
    }
    return "can never fire: no day it names exists in " + months +
           " (a job with this schedule would never run; check the day-of-month and month fields)";
}

}  // namespace

bool CronSpec::day_matches(unsigned dom, unsigned month, unsigned dow) const {
    if (month >= months.size() || !months[month]) return false;
    const bool dom_ok = dom < days_of_month.size() && days_of_month[dom];
    const bool dow_ok = days_of_week[dow % 7];
    // Vixie cron: when either day field starts with '*' (also "*/2") both must match;
    // only two restricted fields match either (fuzz finding F4: "*/2" was every day).
    if (dom_restricted && dow_restricted) return dom_ok || dow_ok;
    return dom_ok && dow_ok;
}

Result<CronSpec> parse_cron(std::string_view text) {
    const std::vector<Token> fields = split_fields(text);
    if (fields.size() != 5)
        return Error{"cron " + q(text) + ": expected 5 fields " + kFieldList + ", got " +
                     std::to_string(fields.size())};
    CronSpec spec;
    spec.text = std::string(trim(text));
    std::array<std::vector<bool>, 5> sel;
    for (std::size_t i = 0; i < 5; ++i) {
        auto r = parse_field(text, i, fields[i]);
        if (!r) return r.error();
        sel[i] = std::move(r).value();
    }
    copy_bits(sel[0], spec.minutes);
    copy_bits(sel[1], spec.hours);
    copy_bits(sel[2], spec.days_of_month);
    copy_bits(sel[3], spec.months);
    for (std::size_t d = 0; d < sel[4].size(); ++d)
        if (sel[4][d]) spec.days_of_week[d % 7] = true;  // 7 is Sunday too
    spec.dom_restricted = fields[2].text.front() != '*';
    spec.dow_restricted = fields[4].text.front() != '*';
    if (auto why = never_fires(spec); !why.empty()) return Error{"cron " + q(spec.text) + " " + why};
    return spec;
}

Result<int> parse_slot(std::string_view text) {
    const std::string_view s = trim(text);
    auto bad = [&] {
        return Error{"slot " + q(text) +
                     ": slots are half-hour local times \"HH:00\" or \"HH:30\" (00:00 to 23:30), or \"*\" for all 48"};
    };
    if (s.size() != 5 || s[2] != ':') return bad();
    auto hh = parse_number(s.substr(0, 2));
    auto mm = parse_number(s.substr(3, 2));
    if (!hh || !mm || *hh > 23 || (*mm != 0 && *mm != 30)) return bad();
    return *hh * 60 + *mm;
}

Result<std::vector<int>> parse_slots(const std::vector<std::string>& slots) {
    std::vector<int> out;
    for (const std::string& s : slots) {
        if (trim(s) == "*") {
            for (int m = 0; m < 24 * 60; m += 30) out.push_back(m);
            continue;
        }
        auto r = parse_slot(s);
        if (!r) return r.error();
        out.push_back(*r);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

}  // namespace olmd::config
