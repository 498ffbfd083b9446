// Stripe-style checking of form parameters against an OpenAPI schema (openapi_form_validator.hpp).
#include "support/openapi_form_validator.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdlib>

namespace olmd::test::openapi {

namespace {

using json = nlohmann::json;

int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string unescape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
            out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

/// "a[b][]" -> {"a", "b", ""}; a malformed key ("a[b") is one literal segment.
std::vector<std::string> key_segments(const std::string& key) {
    const auto open = key.find('[');
    if (open == std::string::npos || open == 0) return {key};
    std::vector<std::string> segs{key.substr(0, open)};
    std::size_t i = open;
    while (i < key.size()) {
        if (key[i] != '[') return {key};
        const auto close = key.find(']', i);
        if (close == std::string::npos) return {key};
        segs.push_back(key.substr(i + 1, close - i - 1));
        i = close + 1;
    }
    return segs;
}

std::string form_name(const std::vector<std::string>& segs, std::size_t upto) {
    std::string n = segs[0];
    for (std::size_t i = 1; i <= upto && i < segs.size(); ++i) n += "[" + segs[i] + "]";
    return n;
}

FormError conflict(const std::vector<std::string>& segs, std::size_t at) {
    return {"parameter_invalid", form_name(segs, at), "Invalid hash"};
}

std::optional<FormError> insert(json& node, const std::vector<std::string>& segs, std::size_t i,
                                const std::string& v) {
    const std::string& seg = segs[i];
    const bool last = i + 1 == segs.size();
    if (node.is_array()) {
        if (!seg.empty()) return conflict(segs, i - 1);
        if (last) {
            node.push_back(v);
            return std::nullopt;
        }
        const std::string& next = segs[i + 1];
        if (next.empty()) {
            node.push_back(json::array());
        } else if (node.empty() || !node.back().is_object() || node.back().contains(next)) {
            node.push_back(json::object());  // Rack: a repeated key starts the next element
        }
        return insert(node.back(), segs, i + 1, v);
    }
    if (seg.empty()) return conflict(segs, i - 1);
    if (last) {
        if (node.contains(seg) && !node[seg].is_string()) return conflict(segs, i);
        node[seg] = v;  // a repeated plain key: the last one wins
        return std::nullopt;
    }
    const bool want_array = segs[i + 1].empty();
    if (!node.contains(seg)) {
        node[seg] = want_array ? json::array() : json::object();
    } else if (node[seg].is_string() || node[seg].is_array() != want_array) {
        return conflict(segs, i);
    }
    return insert(node[seg], segs, i + 1, v);
}

FormError empty_error(const std::string& name) {
    return {"parameter_invalid_empty", name,
            "You passed an empty string for '" + name +
                "'. We assume empty values are an attempt to unset a parameter; however '" + name +
                "' cannot be unset. You should remove '" + name +
                "' from your request or supply a non-empty value."};
}

std::string one_of(const json& values) {
    std::vector<std::string> v;
    for (const auto& e : values) v.push_back(e.is_string() ? e.get<std::string>() : e.dump());
    std::string s;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (i > 0) s += v.size() == 2 ? " " : ", ";
        if (i > 0 && i + 1 == v.size()) s += "or ";
        s += v[i];
    }
    return s;
}

std::size_t utf8_length(const std::string& s) {
    return static_cast<std::size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool is_integer(const std::string& s) {
    std::int64_t v = 0;
    const char* b = s.data();
    const char* e = s.data() + s.size();
    auto [p, ec] = std::from_chars(b, e, v);
    return ec == std::errc() && p == e && !s.empty();
}

bool is_number(const std::string& s) {
    if (s.empty() || std::isspace(static_cast<unsigned char>(s[0]))) return false;
    char* end = nullptr;
    std::strtod(s.c_str(), &end);
    return end == s.c_str() + s.size();
}

/// The schema's declared kind: "object", "array", a scalar type, or "" (enum only / anything).
std::string kind_of(const json& schema) {
    if (schema.contains("type") && schema["type"].is_string()) return schema["type"].get<std::string>();
    if (schema.contains("properties") || schema.contains("additionalProperties")) return "object";
    if (schema.contains("items")) return "array";
    return "";
}

/// An object whose keys are all indexes ("0", "1", ...) as the array it encodes (Stripe accepts a[0]=x).
bool index_object_to_array(json& value) {
    if (!value.is_object() || value.empty()) return false;
    std::vector<std::pair<long, json>> items;
    for (auto& [k, v] : value.items()) {
        if (k.empty() || !std::all_of(k.begin(), k.end(), [](unsigned char c) { return std::isdigit(c); }) ||
            k.size() > 9)
            return false;
        items.emplace_back(std::stol(k), v);
    }
    std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    json arr = json::array();
    for (auto& [i, v] : items) arr.push_back(std::move(v));
    value = std::move(arr);
    return true;
}

/// schema[key] when it is there, else an empty object (no copy of big schemas).
const json& member(const json& schema, const char* key) {
    static const json empty = json::object();
    const auto it = schema.find(key);
    return it != schema.end() && it->is_object() ? *it : empty;
}

std::optional<FormError> check_object(const json& schema, json& value, const std::string& name) {
    if (value.is_string()) {
        if (value.get<std::string>().empty()) return empty_error(name);
        return FormError{"parameter_invalid", name, "Invalid hash"};
    }
    if (value.is_array()) return FormError{"parameter_invalid", name, "Invalid hash"};
    const json& props = member(schema, "properties");
    const auto extra = schema.find("additionalProperties");
    const bool open = extra == schema.end() ? props.empty() : (extra->is_boolean() && extra->get<bool>());
    for (auto& [k, v] : value.items()) {
        const std::string child = name.empty() ? k : name + "[" + k + "]";
        if (auto p = props.find(k); p != props.end()) {
            if (auto e = check_value(*p, v, child)) return e;
        } else if (extra != schema.end() && extra->is_object()) {
            if (auto e = check_value(*extra, v, child)) return e;
        } else if (!open) {
            return FormError{"parameter_unknown", child, "Received unknown parameter: " + child};
        }
    }
    if (auto req = schema.find("required"); req != schema.end() && req->is_array()) {
        for (const auto& r : *req) {
            const std::string k = r.get<std::string>();
            if (!value.contains(k)) {
                const std::string child = name.empty() ? k : name + "[" + k + "]";
                return FormError{"parameter_missing", child, "Missing required param: " + child + "."};
            }
        }
    }
    return std::nullopt;
}

std::optional<FormError> check_array(const json& schema, json& value, const std::string& name) {
    if (value.is_object()) index_object_to_array(value);
    if (!value.is_array()) {
        if (value.is_string() && value.get<std::string>().empty()) return empty_error(name);
        return FormError{"parameter_invalid", name, "Invalid array"};
    }
    const json& items = member(schema, "items");
    for (std::size_t i = 0; i < value.size(); ++i)
        if (auto e = check_value(items, value[i], name + "[" + std::to_string(i) + "]")) return e;
    return std::nullopt;
}

std::optional<FormError> check_scalar(const json& schema, const std::string& kind, json& value,
                                      const std::string& name) {
    if (!value.is_string())
        return FormError{"parameter_invalid", name, "Invalid " + (kind.empty() ? "value" : kind)};
    const std::string v = value.get<std::string>();
    const auto en = schema.find("enum");
    const bool enum_has_empty =
        en != schema.end() && std::find(en->begin(), en->end(), json("")) != en->end();
    if (v.empty() && !enum_has_empty) return empty_error(name);
    if (kind == "integer" && !is_integer(v))
        return FormError{"parameter_invalid_integer", name, "Invalid integer: " + v};
    if (kind == "number" && !is_number(v))
        return FormError{"parameter_invalid", name, "Invalid decimal: " + v};
    if (kind == "boolean" && v != "true" && v != "false") return FormError{"", name, "Invalid boolean: " + v};
    if (en != schema.end() && en->is_array() && std::find(en->begin(), en->end(), json(v)) == en->end())
        return FormError{"", name, "Invalid " + name + ": must be one of " + one_of(*en)};
    if (auto ml = schema.find("maxLength");
        ml != schema.end() && ml->is_number_integer() && utf8_length(v) > ml->get<std::size_t>())
        return FormError{"", name,
                         "Invalid string: " + v.substr(0, 40) + (v.size() > 40 ? "..." : "") +
                             "; must be at most " + std::to_string(ml->get<std::size_t>()) + " characters"};
    return std::nullopt;
}

/// How well an anyOf alternative fits the shape of the value (to report the fitting alternative's error).
bool shape_fits(const json& alt, const json& value) {
    const std::string k = kind_of(alt);
    if (value.is_object()) return k == "object" || k == "array";
    if (value.is_array()) return k == "array";
    return k != "object" && k != "array";
}

}  // namespace

Pairs parse_form(std::string_view text) {
    Pairs out;
    std::size_t i = 0;
    while (i < text.size()) {
        auto amp = text.find('&', i);
        if (amp == std::string_view::npos) amp = text.size();
        const std::string_view part = text.substr(i, amp - i);
        if (!part.empty()) {
            const auto eq = part.find('=');
            if (eq == std::string_view::npos)
                out.emplace_back(unescape(part), "");
            else
                out.emplace_back(unescape(part.substr(0, eq)), unescape(part.substr(eq + 1)));
        }
        i = amp + 1;
    }
    return out;
}

Checked decode(const Pairs& pairs) {
    Checked c;
    for (const auto& [k, v] : pairs) {
        if (k.empty()) continue;
        if (auto e = insert(c.params, key_segments(k), 0, v)) {
            c.error = e;
            return c;
        }
    }
    return c;
}

std::optional<FormError> check_value(const json& schema, json& value, const std::string& name) {
    if (!schema.is_object()) return std::nullopt;
    if (auto any = schema.find("anyOf"); any != schema.end() && any->is_array() && !any->empty()) {
        std::optional<FormError> first, fitting;
        for (const auto& alt : *any) {
            json copy = value;
            auto e = check_value(alt, copy, name);
            if (!e) {
                value = std::move(copy);
                return std::nullopt;
            }
            if (!first) first = e;
            if (!fitting && shape_fits(alt, value)) fitting = e;
        }
        return fitting ? fitting : first;
    }
    const std::string kind = kind_of(schema);
    if (kind == "object") return check_object(schema, value, name);
    if (kind == "array") return check_array(schema, value, name);
    return check_scalar(schema, kind, value, name);
}

Checked check_request(const Operation& op, const Pairs& query, const Pairs& body,
                      const std::map<std::string, std::string>& path_args) {
    Checked c;
    if (!op.described) {
        c.error =
            FormError{"", "", "The description at hand keeps no schema for " + op.method + " " + op.path};
        return c;
    }
    for (const auto& [k, v] : path_args) {
        json value = v;
        const json& props = member(op.path_params, "properties");
        if (auto p = props.find(k); p != props.end())
            if (auto e = check_value(*p, value, k)) {
                c.error = e;
                return c;
            }
    }
    // Stripe reads the query string and the body alike (Operation::params: a GET declares query
    // parameters, a POST a body).
    Pairs all = query;
    all.insert(all.end(), body.begin(), body.end());
    c = decode(all);
    if (c.error) return c;
    c.error = check_object(op.params, c.params, "");
    return c;
}

}  // namespace olmd::test::openapi
