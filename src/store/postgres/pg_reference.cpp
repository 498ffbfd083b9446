#include "olmd/store/pg_reference.hpp"

#include <charconv>
#include <map>
#include <vector>

#include "store/postgres/pg_impl.hpp"
#include "store/zip_csv.hpp"

namespace olmd::store {

namespace {

/// Rows per INSERT statement: one round trip per batch, not per row.
constexpr std::size_t kZipRowsPerStatement = 1000;

/// v as the shortest text that reads back as the same double.
std::string exact(double v) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

void load_table(pqxx::work& w, const char* table, domain::NameTable& into) {
    for (const auto& row : w.exec(std::string("SELECT id, name FROM ") + table + " ORDER BY id"))
        into.add(row[0].as<RowId>(), row[1].as<std::string>());
}

}  // namespace

Result<long> import_zip_csv_pg(PgDatabase& db, const std::string& path) {
    auto parsed = read_zip_csv(path);
    if (!parsed) return parsed.error();
    // One row per zip, the last line winning, as INSERT OR REPLACE does on SQLite: one statement
    // may not update a row twice.
    std::map<std::string, const ZipRow*> by_zip;
    for (const auto& r : *parsed) by_zip[r.zip] = &r;
    try {
        pqxx::work w(db.impl().conn);
        std::string values;
        std::size_t in_batch = 0;
        const auto flush = [&] {
            if (in_batch == 0) return;
            w.exec("INSERT INTO zip_codes (zip, state, latitude, longitude) VALUES " + values +
                   " ON CONFLICT (zip) DO UPDATE SET state = EXCLUDED.state, latitude = EXCLUDED.latitude,"
                   " longitude = EXCLUDED.longitude");
            values.clear();
            in_batch = 0;
        };
        for (const auto& [zip, r] : by_zip) {
            if (in_batch > 0) values += ", ";
            values += "(" + w.quote(r->zip) + ", " + w.quote(r->state) + ", " + exact(r->latitude) + ", " +
                      exact(r->longitude) + ")";
            if (++in_batch == kZipRowsPerStatement) flush();
        }
        flush();
        w.commit();
    } catch (const std::exception& e) {
        return pg_error(db, "cannot write zip_codes", e);
    }
    return static_cast<long>(by_zip.size());
}

Result<long> count_zip_codes_pg(PgDatabase& db) {
    try {
        pqxx::work w(db.impl().conn);
        const long n = w.exec("SELECT count(*) FROM zip_codes")[0][0].as<long>();
        w.commit();
        return n;
    } catch (const std::exception& e) {
        return pg_error(db, "cannot read zip_codes", e);
    }
}

Result<domain::Catalog> load_pg_catalog(PgDatabase& db) {
    domain::Catalog c;
    try {
        pqxx::work w(db.impl().conn);
        load_table(w, "order_statuses", c.statuses);
        load_table(w, "channels", c.channels);
        load_table(w, "shipping_methods", c.shipping_methods);
        load_table(w, "warehouses", c.warehouses);
        const auto unlocated = w.exec(
            "SELECT w.name FROM warehouses w WHERE w.active AND (w.latitude IS NULL OR w.longitude IS NULL) "
            "AND "
            "NOT EXISTS (SELECT 1 FROM zip_codes z WHERE z.zip = substr(trim(w.postal_code), 1, 5)) "
            "ORDER BY w.priority, w.id");
        for (const auto& row : unlocated) c.unlocated_warehouses.push_back(row[0].as<std::string>());
        w.commit();
    } catch (const std::exception& e) {
        return pg_error(db, "cannot read reference tables (run `olmd init-db`)", e);
    }
    return c;
}

}  // namespace olmd::store
