#include "olmd/config/diagnostics.hpp"

#include <algorithm>
#include <utility>

namespace olmd::config {

std::string Diagnostic::to_string() const {
    std::string s = file;
    if (line > 0) s += ":" + std::to_string(line) + ":" + std::to_string(column);
    s += severity == Severity::error ? ": error: " : ": warning: ";
    if (!key.empty()) s += key + ": ";
    s += message;
    return s;
}

bool Diagnostics::has_errors() const {
    return std::any_of(items.begin(), items.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::error; });
}

void Diagnostics::error(std::string file, int line, int col, std::string key, std::string message) {
    items.push_back(Diagnostic{Severity::error, std::move(file), line, col, std::move(key), std::move(message)});
}

void Diagnostics::warning(std::string file, int line, int col, std::string key, std::string message) {
    items.push_back(Diagnostic{Severity::warning, std::move(file), line, col, std::move(key), std::move(message)});
}

}  // namespace olmd::config
