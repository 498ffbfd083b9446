#include "load_context.hpp"

#include <algorithm>
#include <utility>

#include "suggest.hpp"

namespace olmd::config::detail {

namespace {

std::string section_label(const std::string& section, const std::string& key) {
    return "[" + (section.empty() ? key : section + "." + key) + "]";
}

}  // namespace

LoadContext::LoadContext(std::string file_, Config& cfg_, Diagnostics& diags_)
    : file(std::move(file_)), cfg(cfg_), diags(diags_) {}

void LoadContext::error(const std::string& key, SourcePos p, const std::string& message) {
    diags.error(file, p.line, p.column, key, message);
}

void LoadContext::warning(const std::string& key, SourcePos p, const std::string& message) {
    diags.warning(file, p.line, p.column, key, message);
}

bool LoadContext::has_error(const std::string& dotted) const {
    return std::any_of(diags.items.begin(), diags.items.end(),
                       [&](const Diagnostic& d) { return d.severity == Severity::error && d.key == dotted; });
}

SourcePos LoadContext::first_pos(const std::vector<std::string>& dotted) const {
    for (const auto& d : dotted)
        if (written(d)) return pos(d);
    return {};
}

void LoadContext::register_known(const std::string& section, const std::string& key) {
    if (section.empty()) return;  // section names are not "keys that belong somewhere"
    auto& v = sections_of_key_[key];
    if (std::find(v.begin(), v.end(), section) == v.end()) v.push_back(section);
}

void LoadContext::report_unknown_keys() {
    for (const auto& u : unknown_) {
        const std::string dotted = u.section.empty() ? u.key : u.section + "." + u.key;
        std::string msg;
        if (u.section.empty())
            msg = u.is_table ? "unknown section " + section_label("", u.key)
                             : "unknown key " + quote_value(u.key) + " outside any section";
        else
            msg = u.is_table ? "unknown section " + section_label(u.section, u.key)
                             : "unknown key " + quote_value(u.key) + " in [" + u.section + "]";

        if (auto near = nearest(u.key, u.known)) {
            if (u.is_table || u.section.empty())
                msg += "; did you mean " + section_label(u.section, *near) + "?";
            else
                msg += "; did you mean \"" + *near + "\"?";
        } else if (auto it = sections_of_key_.find(u.key); it != sections_of_key_.end() && !u.is_table) {
            std::vector<std::string> where;
            for (const auto& s : it->second) where.push_back("[" + s + "]");
            msg += "; " + quote_value(u.key) + " belongs in " + join(where, " or ");
        } else if (!u.known.empty()) {
            msg += u.section.empty() ? "; valid sections: " : "; valid keys: ";
            msg += join(u.known, ", ");
        }
        error(dotted, u.pos, msg);
    }
    unknown_.clear();
}

}  // namespace olmd::config::detail
