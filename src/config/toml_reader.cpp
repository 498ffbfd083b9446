#include "toml_reader.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "suggest.hpp"

namespace olmd::config::detail {

namespace {

std::string trim(std::string_view s) {
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && blank(s.front())) s.remove_prefix(1);
    while (!s.empty() && blank(s.back())) s.remove_suffix(1);
    return std::string(s);
}

bool has_control_char(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7f;
    });
}

std::string quoted_list(const std::vector<std::string_view>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", \"" : "\"") + std::string(items[i]) + "\"";
    return out;
}

std::string describe_number(double v) {
    std::ostringstream os;
    os << v;
    return os.str();
}

}  // namespace

SourcePos to_pos(const toml::source_region& r) {
    return SourcePos{static_cast<int>(r.begin.line), static_cast<int>(r.begin.column)};
}

std::string describe(const toml::node& n) {
    switch (n.type()) {
        case toml::node_type::string: return "the string " + quote_value(*n.value<std::string_view>());
        case toml::node_type::integer: return "the integer " + std::to_string(*n.value<std::int64_t>());
        case toml::node_type::floating_point: {
            std::ostringstream os;
            os << *n.as_floating_point();
            return "the number " + os.str();
        }
        case toml::node_type::boolean: return std::string("the boolean ") + (*n.value<bool>() ? "true" : "false");
        case toml::node_type::array: return "an array";
        case toml::node_type::table: return "a table";
        case toml::node_type::date:
        case toml::node_type::time:
        case toml::node_type::date_time: return "a date/time";
        case toml::node_type::none: break;
    }
    return "nothing";
}

TableReader::TableReader(LoadContext& ctx, const toml::table* table, std::string path)
    : ctx_(ctx), table_(table), path_(std::move(path)) {
    if (!table_) return;
    for (const auto& [k, v] : *table_) ctx_.cfg.positions[dotted(k.str())] = to_pos(k.source());
}

std::string TableReader::dotted(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

bool TableReader::has(std::string_view key) const { return table_ && table_->contains(key); }

SourcePos TableReader::pos(std::string_view key) const {
    if (!table_) return {};
    const auto it = table_->find(key);
    return it == table_->end() ? SourcePos{} : to_pos(it->first.source());
}

std::vector<std::string> TableReader::keys() const {
    std::vector<std::string> out;
    if (table_)
        for (const auto& [k, v] : *table_) out.emplace_back(k.str());
    return out;
}

const toml::node* TableReader::take(std::string_view key) {
    if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.emplace_back(key);
    return table_ ? table_->get(key) : nullptr;
}

void TableReader::error(std::string_view key, const std::string& message) {
    const SourcePos p = has(key) ? pos(key) : ctx_.pos(path_);
    ctx_.error(dotted(key), p, message);
}

void TableReader::warning(std::string_view key, const std::string& message) {
    const SourcePos p = has(key) ? pos(key) : ctx_.pos(path_);
    ctx_.warning(dotted(key), p, message);
}

void TableReader::type_error(std::string_view key, const toml::node& n, const std::string& expected) {
    error(key, "expected " + expected + ", got " + describe(n));
}

bool TableReader::boolean(std::string_view key, bool& out) {
    std::optional<bool> v;
    if (!boolean(key, v)) return false;
    out = *v;
    return true;
}

bool TableReader::boolean(std::string_view key, std::optional<bool>& out) {
    const toml::node* n = take(key);
    if (!n) return false;
    const auto v = n->value_exact<bool>();
    if (!v) {
        type_error(key, *n, "true or false");
        return false;
    }
    out = *v;
    return true;
}

bool TableReader::integer(std::string_view key, int& out, long long min, long long max) {
    const toml::node* n = take(key);
    if (!n) return false;
    const auto v = n->value_exact<std::int64_t>();
    if (!v) {
        type_error(key, *n, "an integer");
        return false;
    }
    if (*v < min || *v > max) {
        error(key, "must be " + std::to_string(min) + ".." + std::to_string(max) + ", got " + std::to_string(*v));
        return false;
    }
    out = static_cast<int>(*v);
    return true;
}

bool TableReader::positive_number(std::string_view key, double& out, double max) {
    std::optional<double> v;
    if (!positive_number(key, v, max)) return false;
    out = *v;
    return true;
}

bool TableReader::positive_number(std::string_view key, std::optional<double>& out, double max) {
    const toml::node* n = take(key);
    if (!n) return false;
    if (!n->is_number()) {
        type_error(key, *n, "a number greater than 0 and at most " + describe_number(max) + " (e.g. 30 or 0.5)");
        return false;
    }
    const double v = *n->value<double>();
    if (!std::isfinite(v) || v <= 0 || v > max) {
        error(key, "must be greater than 0 and at most " + describe_number(max) + ", got " + describe(*n));
        return false;
    }
    out = v;
    return true;
}

bool TableReader::text(std::string_view key, std::string& out) {
    const toml::node* n = take(key);
    if (!n) return false;
    const auto v = n->value_exact<std::string>();
    if (!v) {
        type_error(key, *n, "a string");
        return false;
    }
    out = *v;
    return true;
}

bool TableReader::name(std::string_view key, std::string& out, bool allow_empty) {
    const toml::node* n = take(key);
    if (!n) return false;
    const auto v = n->value_exact<std::string>();
    if (!v) {
        type_error(key, *n, allow_empty ? "a string (\"\" to disable)" : "a non-empty string");
        return false;
    }
    std::string s = trim(*v);
    if (has_control_char(s)) {
        error(key, "must not contain control characters, got " + quote_value(*v));
        return false;
    }
    if (s.empty() && !allow_empty) {
        error(key, "must not be empty");
        return false;
    }
    out = std::move(s);
    return true;
}

bool TableReader::list(std::string_view key, std::vector<std::string>& out) {
    const toml::node* n = take(key);
    if (!n) return false;
    std::vector<std::string> items;
    bool ok = true;
    if (auto s = n->value_exact<std::string>()) {
        std::string_view rest = *s;
        while (true) {
            const auto comma = rest.find(',');
            std::string item = trim(rest.substr(0, comma));
            if (!item.empty()) items.push_back(std::move(item));
            if (comma == std::string_view::npos) break;
            rest.remove_prefix(comma + 1);
        }
    } else if (const toml::array* a = n->as_array()) {
        for (std::size_t i = 0; i < a->size(); ++i) {
            const auto v = (*a)[i].value_exact<std::string>();
            if (!v) {
                error(key, "item " + std::to_string(i + 1) + ": expected a string, got " + describe((*a)[i]));
                ok = false;
                continue;
            }
            std::string item = trim(*v);
            if (!item.empty()) items.push_back(std::move(item));
        }
    } else {
        type_error(key, *n, "an array of strings or one comma-separated string");
        return false;
    }
    if (ok) out = std::move(items);
    return ok;
}

bool TableReader::amount(std::string_view key, std::optional<Cents>& out) {
    const toml::node* n = take(key);
    if (!n) return false;
    const std::string allowed = " (write a decimal string with at most two decimals, e.g. \"500\" or \"500.50\", "
                                "or an integer of whole units)";
    if (auto s = n->value_exact<std::string>()) {
        auto r = parse_amount(trim(*s));
        if (!r.ok()) {
            error(key, r.error().message);
            return false;
        }
        out = *r;
        return true;
    }
    if (auto i = n->value_exact<std::int64_t>()) {
        if (*i < 0) {
            error(key, "negative amounts are not allowed, got " + std::to_string(*i) + allowed);
            return false;
        }
        if (*i > kMaxAmountCents / 100) {
            error(key, "amount " + std::to_string(*i) + " is too large: must be 0.." +
                           std::to_string(kMaxAmountCents / 100) + " whole units");
            return false;
        }
        out = *i * 100;
        return true;
    }
    if (n->is_floating_point()) error(key, "floating-point amounts are not accepted, got " + describe(*n) + allowed);
    else type_error(key, *n, "an amount" + allowed);
    return false;
}

std::optional<std::size_t> TableReader::choice_index(std::string_view key,
                                                     const std::vector<std::string_view>& allowed) {
    const toml::node* n = take(key);
    if (!n) return std::nullopt;
    const auto v = n->value_exact<std::string>();
    if (!v) {
        type_error(key, *n, "one of " + quoted_list(allowed));
        return std::nullopt;
    }
    for (std::size_t i = 0; i < allowed.size(); ++i)
        if (allowed[i] == *v) return i;
    std::string msg = "invalid value " + quote_value(*v) + "; allowed: " + quoted_list(allowed);
    std::vector<std::string> names(allowed.begin(), allowed.end());
    if (auto near = nearest(*v, names)) msg += " (did you mean \"" + *near + "\"?)";
    error(key, msg);
    return std::nullopt;
}

TableReader TableReader::section(std::string_view key) {
    const toml::node* n = take(key);
    if (n && !n->is_table()) {
        type_error(key, *n, "a section [" + dotted(key) + "]");
        n = nullptr;
    }
    return TableReader(ctx_, n ? n->as_table() : nullptr, dotted(key));
}

void TableReader::finish() {
    for (const auto& k : known_) ctx_.register_known(path_, k);
    if (!table_) return;
    for (const auto& [k, v] : *table_) {
        if (std::find(known_.begin(), known_.end(), k.str()) != known_.end()) continue;
        ctx_.add_unknown(UnknownKey{path_, std::string(k.str()), to_pos(k.source()), v.is_table(), known_});
    }
}

}  // namespace olmd::config::detail
