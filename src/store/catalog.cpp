#include "olmd/store/catalog.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

namespace olmd::store {

namespace {

void load_table(SQLite::Database& db, const char* table, domain::NameTable& into) {
    SQLite::Statement q(db, std::string("SELECT id, name FROM ") + table + " ORDER BY id");
    while (q.executeStep()) into.add(q.getColumn(0).getInt64(), q.getColumn(1).getString());
}

}  // namespace

Result<domain::Catalog> load_catalog(Database& database) {
    domain::Catalog c;
    try {
        SQLite::Database& db = database.raw();
        load_table(db, "order_statuses", c.statuses);
        load_table(db, "channels", c.channels);
        load_table(db, "shipping_methods", c.shipping_methods);
        load_table(db, "warehouses", c.warehouses);
        SQLite::Statement q(db,
                            "SELECT w.name FROM warehouses w WHERE w.active = 1 AND (w.latitude IS NULL OR "
                            "w.longitude IS NULL) AND NOT EXISTS (SELECT 1 FROM zip_codes z WHERE z.zip = "
                            "substr(trim(w.postal_code), 1, 5)) ORDER BY w.priority, w.id");
        while (q.executeStep()) c.unlocated_warehouses.push_back(q.getColumn(0).getString());
    } catch (const std::exception& e) {
        return Error{std::string("cannot read reference tables: ") + e.what() + " (run `olmd init-db`)",
                     exit_code::database};
    }
    return c;
}

}  // namespace olmd::store
