#pragma once
// The bad-data checks folded into the sourcing repository's set-based reads
// (rules.md "bad data": typeof() is checked, never coerced; enumerations,
// ranges and ids that name no row). Each check is an SQL expression that
// is a WHEN clause; first_bad() makes a row's checks one CASE that yields NULL
// for a good row, else "<column>=<quote(value)>" of the first that fails (or
// "#" instead of "=" for an id that names no row): the row's BadField.

#include <SQLiteCpp/SQLiteCpp.h>

#include <initializer_list>
#include <optional>
#include <string>

#include "olmd/domain/sourcing.hpp"

namespace olmd::store::checks {

/// One check, a WHEN clause of first_bad(): when ok does not hold (or is NULL), the finding
/// "<name>=<quote(col)>" ('#' instead of '=' for an id that names no row).
inline std::string check(const std::string& name, const std::string& col, const std::string& ok,
                         bool dangling = false) {
    return "WHEN NOT coalesce((" + ok + "), 0) THEN '" + name + (dangling ? "#" : "=") + "' || quote(" + col +
           ") ";
}

/// The first failing check of a row, NULL when every one holds (a CASE: no string is built for a
/// good row).
inline std::string first_bad(std::initializer_list<std::string> checks) {
    std::string s = "(CASE ";
    for (const std::string& c : checks) s += c;
    return s + "END)";
}

/// An integer column (typeof() 'integer') between lo and hi.
inline std::string int_in(const std::string& c, const std::string& lo, const std::string& hi) {
    return "(typeof(" + c + ") = 'integer' AND " + c + " BETWEEN " + lo + " AND " + hi + ")";
}

/// An integer column of any value.
inline std::string is_int(const std::string& c) {
    return "typeof(" + c + ") = 'integer'";
}

/// NULL or an integer.
inline std::string opt_int(const std::string& c) {
    return "(" + c + " IS NULL OR typeof(" + c + ") = 'integer')";
}

/// NULL or a number (REAL columns accept integers).
inline std::string opt_real(const std::string& c) {
    return "(" + c + " IS NULL OR typeof(" + c + ") IN ('real', 'integer'))";
}

/// A number (REAL columns accept integers), never NULL.
inline std::string number(const std::string& c) {
    return "typeof(" + c + ") IN ('real', 'integer')";
}

/// A 0/1 flag.
inline std::string flag(const std::string& c) {
    return int_in(c, "0", "1");
}

/// A text column holding one of list ("'a', 'b'").
inline std::string one_of(const std::string& c, const std::string& list) {
    return "(typeof(" + c + ") = 'text' AND " + c + " IN (" + list + "))";
}

/// c is NULL or names a row of table (by id).
inline std::string names_row(const std::string& c, const std::string& table) {
    return "(" + c + " IS NULL OR EXISTS (SELECT 1 FROM " + table + " x WHERE x.id = " + c + "))";
}

/// Units (quantities) and cents as the bounds of rules.md.
inline constexpr const char* kUnits = "1000000000";
inline constexpr const char* kCents = "1000000000000000";

/// The first finding of a concatenation of checks ("" = none) as a BadField of table/key.
inline domain::sourcing::BadField parse(const SQLite::Column& c, const std::string& table,
                                      const std::string& key) {
    domain::sourcing::BadField b;
    if (c.isNull()) return b;
    const std::string s = c.getString();
    if (s.empty()) return b;
    const std::string& first = s;
    const auto at = first.find_first_of("=#");
    if (at == std::string::npos) return b;
    b.field = table + "." + first.substr(0, at) + ":" + key;
    b.value = first.substr(at + 1);
    b.dangling = first[at] == '#';
    return b;
}

/// parse() with the key built only when the row has a bad field (most rows have none: the
/// column is NULL), so a page of good rows builds no key strings.
template <class KeyFn>
domain::sourcing::BadField parse_lazy(const SQLite::Column& c, const char* table, KeyFn&& key) {
    if (c.isNull()) return domain::sourcing::BadField{};
    return parse(c, table, key());
}

/// An integer column without coercion: another storage type reads 0 (its row is bad data).
inline std::int64_t int_or_zero(const SQLite::Column& c) {
    return c.isInteger() ? c.getInt64() : 0;
}

/// A text column, "" for NULL.
inline std::string text(const SQLite::Column& c) {
    return c.isNull() ? std::string() : std::string(c.getText());
}

/// A nullable id column without coercion.
inline std::optional<RowId> opt_id(const SQLite::Column& c) {
    if (c.isNull()) return std::nullopt;
    return int_or_zero(c);
}

}  // namespace olmd::store::checks
