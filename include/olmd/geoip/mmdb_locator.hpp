#pragma once
// FR-7 service "mmdb": a local GeoIP2/GeoLite2 City database read with libmaxminddb.

#include <memory>
#include <string>

#include "olmd/core/error.hpp"
#include "olmd/geoip/locator.hpp"

struct MMDB_s;

namespace olmd::geoip {

/// Looks IPv4 and IPv6 addresses up in a memory-mapped .mmdb file.
class MmdbLocator final : public domain::GeoLocator {
public:
    /// Opens path (MMDB_open, memory-mapped); an Error says why it cannot be used.
    static Result<std::unique_ptr<MmdbLocator>> open(const std::string& path);
    ~MmdbLocator() override;
    MmdbLocator(const MmdbLocator&) = delete;
    MmdbLocator& operator=(const MmdbLocator&) = delete;

    /// country.iso_code and subdivisions.0.iso_code of ip; not_found when the file has no
    /// entry or no country for it (or the text is not an address); error on a corrupt entry.
    domain::GeoAnswer lookup(const std::string& ip) override;
    /// The file's metadata database_type, e.g. "GeoIP2-City".
    std::string database_type() const;

private:
    explicit MmdbLocator(std::unique_ptr<MMDB_s> db);
    std::unique_ptr<MMDB_s> db_;
};

}  // namespace olmd::geoip
