#include "store/zip_csv.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string_view>

#include "olmd/core/files.hpp"
#include "olmd/store/zip_codes.hpp"

namespace olmd::store {

namespace {

std::vector<std::string> split_csv(std::string_view line) {
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

/// text in quotes for a message, cut to 40 characters and free of control bytes.
std::string shown(const std::string& text) {
    std::string out;
    for (char c : text.substr(0, 40)) out += std::iscntrl(static_cast<unsigned char>(c)) ? '?' : c;
    return "\"" + out + (text.size() > 40 ? "...\"" : "\"");
}

/// The header line, lower case, without a UTF-8 byte order mark, line end or blanks.
std::string normalized_header(std::string_view line) {
    if (line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    std::string out;
    for (char c : line)
        if (c != ' ' && c != '\t' && c != '\r' && c != '"')
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/// The rows of the CSV text, or an Error naming path:line for the first malformed one.
Result<std::vector<ZipRow>> parse_rows(const std::string& path, const std::string& text) {
    if (text.empty())
        return Error{path + " is empty: expected the header line zip,state,latitude,longitude and rows"};
    std::vector<ZipRow> rows;
    std::size_t pos = 0;
    int lineno = 0;
    while (pos < text.size()) {
        std::size_t eol = text.find('\n', pos);
        if (eol == std::string::npos) eol = text.size();
        const std::string_view line(text.data() + pos, eol - pos);
        pos = eol + 1;
        ++lineno;
        const auto where = path + ":" + std::to_string(lineno) + ": ";
        if (lineno == 1) {
            if (normalized_header(line) != "zip,state,latitude,longitude")
                return Error{where + "expected the header line zip,state,latitude,longitude, not " +
                             shown(std::string(line))};
            continue;
        }
        if (line.empty() || line == "\r") continue;
        const auto f = split_csv(line);
        if (f.size() != 4)
            return Error{where + "expected 4 fields zip,state,latitude,longitude, got " +
                         std::to_string(f.size())};
        ZipRow r{f[0], f[1], 0, 0};
        if (r.zip.size() != 5 ||
            !std::all_of(r.zip.begin(), r.zip.end(), [](unsigned char c) { return std::isdigit(c); }))
            return Error{where + "zip " + shown(r.zip) + " is not 5 digits"};
        if (r.state.size() != 2 ||
            !std::all_of(r.state.begin(), r.state.end(), [](unsigned char c) { return std::isalpha(c); }))
            return Error{where + "state " + shown(r.state) + " is not a 2-letter code"};
        if (!parse_double(f[2], r.latitude) || r.latitude < -90 || r.latitude > 90)
            return Error{where + "latitude " + shown(f[2]) + " is not a number in -90..90"};
        if (!parse_double(f[3], r.longitude) || r.longitude < -180 || r.longitude > 180)
            return Error{where + "longitude " + shown(f[3]) + " is not a number in -180..180"};
        rows.push_back(std::move(r));
    }
    if (rows.empty())
        return Error{path + " has a header line but no ZIP row: expected lines zip,state,latitude,longitude"};
    return rows;
}

}  // namespace

Result<std::vector<ZipRow>> read_zip_csv(const std::string& path) {
    // OPS-10: a FIFO, device or directory is an error, never a hang; the size is bounded.
    auto text = files::read_regular_file(path, kMaxZipCsvBytes, "ZIP centroid file");
    if (!text) return text.error();
    return parse_rows(path, *text);
}

}  // namespace olmd::store
