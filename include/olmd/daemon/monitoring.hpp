#pragma once
// The daemon's monitor (MON-1..MON-4): SMTP mailer, the non-blocking queue in
// front of it, and the RunMonitor, owned together and exposed as MonitorHooks.

#include <memory>
#include <string>

#include "olmd/config/config.hpp"
#include "olmd/core/stop_token.hpp"
#include "olmd/core/time.hpp"
#include "olmd/daemon/monitor_hooks.hpp"
#include "olmd/domain/clock.hpp"
#include "olmd/jobs/job.hpp"

namespace olmd::mail {
class SmtpMailer;
class AsyncMailer;
}  // namespace olmd::mail
namespace olmd::monitor {
class RunMonitor;
}

namespace olmd::daemon {

class Monitoring {
public:
    /// Builds the monitor from cfg; progress, clock and stop must outlive it (stop, may be null: cuts the
    /// busy waits of the monitor's own database connection). With MON-1 off it sends nothing, but a
    /// reload may turn it on.
    Monitoring(const config::Config& cfg, const jobs::Progress& progress, const domain::Clock& clock,
               std::string host, const StopToken* stop = nullptr);
    /// Stops the monitor, then waits for queued email, at most [smtp] timeout_ms.
    ~Monitoring();
    Monitoring(const Monitoring&) = delete;
    Monitoring& operator=(const Monitoring&) = delete;

    /// The hooks to hand to the daemon or a run-once (valid while this object lives).
    MonitorHooks hooks();

private:
    config::SmtpConfig smtp_cfg_;
    std::unique_ptr<mail::SmtpMailer> smtp_;
    std::unique_ptr<mail::AsyncMailer> queue_;
    std::unique_ptr<monitor::RunMonitor> monitor_;
};

}  // namespace olmd::daemon
