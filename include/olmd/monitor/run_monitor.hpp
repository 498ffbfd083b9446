#pragma once
// The run monitor (MON-1..MON-3): a RunObserver that starts a watchdog per run
// and emails one warning when the run goes past [monitor]
// warning_timeout_minutes (the run goes on; automation_runs.warning_sent_at is
// set through the monitor's own database connection), and emails job failures
// and the failures the daemon reports, each identical failure at most once per
// repeat_minutes. With either MON-1 key unset, it never sends anything. It
// never blocks the run: give it an AsyncMailer. The observer hooks and
// stop_watchdog() are called from the thread that runs the runs; notify_*,
// set_config and the counters may be called from any thread.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "olmd/config/config.hpp"
#include "olmd/core/stop_token.hpp"
#include "olmd/core/time.hpp"
#include "olmd/domain/clock.hpp"
#include "olmd/jobs/job.hpp"
#include "olmd/mail/mailer.hpp"
#include "olmd/pipeline/runner.hpp"

namespace date {
class time_zone;
}

namespace olmd::monitor {

/// Optional settings of a RunMonitor.
struct MonitorOptions {
    const date::time_zone* zone = nullptr;  ///< local times in emails; null = the system zone
    int busy_timeout_ms = 5000;             ///< of the monitor's own database connection
    std::string password_file;              ///< [daemon] password_file, for a PostgreSQL database
    const StopToken* stop = nullptr;        ///< cuts that connection's busy waits short; null: never
};

class RunMonitor final : public pipeline::RunObserver {
public:
    /// cfg: [monitor]; mailer, progress and clock (wall times, and the watchdog's wait) must outlive the
    /// monitor; database_path: the
    /// database whose automation_runs row gets warning_sent_at ("" = not recorded); host: this machine.
    RunMonitor(config::MonitorConfig cfg, mail::Mailer& mailer, const jobs::Progress& progress,
               std::string database_path, const domain::Clock& clock, std::string host,
               MonitorOptions options = {});
    /// Stops a watchdog still running.
    ~RunMonitor() override;
    RunMonitor(const RunMonitor&) = delete;
    RunMonitor& operator=(const RunMonitor&) = delete;

    /// Starts the run's watchdog (MON-2); nothing for a dry run or when MON-1 is off.
    void run_started(RunId id, const pipeline::RunRequest& request) override;
    /// Notes the job now running (its progress is read from the Progress given at construction).
    void job_started(JobKind kind) override;
    /// Emails a job that failed as a whole (MON-3, de-duplicated); records its counts for the warning.
    void job_finished(JobKind kind, const jobs::JobStats& stats) override;
    /// Stops the run's watchdog without sending anything more.
    void run_finished(const pipeline::RunReport& report) override;

    /// MON-3 for failures outside a job (config reload failed, database unavailable, ...): what failed,
    /// the error, what was done about it. Identical what+error pairs are emailed at most once per
    /// repeat_minutes. True when an email was handed to the mailer.
    bool notify_failure(std::string what, std::string error, std::string action);
    /// MON-3 for a run found still 'running' at start and marked crashed; true when an email was handed over.
    bool notify_crashed_run(RunId id);

    /// Stops the current watchdog, if any (run_finished does it; for a run whose row could not be closed).
    void stop_watchdog();
    /// Replaces the [monitor] settings (SIGHUP reload); a watchdog already running keeps its timeout.
    void set_config(config::MonitorConfig cfg);

    /// Long-run warnings handed to the mailer so far (the metrics file's counter).
    std::uint64_t warnings_sent() const { return warnings_sent_.load(); }
    /// Failure emails handed to the mailer so far.
    std::uint64_t failures_sent() const { return failures_sent_.load(); }

private:
    struct Watch {
        RunId run_id = 0;
        std::vector<JobKind> order;                 ///< the run's jobs in run order
        pipeline::RunRequest request;
        Instant started_at{};                       ///< wall clock
        domain::SteadyInstant started_steady{};      ///< the clock's monotonic time
        double timeout_minutes = 0;
        std::vector<std::pair<JobKind, jobs::JobStats>> finished;
    };

    void watchdog(domain::SteadyInstant deadline, const StopToken& stop);
    void send_warning();
    bool send_failure(const std::string& key, const std::string& subject_what, const std::string& error,
                      std::string body);
    std::string local_and_utc(Instant t) const;

    config::MonitorConfig cfg_;
    mail::Mailer& mailer_;
    const jobs::Progress& progress_;
    std::string database_path_;
    const domain::Clock& clock_;
    std::string host_;
    MonitorOptions options_;

    mutable std::mutex mu_;
    std::unique_ptr<StopSource> watch_stop_;  ///< ends the current watchdog's wait; one per watchdog
    bool in_run_ = false;
    Watch watch_;
    std::thread thread_;
    std::map<std::string, Instant> last_failure_sent_;  ///< MON-3 de-duplication, by what + error
    std::atomic<std::uint64_t> warnings_sent_{0};
    std::atomic<std::uint64_t> failures_sent_{0};
};

}  // namespace olmd::monitor
