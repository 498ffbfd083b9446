#include "olmd/store/zip_codes.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <vector>

#include "store/zip_csv.hpp"

namespace olmd::store {

Result<long> import_zip_csv(Database& db, const std::string& path) {
    auto parsed = read_zip_csv(path);
    if (!parsed) return parsed.error();
    const std::vector<ZipRow>& rows = *parsed;
    try {
        SQLite::Database& raw = db.raw();
        raw.exec("BEGIN IMMEDIATE");
        try {
            SQLite::Statement q(
                raw,
                "INSERT OR REPLACE INTO zip_codes (zip, state, latitude, longitude) VALUES (?, ?, ?, ?)");
            for (const auto& r : rows) {
                q.reset();
                q.bind(1, r.zip);
                q.bind(2, r.state);
                q.bind(3, r.latitude);
                q.bind(4, r.longitude);
                q.exec();
            }
            raw.exec("COMMIT");
        } catch (...) {
            raw.exec("ROLLBACK");
            throw;
        }
    } catch (const std::exception& e) {
        return Error{std::string("cannot write zip_codes: ") + e.what(), exit_code::database};
    }
    return static_cast<long>(rows.size());
}

Result<long> count_zip_codes(Database& db) {
    try {
        return static_cast<long>(db.raw().execAndGet("SELECT count(*) FROM zip_codes").getInt64());
    } catch (const std::exception& e) {
        return Error{std::string("cannot read zip_codes: ") + e.what(), exit_code::database};
    }
}

}  // namespace olmd::store
