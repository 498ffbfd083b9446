#include "geoip/web_common.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>

namespace olmd::geoip::web {
namespace {

constexpr std::size_t max_secret_bytes = 64 * 1024;

/// The content of the regular file path, or an Error saying why it cannot be read.
Result<std::string> read_small_file(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return Error{path.string() + " is not a regular file"};
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!f) return Error{"cannot open " + path.string() + ": " + std::strerror(errno)};
    std::string text(max_secret_bytes + 1, '\0');
    const std::size_t n = std::fread(text.data(), 1, text.size(), f.get());
    if (std::ferror(f.get())) return Error{"cannot read " + path.string() + ": " + std::strerror(errno)};
    if (n > max_secret_bytes) return Error{path.string() + " is too large for a key (over 64 KiB)"};
    text.resize(n);
    return text;
}

}  // namespace

Result<std::string> read_secret(const std::string& path, std::string_view key, std::string_view what) {
    const std::string ctx = "cannot read the " + std::string(what);
    if (path.empty())
        return Error{ctx + ": [fraud.ip_address] " + std::string(key) + " is not set; point it at the file that holds it"};
    std::filesystem::path file = path;
    std::error_code ec;
    const std::string name = file.filename().string();
    if (!std::filesystem::exists(file, ec)) {
        const char* creds = std::getenv("CREDENTIALS_DIRECTORY");
        const std::filesystem::path fallback =
            creds != nullptr && *creds != '\0' ? std::filesystem::path(creds) / name : std::filesystem::path();
        if (fallback.empty() || !std::filesystem::exists(fallback, ec))
            return Error{ctx + ": " + path + " does not exist" +
                         (fallback.empty() ? std::string(" ($CREDENTIALS_DIRECTORY is not set)")
                                           : " and neither does " + fallback.string()) +
                         "; create it (readable by olmd only), fix [fraud.ip_address] " + std::string(key) +
                         ", or pass it with systemd LoadCredential=" + name + ":/path/to/the/key"};
        file = fallback;
    }
    auto text = read_small_file(file);
    if (!text) return text.error().with_context(ctx);
    std::string secret = std::move(*text);
    while (!secret.empty() && std::strchr(" \t\r\n\f\v", secret.back()) != nullptr) secret.pop_back();
    if (secret.empty())
        return Error{ctx + ": " + file.string() + " is empty; put the " + std::string(what) + " in it"};
    return secret;
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
    if (!secret.empty())
        for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos))
            text.replace(pos, secret.size(), "<redacted>");
    if (text.size() > max_chars) text = text.substr(0, max_chars) + "...";
    return text;
}

}  // namespace olmd::geoip::web
