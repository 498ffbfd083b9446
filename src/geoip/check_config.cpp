// The configuration check of the FR-7 locator: it must be usable — a .mmdb file must open as a MaxMind DB (a missing or corrupt file is
// an error at [fraud.ip_address] database), a web locator must build.
// FR-13 (fraud/sourcing status overlap) is warned by the config module.
#include "olmd/geoip/check_config.hpp"

#include "olmd/geoip/locator.hpp"
#include "olmd/geoip/mmdb_locator.hpp"

namespace olmd::geoip {

namespace {

config::SourcePos first_written(const config::Config& cfg, std::initializer_list<const char*> keys) {
    for (const char* k : keys)
        if (auto p = cfg.pos(k); p.line > 0) return p;
    return {};
}

/// True when the config module already reported an error on [fraud.ip_address].
bool already_reported(const config::Diagnostics& d) {
    for (const auto& x : d.items)
        if (x.severity == config::Severity::error && x.key.rfind("fraud.ip_address", 0) == 0) return true;
    return false;
}

}  // namespace

void check_locator_config(const config::Config& cfg, config::Diagnostics& out) {
    const auto& ip = cfg.fraud.ip_address;
    if (!ip.enabled || already_reported(out)) return;
    if (ip.service == config::IpService::mmdb) {
        const auto pos = first_written(cfg, {"fraud.ip_address.database", "fraud.ip_address.service",
                                             "fraud.ip_address.enabled"});
        auto db = MmdbLocator::open(ip.database);
        if (!db) {
            out.error(cfg.source_path, pos.line, pos.column, "fraud.ip_address.database",
                      db.error().message + " (FR-7 needs a GeoIP2/GeoLite2 City .mmdb file)");
            return;
        }
        const std::string type = (*db)->database_type();
        if (type.find("City") == std::string::npos)
            out.warning(cfg.source_path, pos.line, pos.column, "fraud.ip_address.database",
                        "\"" + ip.database + "\" is a \"" + type + "\" database, not a City one: without "
                        "subdivisions, home-country orders are inconclusive for FR-7");
        return;
    }
    auto locator = make_locator(ip);
    if (!locator) {
        const auto pos = first_written(cfg, {"fraud.ip_address.service", "fraud.ip_address.enabled"});
        out.error(cfg.source_path, pos.line, pos.column, "fraud.ip_address", locator.error().message);
    }
}

}  // namespace olmd::geoip
