#pragma once
// Small text helpers every module may use.

#include <string>
#include <string_view>

namespace olmd {

/// s with every ASCII letter in lower case (bytes of other characters unchanged).
std::string ascii_lower(std::string_view s);

}  // namespace olmd
