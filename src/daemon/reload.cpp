// DaemonHost::reload: SIGHUP re-reads the configuration (OPS-3).
#include <spdlog/spdlog.h>

#include "olmd/core/logging.hpp"
#include "olmd/daemon/config_check.hpp"
#include "olmd/daemon/daemon_host.hpp"

namespace olmd::daemon {

std::optional<ScheduleSettings> DaemonHost::reload() {
    const std::string& path = settings_.config_path;
    auto fresh = load_checked_config(path, db_);
    if (!fresh) {
        spdlog::error("{}", fresh.error().message);
        spdlog::error("configuration reload failed: keeping the previous configuration (fix {} and reload again; "
                      "`olmd check-config` lists every error)",
                      path);
        if (hooks_.failure)
            hooks_.failure("configuration reload (" + path + ")", fresh.error().message,
                           "olmd keeps running with the previous configuration");
        return std::nullopt;
    }
    const config::DaemonConfig& old_d = cfg_->daemon;
    const config::DaemonConfig& new_d = (*fresh)->daemon;
    config::ConfigPtr next = *fresh;
    if (new_d.database != old_d.database || new_d.effective_lock_file() != old_d.effective_lock_file() ||
        new_d.busy_timeout_ms != old_d.busy_timeout_ms) {
        // The open, locked database cannot change under a running daemon.
        spdlog::warn("[daemon] database, lock_file and busy_timeout_ms take effect on restart "
                     "(systemctl restart olmd); still using {}",
                     old_d.database);
        auto patched = std::make_shared<config::Config>(**fresh);
        patched->daemon.database = old_d.database;
        patched->daemon.lock_file = old_d.lock_file;
        patched->daemon.busy_timeout_ms = old_d.busy_timeout_ms;
        next = std::move(patched);
    }
    auto calc = schedule::FireTimeCalculator::create(*next);
    if (!calc) {
        spdlog::error("configuration reload failed: {}; keeping the previous configuration", calc.error().message);
        if (hooks_.failure)
            hooks_.failure("configuration reload (" + path + ")", calc.error().message,
                           "olmd keeps running with the previous configuration");
        return std::nullopt;
    }
    if (!settings_.log_level_from_cli) {
        if (auto st = set_log_level(next->daemon.log_level); !st) spdlog::error("{}", st.error().message);
    }
    cfg_ = next;
    if (hooks_.reconfigure) hooks_.reconfigure(cfg_);
    spdlog::info("configuration {} reloaded", path);
    return ScheduleSettings{std::move(*calc), cfg_->daemon.catch_up_hours};
}

}  // namespace olmd::daemon
