#include "store/check_rules.hpp"
#include "olmd/core/text.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace olmd::store {

namespace {

constexpr std::string_view kDirective = "-- @check";

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

bool is_word_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

bool is_identifier(std::string_view s) {
    return !s.empty() && !std::isdigit(static_cast<unsigned char>(s.front())) &&
           std::all_of(s.begin(), s.end(), is_word_char);
}

/// True when word appears in text as a whole identifier (case-insensitive).
bool mentions(const std::string& text, const std::string& word) {
    const std::string t = ascii_lower(text), w = ascii_lower(word);
    for (std::size_t p = t.find(w); p != std::string::npos; p = t.find(w, p + 1)) {
        const bool starts = p == 0 || !is_word_char(t[p - 1]);
        const bool ends = p + w.size() == t.size() || !is_word_char(t[p + w.size()]);
        if (starts && ends) return true;
    }
    return false;
}

/// Parses "table.column: expression" (the text after the directive).
Result<CheckRule> parse_rule(std::string_view rest) {
    const auto colon = rest.find(':');
    if (colon == std::string_view::npos) return Error{"expected `-- @check TABLE.COLUMN: EXPRESSION`"};
    const std::string_view target = trim(rest.substr(0, colon));
    const std::string_view expression = trim(rest.substr(colon + 1));
    const auto dot = target.find('.');
    if (dot == std::string_view::npos || !is_identifier(target.substr(0, dot)) ||
        !is_identifier(target.substr(dot + 1)))
        return Error{"expected TABLE.COLUMN before the colon, got \"" + std::string(target) + "\""};
    if (expression.empty()) return Error{"the expression after the colon is empty"};
    return CheckRule{std::string(target.substr(0, dot)), std::string(target.substr(dot + 1)),
                     std::string(expression)};
}

/// A table's columns (generated ones included) and its primary key columns in key order.
struct TableShape {
    std::vector<std::string> columns;
    std::vector<std::string> key;  ///< empty: the rowid identifies a row
};

TableShape shape_of(SQLite::Database& db, const std::string& table) {
    TableShape s;
    std::vector<std::pair<int, std::string>> key;
    SQLite::Statement q(db, "SELECT name, pk FROM pragma_table_xinfo(?)");
    q.bind(1, table);
    while (q.executeStep()) {
        s.columns.push_back(q.getColumn(0).getString());
        if (q.getColumn(1).getInt() > 0)
            key.emplace_back(q.getColumn(1).getInt(), q.getColumn(0).getString());
    }
    if (s.columns.empty()) throw std::runtime_error("a rule names table " + table + ", which does not exist");
    std::sort(key.begin(), key.end());
    for (auto& [pos, name] : key) s.key.push_back(name);
    return s;
}

/// The value of a column as a short SQL literal (long text and blobs cut at 60 bytes).
std::string literal_sql(const std::string& column) {
    const std::string c = quote_identifier(column);
    return "CASE WHEN typeof(" + c + ") IN ('text', 'blob') AND length(" + c + ") > 60 THEN quote(substr(" +
           c + ", 1, 60)) || '...' ELSE quote(" + c + ") END";
}

/// Lists up to limit rows of table breaking rule; returns how many were listed.
std::int64_t list_rule(SQLite::Database& db, const TableShape& shape, const CheckRule& rule,
                       std::int64_t limit, std::vector<CheckViolation>& out) {
    const std::vector<std::string> key = shape.key.empty() ? std::vector<std::string>{"rowid"} : shape.key;
    std::vector<std::string> context;
    for (const auto& c : shape.columns)
        if (ascii_lower(c) != ascii_lower(rule.column) && mentions(rule.expression, c)) context.push_back(c);
    std::string select, order;
    for (const auto& k : key) {
        select += literal_sql(k) + ", ";
        order += (order.empty() ? "" : ", ") + quote_identifier(k);
    }
    select += literal_sql(rule.column);
    for (const auto& c : context) select += ", " + literal_sql(c);
    SQLite::Statement q(db, "SELECT " + select + " FROM " + quote_identifier(rule.table) + " WHERE NOT (" +
                                rule.expression + ") ORDER BY " + order + " LIMIT " + std::to_string(limit));
    std::int64_t listed = 0;
    while (q.executeStep()) {
        CheckViolation v{rule.table, "", rule.column, "", "", rule.expression};
        int i = 0;
        for (const auto& k : key)
            v.row += (v.row.empty() ? "" : " ") + k + "=" + q.getColumn(i++).getString();
        v.value = q.getColumn(i++).getString();
        for (const auto& c : context)
            v.context += (v.context.empty() ? "" : ", ") + c + " = " + q.getColumn(i++).getString();
        out.push_back(std::move(v));
        ++listed;
    }
    return listed;
}

}  // namespace

std::string quote_identifier(const std::string& name) {
    std::string out = "\"";
    for (char c : name) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

Result<std::vector<CheckRule>> parse_check_rules(std::string_view sql) {
    std::vector<CheckRule> rules;
    int line_no = 0;
    for (std::size_t pos = 0; pos <= sql.size(); ++line_no) {
        std::size_t end = sql.find('\n', pos);
        if (end == std::string_view::npos) end = sql.size();
        const std::string_view line = trim(sql.substr(pos, end - pos));
        pos = end + 1;
        if (line.substr(0, 4) != "-- @") continue;
        const std::string where = "line " + std::to_string(line_no + 1) + ": ";
        if (line.substr(0, kDirective.size()) != kDirective ||
            (line.size() > kDirective.size() &&
             !std::isspace(static_cast<unsigned char>(line[kDirective.size()]))))
            return Error{where + "unknown directive \"" + std::string(line.substr(3, line.find(' ', 3) - 3)) +
                         "\" (expected `-- @check TABLE.COLUMN: EXPRESSION`)"};
        auto rule = parse_rule(line.substr(kDirective.size()));
        if (!rule) return Error{where + rule.error().message};
        rules.push_back(std::move(*rule));
    }
    return rules;
}

std::vector<std::string> rule_tables(const std::vector<CheckRule>& rules) {
    std::vector<std::string> tables;
    for (const auto& r : rules)
        if (std::find(tables.begin(), tables.end(), r.table) == tables.end()) tables.push_back(r.table);
    return tables;
}

std::vector<std::string> rule_expressions(const std::vector<CheckRule>& rules, const std::string& table) {
    std::vector<std::string> out;
    for (const auto& r : rules)
        if (r.table == table) out.push_back(r.expression);
    return out;
}

ViolationScan find_violations(SQLite::Database& db, const std::vector<CheckRule>& rules,
                              int limit_per_table) {
    ViolationScan scan;
    for (const auto& table : rule_tables(rules)) {
        const TableShape shape = shape_of(db, table);
        std::vector<const CheckRule*> mine;
        std::string counts;
        for (const auto& r : rules) {
            if (r.table != table) continue;
            mine.push_back(&r);
            counts +=
                (counts.empty() ? "" : ", ") + std::string("coalesce(sum(NOT (") + r.expression + ")), 0)";
        }
        // One pass counts every rule; a clean table (the usual case) costs nothing more.
        SQLite::Statement q(db, "SELECT " + counts + " FROM " + quote_identifier(table));
        q.executeStep();
        TableViolations found{table, {}, 0};
        std::int64_t broken = 0, listed = 0;
        for (std::size_t i = 0; i < mine.size(); ++i) {
            const std::int64_t n = q.getColumn(static_cast<int>(i)).getInt64();
            broken += n;
            if (n > 0 && listed < limit_per_table)
                listed += list_rule(db, shape, *mine[i], limit_per_table - listed, found.listed);
        }
        if (broken == 0) continue;
        found.unlisted = broken - listed;
        scan.total += broken;
        scan.tables.push_back(std::move(found));
    }
    return scan;
}

std::string describe(const CheckViolation& v) {
    return v.table + " " + v.row + ": " + v.column + " = " + v.value +
           (v.context.empty() ? "" : " (" + v.context + ")") + " violates " + v.rule;
}

}  // namespace olmd::store
