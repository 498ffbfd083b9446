#include "olmd/daemon/config_check.hpp"

#include <spdlog/spdlog.h>

#include "olmd/geoip/check_config.hpp"
#include "olmd/jobs/job.hpp"
#include "olmd/store/catalog.hpp"

namespace olmd::daemon {

void log_diagnostics(const config::Diagnostics& diagnostics) {
    for (const auto& d : diagnostics.items) {
        if (d.severity == config::Severity::error)
            spdlog::error("{}", d.to_string());
        else
            spdlog::warn("{}", d.to_string());
    }
}

void check_against_database(const config::Config& cfg, store::Backend& db, config::Diagnostics& out) {
    auto catalog = db.catalog();
    if (!catalog)
        out.error(cfg.source_path, 0, 0, "daemon.database", catalog.error().message);
    else
        config::check_names(cfg, catalog->name_catalog(), out);
    // FR-7: the locator the fraud job would use must be usable.
    if (cfg.job(JobKind::fraud).enabled) geoip::check_locator_config(cfg, out);
}

std::string summarize_errors(const config::Diagnostics& d) {
    int errors = 0;
    std::string text;
    for (const auto& item : d.items) {
        if (item.severity != config::Severity::error) continue;
        ++errors;
        text += (text.empty() ? "" : "\n") + item.to_string();
    }
    return std::to_string(errors) + " error(s):\n" + text;
}

Result<config::ConfigPtr> load_checked_config(const std::string& path, store::Backend& db) {
    auto loaded = config::load_config_file(path);
    if (loaded.ok()) check_against_database(*loaded.config, db, loaded.diagnostics);
    log_diagnostics(loaded.diagnostics);
    if (loaded.diagnostics.has_errors())
        return Error{"the configuration " + path + " is invalid: " + summarize_errors(loaded.diagnostics),
                     exit_code::failure};
    return loaded.config;
}

}  // namespace olmd::daemon
