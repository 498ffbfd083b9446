// Country normalization (rules.md "country codes"). A value is folded to its
// written form (blanks trimmed and folded, ASCII upper-cased) and then to a
// lookup key (Latin-1 accents to ASCII, dots dropped, a leading "THE " tried
// without), which the ISO 3166-1 table answers with the alpha-2 code. Keys: the
// alpha-2 and alpha-3 codes, iso-codes' English short, official and common names,
// and the short alias list below. Anything else is kept in its written form.
#include "olmd/core/country.hpp"

#include <functional>
#include <unordered_map>

#include "core/iso3166_table.hpp"

namespace olmd {

namespace {

/// Names back offices write that are none of iso-codes' names (after the key folding).
struct Alias {
    std::string_view key, alpha2;
};
constexpr Alias kAliases[] = {
    {"UK", "GB"},       {"GREAT BRITAIN", "GB"},    {"ENGLAND", "GB"}, {"SCOTLAND", "GB"},
    {"WALES", "GB"},    {"NORTHERN IRELAND", "GB"}, {"RUSSIA", "RU"},  {"TURKEY", "TR"},
    {"HOLLAND", "NL"},
};

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

/// The written form: trimmed, inner runs of blanks folded to one space, ASCII upper-cased.
void written_into(std::string_view s, std::string& out) {
    out.clear();
    bool pending_space = false;
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

/// The ASCII letters of the Latin-1 letter U+00C0 + i (i < 32; the lower-case half maps alike).
constexpr const char* kLatin1[32] = {"A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E",  "E", "I", "I", "I", "I",
                                     "D", "N", "O", "O", "O", "O", "O",  "",  "O", "U", "U",  "U", "U", "Y", "TH", "SS"};

/// The lookup key of a written form: Latin-1 accents to ASCII, curly apostrophes to ', dots dropped.
void key_into(std::string_view w, std::string& key) {
    key.clear();
    for (std::size_t i = 0; i < w.size(); ++i) {
        const auto c = static_cast<unsigned char>(w[i]);
        if (c == '.') continue;
        if (c == 0xC3 && i + 1 < w.size()) {
            const auto n = static_cast<unsigned char>(w[i + 1]);
            if (n >= 0x80 && n <= 0xBF) {
                const unsigned idx = n - 0x80u;
                const char* ascii = idx == 63 ? "Y" : kLatin1[idx % 32];  // U+00FF is y with diaeresis
                if (*ascii != '\0') {
                    key += ascii;
                    ++i;
                    continue;
                }
            }
        }
        if (c == 0xE2 && i + 2 < w.size() && static_cast<unsigned char>(w[i + 1]) == 0x80 &&
            (static_cast<unsigned char>(w[i + 2]) == 0x98 || static_cast<unsigned char>(w[i + 2]) == 0x99)) {
            key.push_back('\'');  // U+2018 / U+2019
            i += 2;
            continue;
        }
        key.push_back(static_cast<char>(c));
    }
}

struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using KeyMap = std::unordered_map<std::string, std::string_view, KeyHash, std::equal_to<>>;

const KeyMap& keys() {
    static const KeyMap map = [] {
        KeyMap m;
        std::string w, k;
        auto add = [&](std::string_view text, std::string_view alpha2) {
            if (text.empty()) return;
            written_into(text, w);
            key_into(w, k);
            m.emplace(k, alpha2);  // the first entry wins: codes before names
        };
        const auto table = iso_countries();
        for (const auto& c : table) add(c.alpha2, c.alpha2);
        for (const auto& c : table) add(c.alpha3, c.alpha2);
        for (const auto& c : table) {
            add(c.name, c.alpha2);
            add(c.official_name, c.alpha2);
            add(c.common_name, c.alpha2);
        }
        for (const auto& a : kAliases) add(a.key, a.alpha2);
        return m;
    }();
    return map;
}

}  // namespace

std::span<const IsoCountry> iso_countries() { return {detail::kIsoCountries, detail::kIsoCountryCount}; }

void country_code_into(std::string_view text, std::string& out) {
    written_into(text, out);
    if (out.empty()) return;
    std::string key;
    key_into(out, key);
    const KeyMap& m = keys();
    auto it = m.find(std::string_view(key));
    if (it == m.end() && std::string_view(key).starts_with("THE ")) it = m.find(std::string_view(key).substr(4));
    if (it != m.end()) out.assign(it->second);
}

std::string country_code(std::string_view text) {
    std::string out;
    country_code_into(text, out);
    return out;
}

bool is_iso_country(std::string_view code) {
    if (code.size() != 2) return false;
    const auto it = keys().find(code);
    return it != keys().end() && it->second == code;
}

std::string_view country_name(std::string_view alpha2) {
    const std::string code = country_code(alpha2);
    for (const auto& c : iso_countries())
        if (c.alpha2 == code) return c.name;
    return {};
}

}  // namespace olmd
