#include "olmd/daemon/monitoring.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "olmd/core/zone.hpp"
#include "olmd/mail/async_mailer.hpp"
#include "olmd/mail/smtp_mailer.hpp"
#include "olmd/monitor/run_monitor.hpp"

namespace olmd::daemon {

namespace {

bool same_smtp(const config::SmtpConfig& a, const config::SmtpConfig& b) {
    return a.url == b.url && a.from == b.from && a.username == b.username && a.password_file == b.password_file &&
           a.require_tls == b.require_tls && a.allow_plaintext_auth == b.allow_plaintext_auth &&
           a.timeout_ms == b.timeout_ms;
}

}  // namespace

Monitoring::Monitoring(const config::Config& cfg, const jobs::Progress& progress, const domain::Clock& clock,
                       std::string host, const StopToken* stop)
    : smtp_cfg_(cfg.smtp) {
    smtp_ = std::make_unique<mail::SmtpMailer>(cfg.smtp, host);
    queue_ = std::make_unique<mail::AsyncMailer>(*smtp_, clock);
    monitor::MonitorOptions o;
    if (auto zone = resolve_zone(cfg.daemon.timezone)) o.zone = *zone;
    o.busy_timeout_ms = cfg.daemon.busy_timeout_ms;
    o.stop = stop;
    o.password_file = cfg.daemon.password_file;
    monitor_ = std::make_unique<monitor::RunMonitor>(cfg.monitor, *queue_, progress, cfg.daemon.database, clock,
                                                     std::move(host), o);
}

Monitoring::~Monitoring() {
    monitor_.reset();
    const int timeout = std::max(smtp_cfg_.timeout_ms, 1);
    if (!queue_->flush(std::chrono::milliseconds(timeout)))
        spdlog::warn("mail: queued email not sent within [smtp] timeout_ms = {}; exiting without it", timeout);
}

MonitorHooks Monitoring::hooks() {
    MonitorHooks h;
    monitor::RunMonitor* m = monitor_.get();
    h.observer = m;
    h.failure = [m](const std::string& what, const std::string& error, const std::string& action) {
        m->notify_failure(what, error, action);
    };
    h.crashed_run = [m](RunId id) { m->notify_crashed_run(id); };
    h.run_abandoned = [m] { m->stop_watchdog(); };
    h.reconfigure = [this, m](const config::ConfigPtr& cfg) {
        m->set_config(cfg->monitor);
        if (!same_smtp(cfg->smtp, smtp_cfg_))
            spdlog::warn("[smtp] changes take effect on restart (systemctl restart olmd)");
    };
    return h;
}

}  // namespace olmd::daemon
