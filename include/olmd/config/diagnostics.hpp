#pragma once
// Errors and warnings found while loading and validating a configuration.

#include <string>
#include <vector>

namespace olmd::config {

enum class Severity { error, warning };

/// One finding, printed as "file:line:column: error: key: message".
struct Diagnostic {
    Severity severity = Severity::error;
    std::string file;
    int line = 0;     ///< 0 = no position (e.g. a default value)
    int column = 0;
    std::string key;  ///< dotted key path, may be empty
    std::string message;

    /// The one-line human form.
    std::string to_string() const;
};

/// All findings of one load; errors first is not required, order of discovery is kept.
struct Diagnostics {
    std::vector<Diagnostic> items;
    /// True when any finding is an error.
    bool has_errors() const;
    /// Appends an error.
    void error(std::string file, int line, int col, std::string key, std::string message);
    /// Appends a warning.
    void warning(std::string file, int line, int col, std::string key, std::string message);
};

}  // namespace olmd::config
