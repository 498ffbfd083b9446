#include "olmd/core/redact.hpp"

namespace olmd {

std::string redact(std::string text, std::string_view secret) {
    if (secret.empty()) return text;
    constexpr std::string_view kMark = "<redacted>";
    for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + kMark.size()))
        text.replace(pos, secret.size(), kMark);
    return text;
}

}  // namespace olmd
