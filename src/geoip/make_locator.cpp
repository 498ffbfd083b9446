// The locator [fraud.ip_address] service names: the local .mmdb reader here,
// the two web services in their own files (web_locators.hpp).
#include "olmd/geoip/locator.hpp"
#include "olmd/geoip/mmdb_locator.hpp"
#include "olmd/geoip/web_locators.hpp"

namespace olmd::geoip {

Result<std::unique_ptr<domain::GeoLocator>> make_locator(const config::FraudConfig::IpAddress& cfg) {
    switch (cfg.service) {
        case config::IpService::mmdb: {
            if (cfg.database.empty())
                return Error{"[fraud.ip_address] database is not set (path of a GeoIP2/GeoLite2 City .mmdb file)"};
            auto db = MmdbLocator::open(cfg.database);
            if (!db) return db.error();
            return std::unique_ptr<domain::GeoLocator>(std::move(*db));
        }
        case config::IpService::maxmind: return make_maxmind_locator(cfg);
        case config::IpService::kickfire: return make_kickfire_locator(cfg);
    }
    return Error{"[fraud.ip_address] service: unknown service"};
}

}  // namespace olmd::geoip
