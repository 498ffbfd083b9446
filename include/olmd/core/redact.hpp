#pragma once
// Keeping secrets (API keys, passwords, card tokens) out of messages and logs.

#include <string>
#include <string_view>

namespace olmd {

/// The text every secret occurrence of which is replaced by "<redacted>"; an empty secret changes
/// nothing. The search resumes after each replacement, so a secret inside "<redacted>" terminates.
std::string redact(std::string text, std::string_view secret);

}  // namespace olmd
