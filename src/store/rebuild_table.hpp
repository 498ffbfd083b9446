#pragma once
// Adding CHECK constraints to an existing table, which SQLite can only do by
// rebuilding it (sqlite.org/lang_altertable.html, "Making Other Kinds Of Table
// Schema Changes"). Store-internal: used by migrations.cpp.

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>
#include <string_view>
#include <vector>

#include "olmd/core/error.hpp"

namespace olmd::store {

/// The stored CREATE TABLE text create_sql renamed to new_name, with one table CHECK per
/// expression after everything it declares (a comment line naming why first); an Error when the
/// text has no parenthesised column list.
Result<std::string> with_table_checks(std::string_view create_sql, const std::string& new_name,
                                      const std::vector<std::string>& checks, const std::string& comment);

/// Rebuilds table with the extra CHECKs: a new table from its stored CREATE TABLE text (every
/// column, constraint and option it has) plus the checks, every row copied with its rowid, the old
/// table dropped and the new one renamed, then its indexes, triggers and sqlite_stat1 rows
/// restored from what was stored; views are untouched. Runs inside the caller's transaction under
/// RebuildSettings; throws on any error (a row breaking a CHECK included), the caller rolls back.
void rebuild_with_checks(SQLite::Database& db, const std::string& table,
                         const std::vector<std::string>& checks, const std::string& comment);

/// Every row PRAGMA foreign_key_check reports, as sorted "table rowid parent fkid" lines.
std::vector<std::string> foreign_key_problems(SQLite::Database& db);

/// For its lifetime: foreign_keys OFF (a dropped parent table must not cascade or fail), legacy_alter_table
/// ON (renaming must not re-parse views and triggers that name the dropped table) and
/// ignore_check_constraints OFF; restores the connection's settings when destroyed. Create it outside
/// any transaction: foreign_keys cannot change inside one. Throws on a database error.
class RebuildSettings {
public:
    explicit RebuildSettings(SQLite::Database& db);
    ~RebuildSettings();
    RebuildSettings(const RebuildSettings&) = delete;
    RebuildSettings& operator=(const RebuildSettings&) = delete;

private:
    SQLite::Database& db_;
    int foreign_keys_, legacy_alter_table_, ignore_check_constraints_;
};

}  // namespace olmd::store
