#pragma once
// The `-- @check TABLE.COLUMN: EXPRESSION` rules of a migration, and the rows
// of a database that break them. Store-internal: used by migrations.cpp.

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "olmd/core/error.hpp"

namespace olmd::store {

/// One CHECK a migration adds: the column it is about and the expression every row must satisfy.
struct CheckRule {
    std::string table;
    std::string column;
    std::string expression;
};

/// The rules of a migration's `-- @check` lines, in file order; a malformed `-- @` line is an Error.
Result<std::vector<CheckRule>> parse_check_rules(std::string_view migration_sql);

/// The tables the rules name, each once, in the order they are first named.
std::vector<std::string> rule_tables(const std::vector<CheckRule>& rules);

/// The expressions of the rules on one table, in file order.
std::vector<std::string> rule_expressions(const std::vector<CheckRule>& rules, const std::string& table);

/// One row that breaks a rule.
struct CheckViolation {
    std::string table;
    std::string row;  ///< its key: "id=17", "warehouse_id=1 sku_id=2", or "rowid=5"
    std::string column;
    std::string value;    ///< the value as an SQL literal: -50000, 'abc', 1.5, NULL
    std::string context;  ///< the other columns the rule compares with: "amount_cents = 100", or ""
    std::string rule;     ///< the rule's expression
};

/// One table's violations: the first ones listed (at most the limit) and how many more there are.
struct TableViolations {
    std::string table;
    std::vector<CheckViolation> listed;
    std::int64_t unlisted = 0;
};

/// What a scan found: the tables with violations, in rule order.
struct ViolationScan {
    std::vector<TableViolations> tables;
    std::int64_t total = 0;  ///< every (row, rule) that breaks
};

/// Finds the rows breaking the rules (a rule is broken when its expression is false, as CHECK
/// decides: NULL passes), listing at most limit_per_table per table. Throws on a database error.
ViolationScan find_violations(SQLite::Database& db, const std::vector<CheckRule>& rules, int limit_per_table);

/// One line: "payments id=17: captured_cents = -50000 (amount_cents = 100) violates <rule>".
std::string describe(const CheckViolation& v);

/// An SQL identifier in double quotes.
std::string quote_identifier(const std::string& name);

}  // namespace olmd::store
