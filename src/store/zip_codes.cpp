#include "olmd/store/zip_codes.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <vector>

namespace olmd::store {

namespace {

std::vector<std::string> split_csv(const std::string& line) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : line) {
        if (c == ',') {
            out.push_back(cur);
            cur.clear();
        } else if (c != '\r' && c != '"') {
            cur += c;
        }
    }
    out.push_back(cur);
    return out;
}

bool parse_double(const std::string& s, double& v) {
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

}  // namespace

Result<long> import_zip_csv(Database& db, const std::string& path) {
    std::ifstream in(path);
    if (!in) return Error{"cannot read " + path + " (check the path and permissions)"};
    struct Row {
        std::string zip, state;
        double lat, lon;
    };
    std::vector<Row> rows;
    std::string line;
    int lineno = 0;
    while (std::getline(in, line)) {
        ++lineno;
        if (lineno == 1) {
            if (line.rfind("zip", 0) != 0)
                return Error{path + ":1: expected the header line zip,state,latitude,longitude"};
            continue;
        }
        if (line.empty() || line == "\r") continue;
        const auto f = split_csv(line);
        const auto where = path + ":" + std::to_string(lineno) + ": ";
        if (f.size() != 4) return Error{where + "expected 4 fields zip,state,latitude,longitude, got " + std::to_string(f.size())};
        Row r{f[0], f[1], 0, 0};
        if (r.zip.size() != 5 || !std::all_of(r.zip.begin(), r.zip.end(), [](unsigned char c) { return std::isdigit(c); }))
            return Error{where + "zip \"" + r.zip + "\" is not 5 digits"};
        if (r.state.size() != 2) return Error{where + "state \"" + r.state + "\" is not a 2-letter code"};
        if (!parse_double(f[2], r.lat) || r.lat < -90 || r.lat > 90)
            return Error{where + "latitude \"" + f[2] + "\" is not a number in -90..90"};
        if (!parse_double(f[3], r.lon) || r.lon < -180 || r.lon > 180)
            return Error{where + "longitude \"" + f[3] + "\" is not a number in -180..180"};
        rows.push_back(std::move(r));
    }
    try {
        SQLite::Database& raw = db.raw();
        raw.exec("BEGIN IMMEDIATE");
        try {
            SQLite::Statement q(raw, "INSERT OR REPLACE INTO zip_codes (zip, state, latitude, longitude) VALUES (?, ?, ?, ?)");
            for (const auto& r : rows) {
                q.reset();
                q.bind(1, r.zip);
                q.bind(2, r.state);
                q.bind(3, r.lat);
                q.bind(4, r.lon);
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
