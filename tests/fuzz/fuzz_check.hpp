#pragma once
// What every fuzz target shares: a property check that aborts (so libFuzzer and the
// corpus replay both report the input), and small readers of the fuzz input.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace olmd::fuzz {

/// Prints the broken property and what was seen, then aborts.
[[noreturn]] inline void fail(const char* file, int line, const char* property, const std::string& seen) {
    std::fprintf(stderr, "%s:%d: fuzz property failed: %s\n  seen: %.2000s\n", file, line, property, seen.c_str());
    std::abort();
}

/// The fuzz input as text.
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

/// Splits off the first line of text (without its '\n'); text keeps the rest.
inline std::string_view take_line(std::string_view& text) {
    const std::size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    return line;
}

}  // namespace olmd::fuzz

/// Aborts with `seen` (a std::string expression) when cond is false.
#define FUZZ_CHECK(cond, seen)                                                 \
    do {                                                                       \
        if (!(cond)) ::olmd::fuzz::fail(__FILE__, __LINE__, #cond, (seen));    \
    } while (false)
