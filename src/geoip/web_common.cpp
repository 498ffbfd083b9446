#include "geoip/web_common.hpp"

#include "olmd/core/credentials.hpp"
#include "olmd/core/redact.hpp"

namespace olmd::geoip::web {

Result<std::string> read_secret(const std::string& path, std::string_view key, std::string_view what) {
    const std::string ctx = "cannot read the " + std::string(what);
    // OPS-8: the file or $CREDENTIALS_DIRECTORY/<basename>, a regular file of one line of at most 4 KiB.
    auto secret = files::read_credential(path, "[fraud.ip_address] " + std::string(key));
    if (!secret) return secret.error().with_context(ctx);
    // Keys hold no blanks: ones around the line are typing slips, not part of the key.
    std::string s = std::move(*secret);
    const auto first = s.find_first_not_of(" \t");
    s = s.substr(first, s.find_last_not_of(" \t") - first + 1);
    return s;
}

std::string string_at(const nlohmann::json& j, const char* key) {
    if (!j.is_object()) return {};
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string trim_base_url(std::string base) {
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base;
}

bool ip_chars_only(std::string_view s) {
    if (s.empty()) return false;
    for (const char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' || c == ':'))
            return false;
    return true;
}

std::string scrubbed(std::string text, const std::string& secret, std::size_t max_chars) {
    text = redact(std::move(text), secret);
    if (text.size() > max_chars) text = text.substr(0, max_chars) + "...";
    return text;
}

}  // namespace olmd::geoip::web
