#include "support/test_db.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <stdexcept>

#include "olmd/store/embedded_sql.hpp"
#include "olmd/store/migrations.hpp"

namespace olmd::test {

std::string sql_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') out += '\'';
        out += c;
    }
    return out + "'";
}

TestDb::TestDb() : TestDb(store::known_schema_version()) {}

TestDb::TestDb(int schema_version) : path_(dir_.file("olmd.db")) {
    store::OpenOptions o;
    o.create = true;
    auto db = store::Database::open(path_, o);
    if (!db) throw std::runtime_error(db.error().message);
    db_ = std::move(*db);
    auto m = store::migrate_to(*db_, schema_version);
    if (!m) throw std::runtime_error(m.error().message);
    exec(store::embedded_seed());
}

void TestDb::exec(const std::string& sql) { db_->raw().exec(sql); }

std::int64_t TestDb::scalar(const std::string& sql) {
    SQLite::Statement q(db_->raw(), sql);
    if (!q.executeStep() || q.getColumn(0).isNull()) return 0;
    return q.getColumn(0).getInt64();
}

std::string TestDb::text(const std::string& sql) {
    SQLite::Statement q(db_->raw(), sql);
    if (!q.executeStep() || q.getColumn(0).isNull()) return "";
    return q.getColumn(0).getString();
}

std::int64_t TestDb::status_id(const std::string& name) {
    const auto id = scalar("SELECT id FROM order_statuses WHERE name = " + sql_quote(name));
    if (id == 0) throw std::runtime_error("no status " + name);
    return id;
}

std::int64_t TestDb::add_order(const OrderSpec& s) {
    exec("INSERT INTO orders (order_number, channel_id, status_id, created_at, grand_total_cents, updated_at) VALUES (" +
         sql_quote(s.number) + ", (SELECT id FROM channels WHERE name = " + sql_quote(s.channel) + "), " +
         std::to_string(status_id(s.status)) + ", " + sql_quote(s.created_at) + ", " +
         std::to_string(s.grand_total_cents) + ", " + sql_quote(s.created_at) + ")");
    return db_->raw().getLastInsertRowid();
}

}  // namespace olmd::test
