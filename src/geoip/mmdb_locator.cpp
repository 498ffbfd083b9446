// FR-7 with a local GeoIP2/GeoLite2 City .mmdb: libmaxminddb, memory-mapped,
// reading country.iso_code and subdivisions[0].iso_code.
#include "olmd/geoip/mmdb_locator.hpp"

#include <maxminddb.h>

#include <cerrno>
#include <cstring>

#include "olmd/core/files.hpp"

namespace olmd::geoip {

namespace {

/// The largest .mmdb opened (mapped, not read): GeoIP2 City is some 100 MiB.
constexpr std::size_t kMaxMmdbBytes = std::size_t{4} * 1024 * 1024 * 1024;

enum class Field { found, absent, error };

/// Reads one UTF-8 string at path (null-terminated varargs as MMDB_get_value takes them).
template <class... Path>
Field get_string(MMDB_entry_s& entry, std::string& out, int& mmdb_status, Path... path) {
    MMDB_entry_data_s data{};
    mmdb_status = MMDB_get_value(&entry, &data, path..., nullptr);
    if (mmdb_status == MMDB_LOOKUP_PATH_DOES_NOT_MATCH_DATA_ERROR) return Field::absent;
    if (mmdb_status != MMDB_SUCCESS) return Field::error;
    if (!data.has_data || data.type != MMDB_DATA_TYPE_UTF8_STRING) return Field::absent;
    out.assign(data.utf8_string, data.data_size);
    return Field::found;
}

}  // namespace

MmdbLocator::MmdbLocator(std::unique_ptr<MMDB_s> db) : db_(std::move(db)) {}

MmdbLocator::~MmdbLocator() {
    if (db_) MMDB_close(db_.get());
}

Result<std::unique_ptr<MmdbLocator>> MmdbLocator::open(const std::string& path) {
    // OPS-10: memory-mapped, never read whole, but a FIFO or device must not reach MMDB_open.
    if (auto st = files::check_regular_file(path, kMaxMmdbBytes, "GeoIP database"); !st)
        return Error{"cannot open " + st.error().message + " (set [fraud.ip_address] database to a .mmdb file)"};
    auto db = std::make_unique<MMDB_s>();
    errno = 0;
    const int status = MMDB_open(path.c_str(), MMDB_MODE_MMAP, db.get());
    if (status != MMDB_SUCCESS) {
        std::string why = MMDB_strerror(status);
        if (status == MMDB_IO_ERROR && errno != 0) why += std::string(" (") + std::strerror(errno) + ")";
        return Error{"cannot open GeoIP database \"" + path + "\": " + why};
    }
    return std::unique_ptr<MmdbLocator>(new MmdbLocator(std::move(db)));
}

std::string MmdbLocator::database_type() const {
    return db_->metadata.database_type != nullptr ? db_->metadata.database_type : "";
}

domain::GeoAnswer MmdbLocator::lookup(const std::string& ip) {
    domain::GeoAnswer r;
    int gai_error = 0;
    int mmdb_error = MMDB_SUCCESS;
    MMDB_lookup_result_s found = MMDB_lookup_string(db_.get(), ip.c_str(), &gai_error, &mmdb_error);
    if (gai_error != 0) {
        r.status = domain::GeoStatus::not_found;
        r.detail = "not an IP address";
        return r;
    }
    if (mmdb_error == MMDB_IPV6_LOOKUP_IN_IPV4_DATABASE_ERROR) {
        r.status = domain::GeoStatus::not_found;
        r.detail = "IPv6 address in an IPv4-only database";
        return r;
    }
    if (mmdb_error != MMDB_SUCCESS) {
        r.status = domain::GeoStatus::error;
        r.detail = std::string("GeoIP database lookup failed: ") + MMDB_strerror(mmdb_error);
        return r;
    }
    if (!found.found_entry) {
        r.status = domain::GeoStatus::not_found;
        r.detail = "no entry in the GeoIP database";
        return r;
    }
    int status = MMDB_SUCCESS;
    switch (get_string(found.entry, r.location.country, status, "country", "iso_code")) {
        case Field::error:
            r.status = domain::GeoStatus::error;
            r.detail = std::string("GeoIP database entry unreadable: ") + MMDB_strerror(status);
            return r;
        case Field::absent:
            r.status = domain::GeoStatus::not_found;
            r.detail = "the GeoIP database entry has no country";
            return r;
        case Field::found: break;
    }
    if (get_string(found.entry, r.location.subdivision, status, "subdivisions", "0", "iso_code") == Field::error) {
        r.status = domain::GeoStatus::error;
        r.detail = std::string("GeoIP database entry unreadable: ") + MMDB_strerror(status);
        return r;
    }
    r.status = domain::GeoStatus::found;
    return r;
}

}  // namespace olmd::geoip
