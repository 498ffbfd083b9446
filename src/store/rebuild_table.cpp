#include "store/rebuild_table.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <stdexcept>

#include "store/check_rules.hpp"

namespace olmd::store {

namespace {

/// Where a CREATE TABLE text's column list opens and closes, and where its last token before the
/// closing parenthesis ends (comments and whitespace skipped).
struct Body {
    std::size_t open = 0, close = 0, last_token_end = 0;
};

/// Scans SQL text token by token: quoted strings and identifiers ('', "", ``, []) and comments
/// are skipped whole, so a parenthesis inside them does not count.
std::optional<Body> table_body(std::string_view s) {
    const std::size_t n = s.size();
    std::optional<std::size_t> open;
    std::size_t last_end = 0;
    int depth = 0;
    for (std::size_t i = 0; i < n;) {
        const char c = s[i];
        if (c == '-' && i + 1 < n && s[i + 1] == '-') {
            const auto e = s.find('\n', i);
            i = e == std::string_view::npos ? n : e + 1;
            continue;
        }
        if (c == '/' && i + 1 < n && s[i + 1] == '*') {
            const auto e = s.find("*/", i + 2);
            i = e == std::string_view::npos ? n : e + 2;
            continue;
        }
        if (std::isspace(static_cast<unsigned char>(c))) {
            ++i;
            continue;
        }
        if (c == '\'' || c == '"' || c == '`') {
            for (++i; i < n; ++i) {
                if (s[i] != c) continue;
                if (i + 1 < n && s[i + 1] == c) {
                    ++i;  // a doubled quote is one quote character
                    continue;
                }
                break;
            }
            i = std::min(i + 1, n);
        } else if (c == '[') {
            const auto e = s.find(']', i);
            i = e == std::string_view::npos ? n : e + 1;
        } else if (c == '(') {
            if (depth == 0 && !open) open = i;
            ++depth;
            ++i;
        } else if (c == ')') {
            if (--depth == 0 && open) return Body{*open, i, last_end};
            if (depth < 0) return std::nullopt;
            ++i;
        } else {
            ++i;
        }
        last_end = i;
    }
    return std::nullopt;
}

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

std::string stored_table_sql(SQLite::Database& db, const std::string& table) {
    SQLite::Statement q(db, "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?");
    q.bind(1, table);
    if (!q.executeStep() || q.getColumn(0).isNull())
        throw std::runtime_error("no table " + table + " to rebuild");
    return q.getColumn(0).getString();
}

bool exists(SQLite::Database& db, const std::string& name) {
    SQLite::Statement q(db, "SELECT count(*) FROM sqlite_schema WHERE name = ? COLLATE NOCASE");
    q.bind(1, name);
    q.executeStep();
    return q.getColumn(0).getInt() > 0;
}

/// The CREATE INDEX / CREATE TRIGGER texts of the table's own indexes and triggers, in creation
/// order (indexes SQLite makes for UNIQUE and PRIMARY KEY have no text: the table recreates them).
std::vector<std::string> dependents(SQLite::Database& db, const std::string& table) {
    std::vector<std::string> out;
    SQLite::Statement q(db,
                        "SELECT sql FROM sqlite_schema WHERE tbl_name = ? AND type IN ('index', 'trigger') "
                        "AND sql IS NOT NULL ORDER BY type = 'trigger', rowid");
    q.bind(1, table);
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return out;
}

/// The quoted list of columns a copy writes: every stored column (not generated ones), with the
/// rowid first when the table has one that no INTEGER PRIMARY KEY column already carries.
std::string copy_columns(SQLite::Database& db, const std::string& table) {
    std::vector<std::string> names, key_types;
    SQLite::Statement q(db, "SELECT name, type, pk, hidden FROM pragma_table_xinfo(?)");
    q.bind(1, table);
    while (q.executeStep()) {
        if (q.getColumn(2).getInt() > 0) key_types.push_back(upper(q.getColumn(1).getString()));
        if (q.getColumn(3).getInt() == 0) names.push_back(q.getColumn(0).getString());
    }
    SQLite::Statement wr(db, "SELECT wr FROM pragma_table_list(?) WHERE schema = 'main'");
    wr.bind(1, table);
    const bool has_rowid = wr.executeStep() && wr.getColumn(0).getInt() == 0;
    const bool rowid_alias = key_types.size() == 1 && key_types.front() == "INTEGER";
    std::string cols;
    if (has_rowid && !rowid_alias) {
        for (const char* alias : {"rowid", "_rowid_", "oid"}) {
            const bool taken = std::any_of(names.begin(), names.end(),
                                           [&](const std::string& n) { return upper(n) == upper(alias); });
            if (!taken) {
                cols = alias;
                break;
            }
        }
    }
    for (const auto& n : names) cols += (cols.empty() ? "" : ", ") + quote_identifier(n);
    return cols;
}

std::int64_t count_rows(SQLite::Database& db, const std::string& table) {
    return db.execAndGet("SELECT count(*) FROM " + quote_identifier(table)).getInt64();
}

/// The table's sqlite_stat1 rows (ANALYZE results), which DROP TABLE deletes.
std::vector<std::pair<std::string, std::string>> saved_stats(SQLite::Database& db, const std::string& table) {
    std::vector<std::pair<std::string, std::string>> out;
    if (!exists(db, "sqlite_stat1")) return out;
    SQLite::Statement q(db, "SELECT idx, stat FROM sqlite_stat1 WHERE tbl = ?");
    q.bind(1, table);
    while (q.executeStep()) out.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getString());
    return out;
}

}  // namespace

Result<std::string> with_table_checks(std::string_view create_sql, const std::string& new_name,
                                      const std::vector<std::string>& checks, const std::string& comment) {
    const auto body = table_body(create_sql);
    if (!body) return Error{"cannot find the column list in: " + std::string(create_sql)};
    std::string added = ",\n    -- " + comment;
    for (const auto& c : checks) added += "\n    CHECK (" + c + "),";
    added.pop_back();
    return "CREATE TABLE " + quote_identifier(new_name) + " " +
           std::string(create_sql.substr(body->open, body->last_token_end - body->open)) + added +
           std::string(create_sql.substr(body->last_token_end));
}

void rebuild_with_checks(SQLite::Database& db, const std::string& table,
                         const std::vector<std::string>& checks, const std::string& comment) {
    const std::string fresh = "olmd_rebuild_" + table;
    if (exists(db, fresh))
        throw std::runtime_error("cannot rebuild " + table + ": a table " + fresh + " exists");
    const auto created = with_table_checks(stored_table_sql(db, table), fresh, checks, comment);
    if (!created) throw std::runtime_error(created.error().message);
    const auto restore = dependents(db, table);
    const auto stats = saved_stats(db, table);

    db.exec(*created);
    const std::string cols = copy_columns(db, table);
    db.exec("INSERT INTO " + quote_identifier(fresh) + " (" + cols + ") SELECT " + cols + " FROM " +
            quote_identifier(table));
    if (count_rows(db, fresh) != count_rows(db, table))
        throw std::runtime_error("rebuilding " + table + " did not copy every row");
    db.exec("DROP TABLE " + quote_identifier(table));
    db.exec("ALTER TABLE " + quote_identifier(fresh) + " RENAME TO " + quote_identifier(table));
    for (const auto& sql : restore) db.exec(sql);
    for (const auto& [idx, stat] : stats) {
        SQLite::Statement q(db, "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)");
        q.bind(1, table);
        q.bind(2, idx);
        q.bind(3, stat);
        q.exec();
    }
}

std::vector<std::string> foreign_key_problems(SQLite::Database& db) {
    std::vector<std::string> out;
    SQLite::Statement q(db, "PRAGMA foreign_key_check");
    while (q.executeStep())
        out.push_back(q.getColumn(0).getString() + " " + q.getColumn(1).getString() + " " +
                      q.getColumn(2).getString() + " " + q.getColumn(3).getString());
    std::sort(out.begin(), out.end());
    return out;
}

RebuildSettings::RebuildSettings(SQLite::Database& db)
    : db_(db),
      foreign_keys_(db.execAndGet("PRAGMA foreign_keys").getInt()),
      legacy_alter_table_(db.execAndGet("PRAGMA legacy_alter_table").getInt()),
      ignore_check_constraints_(db.execAndGet("PRAGMA ignore_check_constraints").getInt()) {
    db_.exec("PRAGMA foreign_keys = OFF");
    db_.exec("PRAGMA legacy_alter_table = ON");
    db_.exec("PRAGMA ignore_check_constraints = OFF");
}

RebuildSettings::~RebuildSettings() {
    try {
        db_.exec("PRAGMA foreign_keys = " + std::to_string(foreign_keys_));
        db_.exec("PRAGMA legacy_alter_table = " + std::to_string(legacy_alter_table_));
        db_.exec("PRAGMA ignore_check_constraints = " + std::to_string(ignore_check_constraints_));
    } catch (...) {
        // A destructor must not throw; the connection is closed by its owner soon anyway.
    }
}

}  // namespace olmd::store
