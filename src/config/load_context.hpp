#pragma once
// Private to the config module: the state one load shares between its readers
// and checks (the config being filled, the findings, deferred unknown keys).

#include <map>
#include <string>
#include <vector>

#include "olmd/config/config.hpp"
#include "olmd/config/diagnostics.hpp"

namespace olmd::config::detail {

/// A key or section the file has but no reader asked for.
struct UnknownKey {
    std::string section;              ///< dotted path of the enclosing table, "" = top level
    std::string key;
    SourcePos pos;
    bool is_table = false;
    std::vector<std::string> known;   ///< the valid keys at that level
};

/// Everything one load_config_* call accumulates.
class LoadContext {
public:
    /// Findings go to diags, tagged with file; values and positions go to cfg.
    LoadContext(std::string file, Config& cfg, Diagnostics& diags);

    /// Appends an error at pos (use SourcePos{} when the key was not written).
    void error(const std::string& key, SourcePos pos, const std::string& message);
    /// Appends a warning at pos.
    void warning(const std::string& key, SourcePos pos, const std::string& message);
    /// Position of a dotted key, {0,0} when not written.
    SourcePos pos(const std::string& dotted) const { return cfg.pos(dotted); }
    /// The position of the first written key among dotted, else {0,0}.
    SourcePos first_pos(const std::vector<std::string>& dotted) const;
    /// True when an error was reported for exactly this dotted key.
    bool has_error(const std::string& dotted) const;
    /// True when the dotted key was written in the file.
    bool written(const std::string& dotted) const { return pos(dotted).line > 0; }

    /// Remembers that `key` is valid in section `section` (for cross-section hints).
    void register_known(const std::string& section, const std::string& key);
    /// Defers an unknown key until every reader has registered its keys.
    void add_unknown(UnknownKey u) { unknown_.push_back(std::move(u)); }
    /// Emits an error for each deferred unknown key, with the best suggestion.
    void report_unknown_keys();

    const std::string file;
    Config& cfg;
    Diagnostics& diags;

private:
    std::vector<UnknownKey> unknown_;
    std::map<std::string, std::vector<std::string>> sections_of_key_;  ///< key -> sections that have it
};

}  // namespace olmd::config::detail
