#pragma once
// Private to the config module, included only by its .cpp files so that toml++
// stays out of every other translation unit: typed access to one TOML table
// that records key positions and turns every problem into a Diagnostic.

#include <toml++/toml.h>

#include <climits>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "load_context.hpp"
#include "olmd/core/money.hpp"

namespace olmd::config::detail {

/// The 1-based line:column where a TOML source region starts.
SourcePos to_pos(const toml::source_region& r);

/// A value described for messages: `the string "x"`, `the integer 5`, `an array`, …
std::string describe(const toml::node& n);

/// Reads one table. Every getter marks its key as known, leaves `out` unchanged
/// when the key is absent, reports a bad value as an error (also leaving `out`
/// unchanged, i.e. at its default), and returns true only when it stored a value.
class TableReader {
public:
    /// Records the position of every key of table; table may be null (section absent).
    TableReader(LoadContext& ctx, const toml::table* table, std::string path);

    /// The dotted path of this table ("" = the document root).
    const std::string& path() const { return path_; }
    /// "path.key" (or "key" at the root).
    std::string dotted(std::string_view key) const;
    /// True when the table has the key (does not mark it known).
    bool has(std::string_view key) const;
    /// The key's position, {0,0} when absent.
    SourcePos pos(std::string_view key) const;
    /// The keys of the table, in file order.
    std::vector<std::string> keys() const;

    /// Marks key known and returns its value, or null when absent.
    const toml::node* take(std::string_view key);

    /// true/false.
    bool boolean(std::string_view key, bool& out);
    /// true/false into an optional (absent leaves it unset).
    bool boolean(std::string_view key, std::optional<bool>& out);
    /// An integer in [min, max]; the error states both bounds ("must be 1..100000, got 0").
    bool integer(std::string_view key, int& out, long long min, long long max);
    /// A finite integer or float in (0, max].
    bool positive_number(std::string_view key, double& out, double max);
    /// A finite integer or float in (0, max], into an optional.
    bool positive_number(std::string_view key, std::optional<double>& out, double max);
    /// Any string, as written.
    bool text(std::string_view key, std::string& out);
    /// A name (status, …): trimmed, no control characters; "" only when allow_empty.
    bool name(std::string_view key, std::string& out, bool allow_empty);
    /// A TOML array of strings or one comma-separated string; items trimmed, empties dropped.
    bool list(std::string_view key, std::vector<std::string>& out);
    /// An amount in cents: a decimal string with at most two decimals or a whole-unit integer, ≥ 0.
    bool amount(std::string_view key, std::optional<Cents>& out);
    /// One of the allowed strings; returns its index, nullopt when absent or invalid.
    std::optional<std::size_t> choice_index(std::string_view key, const std::vector<std::string_view>& allowed);

    /// One of the allowed strings, mapped to its enum value.
    template <class E>
    bool choice(std::string_view key, E& out, std::initializer_list<std::pair<std::string_view, E>> allowed) {
        std::vector<std::string_view> names;
        for (const auto& a : allowed) names.push_back(a.first);
        const auto i = choice_index(key, names);
        if (i) out = (allowed.begin() + *i)->second;
        return i.has_value();
    }
    /// One of the allowed strings, into an optional enum.
    template <class E>
    bool choice(std::string_view key, std::optional<E>& out,
                std::initializer_list<std::pair<std::string_view, E>> allowed) {
        std::vector<std::string_view> names;
        for (const auto& a : allowed) names.push_back(a.first);
        const auto i = choice_index(key, names);
        if (i) out = (allowed.begin() + *i)->second;
        return i.has_value();
    }

    /// The sub-table `key`: absent → a reader of nothing; not a table → an error and a reader of nothing.
    TableReader section(std::string_view key);
    /// Queues every key no getter asked for as unknown. Call once, after the getters.
    void finish();

    /// Reports an error at key's position (or at this table's when key is absent).
    void error(std::string_view key, const std::string& message);
    /// Reports a warning at key's position.
    void warning(std::string_view key, const std::string& message);

    /// The load this reader belongs to.
    LoadContext& ctx() { return ctx_; }

private:
    void type_error(std::string_view key, const toml::node& n, const std::string& expected);

    LoadContext& ctx_;
    const toml::table* table_;
    std::string path_;
    std::vector<std::string> known_;
};

}  // namespace olmd::config::detail
