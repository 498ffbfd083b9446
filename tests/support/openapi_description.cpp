// Loading, indexing and subsetting an OpenAPI 3 description (openapi_description.hpp).
#include "support/openapi_description.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <mutex>

namespace olmd::test::openapi {

namespace {

using json = nlohmann::json;

constexpr const char* kMethods[] = {"get", "post", "delete", "put", "patch"};

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
    return s;
}

std::vector<std::string_view> segments(std::string_view path) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i <= path.size()) {
        const auto j = path.find('/', i);
        const auto end = j == std::string_view::npos ? path.size() : j;
        if (end > i) out.push_back(path.substr(i, end - i));
        if (j == std::string_view::npos) break;
        i = j + 1;
    }
    return out;
}

bool is_param(std::string_view seg) {
    return seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
}

/// The parameters of one location ("query", "path") as an object schema.
json params_schema(const json& op, const char* where) {
    json props = json::object(), required = json::array();
    if (auto p = op.find("parameters"); p != op.end() && p->is_array()) {
        for (const auto& prm : *p) {
            if (!prm.is_object() || prm.value("in", "") != where) continue;
            const std::string name = prm.value("name", "");
            props[name] = prm.value("schema", json::object());
            if (prm.value("required", false)) required.push_back(name);
        }
    }
    return json{
        {"type", "object"}, {"properties", props}, {"required", required}, {"additionalProperties", false}};
}

json form_body_schema(const json& op) {
    const auto rb = op.find("requestBody");
    if (rb == op.end() || !rb->is_object()) return nullptr;
    const auto c = rb->find("content");
    if (c == rb->end() || !c->is_object()) return nullptr;
    const auto f = c->find("application/x-www-form-urlencoded");
    if (f == c->end() || !f->is_object() || !f->contains("schema")) return nullptr;
    return (*f)["schema"];
}

/// One object schema of the body's and the query's parameters (additionalProperties false).
json merged(const json& body, const json& query) {
    json s = {{"type", "object"},
              {"properties", json::object()},
              {"required", json::array()},
              {"additionalProperties", false}};
    for (const json* part : {&body, &query}) {
        if (!part->is_object()) continue;
        if (auto p = part->find("properties"); p != part->end() && p->is_object())
            for (const auto& [k, v] : p->items()) s["properties"][k] = v;
        if (auto r = part->find("required"); r != part->end() && r->is_array())
            for (const auto& name : *r) s["required"].push_back(name);
    }
    return s;
}

/// Removes every string-valued "description" (a property *named* description is an object, kept).
void strip_descriptions(json& j) {
    if (j.is_object()) {
        if (auto d = j.find("description"); d != j.end() && d->is_string()) j.erase(d);
        for (auto& [k, v] : j.items()) strip_descriptions(v);
    } else if (j.is_array()) {
        for (auto& v : j) strip_descriptions(v);
    }
}

bool has_ref(const json& j) {
    if (j.is_object()) {
        if (j.contains("$ref")) return true;
        return std::any_of(j.begin(), j.end(), [](const json& v) { return has_ref(v); });
    }
    if (j.is_array()) return std::any_of(j.begin(), j.end(), [](const json& v) { return has_ref(v); });
    return false;
}

}  // namespace

Result<std::shared_ptr<const Description>> Description::load(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return Error{"cannot read the OpenAPI description " + file};
    json doc = json::parse(in, nullptr, false);
    if (doc.is_discarded()) return Error{"the OpenAPI description " + file + " is not JSON"};
    auto d = from_json(doc);
    if (!d) return d.error().with_context(file);
    return d;
}

Result<std::shared_ptr<const Description>> Description::cached(const std::string& file) {
    static std::mutex mu;
    static std::map<std::string, std::shared_ptr<const Description>> done;
    std::lock_guard<std::mutex> l(mu);
    if (auto it = done.find(file); it != done.end()) return it->second;
    auto d = load(file);
    if (d) done[file] = *d;
    return d;
}

Result<std::shared_ptr<const Description>> Description::from_json(const json& doc) {
    if (!doc.is_object() || !doc.contains("paths") || !doc["paths"].is_object())
        return Error{"not an OpenAPI 3 description (no \"paths\")"};
    auto d = std::make_shared<Description>();
    if (auto info = doc.find("info"); info != doc.end() && info->is_object())
        d->version_ = info->value("version", "");
    for (const auto& [path, item] : doc["paths"].items()) {
        if (!item.is_object()) continue;
        for (const char* m : kMethods) {
            const auto op = item.find(m);
            if (op == item.end() || !op->is_object()) continue;
            Operation o;
            o.method = upper(m);
            o.path = path;
            o.id = op->value("operationId", "");
            o.described = !op->value("x-olmd-omitted", false);
            o.body = form_body_schema(*op);
            o.query = params_schema(*op, "query");
            o.path_params = params_schema(*op, "path");
            o.params = merged(o.body, o.query);
            d->ops_.push_back(std::move(o));
        }
    }
    return std::shared_ptr<const Description>(std::move(d));
}

Match Description::match(std::string_view method, std::string_view path) const {
    Match best;
    int best_literals = -1;
    const auto want = segments(path);
    for (const auto& op : ops_) {
        const auto have = segments(op.path);
        if (have.size() != want.size()) continue;
        int literals = 0;
        bool ok = true;
        std::map<std::string, std::string> args;
        for (std::size_t i = 0; i < have.size() && ok; ++i) {
            if (is_param(have[i])) {
                args[std::string(have[i].substr(1, have[i].size() - 2))] = std::string(want[i]);
            } else if (have[i] == want[i]) {
                ++literals;
            } else {
                ok = false;
            }
        }
        if (!ok) continue;
        if (op.method != method) {
            best.path_known = true;
            continue;
        }
        if (literals > best_literals) {
            best_literals = literals;
            best.op = &op;
            best.path_args = std::move(args);
        }
    }
    if (best.op != nullptr) best.path_known = true;
    return best;
}

const Operation* Description::find(std::string_view method, std::string_view path_template) const {
    for (const auto& op : ops_)
        if (op.method == method && op.path == path_template) return &op;
    return nullptr;
}

Result<json> extract_subset(const json& full, const std::vector<std::pair<std::string, std::string>>& ops) {
    if (!full.is_object() || !full.contains("paths") || !full["paths"].is_object())
        return Error{"not an OpenAPI 3 description (no \"paths\")"};
    json out = {{"openapi", full.value("openapi", "3.0.0")},
                {"info",
                 {{"title", full.contains("info") ? full["info"].value("title", "") : ""},
                  {"version", full.contains("info") ? full["info"].value("version", "") : ""}}},
                {"x-olmd-subset",
                 "extracted at build time from the published description: the request side of the operations "
                 "the test server implements, as published (descriptions and responses dropped); every other "
                 "operation is kept as existing only"},
                {"paths", json::object()}};
    std::size_t found = 0;
    for (const auto& [path, item] : full["paths"].items()) {
        if (!item.is_object()) continue;
        json kept = json::object();
        for (const char* m : kMethods) {
            const auto op = item.find(m);
            if (op == item.end() || !op->is_object()) continue;
            const bool wanted = std::any_of(ops.begin(), ops.end(), [&](const auto& w) {
                return w.first == upper(m) && w.second == path;
            });
            if (!wanted) {
                kept[m] = {{"operationId", op->value("operationId", "")}, {"x-olmd-omitted", true}};
                continue;
            }
            json o = *op;
            o.erase("responses");
            strip_descriptions(o);
            if (has_ref(o))
                return Error{upper(m) + " " + path + " uses a $ref, which the subset cannot keep"};
            kept[m] = std::move(o);
            ++found;
        }
        out["paths"][path] = std::move(kept);
    }
    if (found != ops.size())
        return Error{"the description lacks " + std::to_string(ops.size() - found) +
                     " of the operations asked for"};
    return out;
}

const std::vector<std::pair<std::string, std::string>>& stripe_operations() {
    static const std::vector<std::pair<std::string, std::string>> ops = {
        {"POST", "/v1/payment_intents"},
        {"GET", "/v1/payment_intents/{intent}"},
        {"POST", "/v1/payment_intents/{intent}/capture"},
        {"POST", "/v1/payment_intents/{intent}/cancel"},
        {"GET", "/v1/payment_intents/search"},
    };
    return ops;
}

}  // namespace olmd::test::openapi
