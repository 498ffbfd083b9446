// The run monitor: long-run warning (MON-2) and failure emails (MON-3).
#include "olmd/monitor/run_monitor.hpp"

#include <spdlog/spdlog.h>

#include <cmath>
#include <fmt/format.h>

#include "olmd/core/zone.hpp"
#include "olmd/store/backend.hpp"

namespace olmd::monitor {
namespace {

using SteadyClock = std::chrono::steady_clock;

/// Seconds under a minute: one decimal below 10 s ("0.6 s"), whole seconds above ("45 s").
std::string format_seconds(std::chrono::steady_clock::duration d) {
    const double secs = std::chrono::duration<double>(d).count();
    return secs < 9.95 ? fmt::format("{:.1f} s", secs) : fmt::format("{:.0f} s", secs);
}

/// "0.6 s", "45 s", "30 min 5 s", "2 h 3 min".
std::string format_elapsed(std::chrono::steady_clock::duration d) {
    const auto total = std::chrono::round<std::chrono::seconds>(d).count();
    if (total < 60) return format_seconds(d);
    if (total < 3600) return total % 60 == 0 ? fmt::format("{} min", total / 60)
                                             : fmt::format("{} min {} s", total / 60, total % 60);
    return fmt::format("{} h {} min", total / 3600, (total % 3600) / 60);
}

/// The elapsed time as a subject says it: whole minutes once past a minute.
std::string format_elapsed_short(std::chrono::steady_clock::duration d) {
    const auto total = std::chrono::round<std::chrono::seconds>(d).count();
    if (total < 60) return format_seconds(d);
    if (total < 3600) return fmt::format("{} min", total / 60);
    return fmt::format("{} h {} min", total / 3600, (total % 3600) / 60);
}

/// What a job counts: payments for capture/reauth, orders for fraud/sourcing.
const char* unit_of(JobKind k) { return k == JobKind::capture || k == JobKind::reauth ? "payments" : "orders"; }

std::string job_names(const std::vector<JobKind>& jobs) {
    if (jobs.empty()) return "none";
    std::string out;
    for (JobKind k : jobs) out += (out.empty() ? "" : ", ") + std::string(job_name(k));
    return out;
}

std::string counts(JobKind k, const jobs::JobStats& s) {
    return fmt::format("selected {} {}, changed {}, deferred {}, left to the back office {}, errors {}", s.selected,
                       unit_of(k), s.changed, s.deferred, s.skipped_concurrent, s.errors);
}

/// One line for a subject: its first line, at most max bytes (not cutting a UTF-8 character).
std::string subject_fragment(const std::string& text, std::size_t max) {
    std::string line = text.substr(0, text.find_first_of("\r\n"));
    for (char& c : line)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    if (line.size() <= max) return line;
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(line[n]) & 0xC0) == 0x80) --n;
    return line.substr(0, n) + "...";
}

}  // namespace

RunMonitor::RunMonitor(config::MonitorConfig cfg, mail::Mailer& mailer, const jobs::Progress& progress,
                       std::string database_path, const domain::Clock& clock, std::string host,
                       MonitorOptions options)
    : cfg_(std::move(cfg)),
      mailer_(mailer),
      progress_(progress),
      database_path_(std::move(database_path)),
      clock_(clock),
      host_(std::move(host)),
      options_(options) {
    if (options_.zone == nullptr) {
        if (auto tz = resolve_zone(""); tz) options_.zone = *tz;
    }
}

RunMonitor::~RunMonitor() { stop_watchdog(); }

void RunMonitor::set_config(config::MonitorConfig cfg) {
    std::lock_guard lock(mu_);
    cfg_ = std::move(cfg);
}

std::string RunMonitor::local_and_utc(Instant t) const {
    if (options_.zone == nullptr) return format_utc(t);
    return format_local(t, options_.zone) + " (" + format_utc(t) + ")";
}

void RunMonitor::run_started(RunId id, const pipeline::RunRequest& request) {
    stop_watchdog();
    std::lock_guard lock(mu_);
    in_run_ = false;
    if (request.dry_run || id == 0) return;  // a dry run is not a run: nothing is recorded or sent
    in_run_ = true;
    watch_ = Watch{};
    watch_.run_id = id;
    watch_.order = pipeline::in_run_order(request.jobs);
    watch_.request = request;
    watch_.request.dry_out = nullptr;
    watch_.started_at = clock_.now();
    watch_.started_steady = clock_.steady_now();
    // MON-1: both keys, and a positive timeout, or no watchdog at all.
    if (!cfg_.enabled() || !(*cfg_.warning_timeout_minutes > 0)) return;
    watch_.timeout_minutes = *cfg_.warning_timeout_minutes;
    const auto timeout = std::chrono::duration_cast<SteadyClock::duration>(
        std::chrono::duration<double, std::ratio<60>>(watch_.timeout_minutes));
    watch_stop_ = std::make_unique<StopSource>();
    thread_ = std::thread([this, deadline = watch_.started_steady + timeout, stop = watch_stop_.get()] {
        watchdog(deadline, *stop);
    });
}

void RunMonitor::job_started(JobKind kind) {
    spdlog::debug("monitor: job {} started", job_name(kind));
}

void RunMonitor::job_finished(JobKind kind, const jobs::JobStats& stats) {
    std::string context;
    std::vector<JobKind> remaining;
    {
        std::lock_guard lock(mu_);
        if (!in_run_) return;
        watch_.finished.emplace_back(kind, stats);
        for (JobKind k : watch_.order)
            if (k > kind) remaining.push_back(k);
        context = fmt::format("run:          {} ({}), slot {}\n", watch_.run_id,
                              store::to_string(watch_.request.trigger), local_and_utc(watch_.request.fire_at));
    }
    if (stats.failure.empty()) return;
    std::string action = fmt::format("{} deferred {} {} to the next run ({}); ", job_name(kind), stats.deferred,
                                     unit_of(kind), counts(kind, stats));
    action += remaining.empty() ? "it was the run's last job" : "the run goes on with " + job_names(remaining);
    const std::string what = "job " + std::string(job_name(kind));
    send_failure(what + "\n" + stats.failure, what, stats.failure,
                 fmt::format("olmd on {}: {} failed as a whole.\n\n"
                             "host:         {}\n"
                             "failed:       {}\n"
                             "{}"
                             "error:        {}\n"
                             "done:         {}\n",
                             host_, what, host_, what, context, stats.failure, action));
}

void RunMonitor::run_finished(const pipeline::RunReport&) {
    stop_watchdog();
    std::lock_guard lock(mu_);
    in_run_ = false;
}

void RunMonitor::stop_watchdog() {
    {
        std::lock_guard lock(mu_);
        if (watch_stop_) watch_stop_->request_stop();
    }
    if (thread_.joinable()) thread_.join();
    std::lock_guard lock(mu_);
    watch_stop_.reset();
}

void RunMonitor::watchdog(domain::SteadyInstant deadline, const StopToken& stop) {
    if (clock_.wait_until(deadline, stop)) return;
    send_warning();
}

void RunMonitor::send_warning() {
    mail::Email email;
    RunId run_id = 0;
    {
        std::lock_guard lock(mu_);
        if (!cfg_.enabled()) return;  // turned off by a reload meanwhile
        const Watch& w = watch_;
        run_id = w.run_id;
        const auto elapsed = clock_.steady_now() - w.started_steady;
        const int index = progress_.job_index.load();
        const std::int64_t done = progress_.done.load();
        const std::int64_t selected = progress_.selected.load();

        std::string now_running = "none (between jobs)";
        std::vector<JobKind> still_to_run;
        if (index >= 0 && static_cast<std::size_t>(index) < w.order.size()) {
            const JobKind k = w.order[static_cast<std::size_t>(index)];
            now_running = fmt::format("{}, {} of {} {} done", job_name(k), done, selected, unit_of(k));
            still_to_run.assign(w.order.begin() + index + 1, w.order.end());
        } else if (w.finished.empty()) {
            still_to_run = w.order;
        }
        std::string finished;
        for (const auto& [k, s] : w.finished)
            finished += fmt::format("\n  {}: {}{}", job_name(k), counts(k, s), s.failure.empty() ? "" : " (failed)");

        email.to = cfg_.warning_emails;
        email.subject = fmt::format("[olmd] run {} on {} still running after {}", w.run_id, host_,
                                    format_elapsed_short(elapsed));
        email.body = fmt::format(
            "olmd run {} on {} has been running for {}, past warning_timeout_minutes = {}.\n"
            "The run goes on: this warning is sent once per run and nothing was stopped.\n\n"
            "host:         {}\n"
            "run id:       {}\n"
            "trigger:      {}\n"
            "slot:         {}\n"
            "started at:   {}\n"
            "elapsed:      {}\n"
            "running now:  {}\n"
            "still to run: {}\n"
            "finished:     {}\n",
            w.run_id, host_, format_elapsed(elapsed), w.timeout_minutes, host_, w.run_id,
            store::to_string(w.request.trigger), local_and_utc(w.request.fire_at), local_and_utc(w.started_at),
            format_elapsed(elapsed), now_running, job_names(still_to_run), finished.empty() ? "none" : finished);
    }
    if (auto st = mailer_.send(email); !st) {
        spdlog::error("monitor: cannot send the long-run warning of run {}: {}", run_id, st.error().message);
        return;
    }
    ++warnings_sent_;
    spdlog::warn("monitor: run {} is past its warning timeout; warning queued for {} recipient(s)", run_id,
                 email.to.size());
    if (database_path_.empty()) return;
    // Our own connection: the job thread's may be inside a transaction.
    store::BackendOptions o;
    o.busy_timeout_ms = options_.busy_timeout_ms;
    o.stop = options_.stop;
    o.password_file = options_.password_file;
    auto db = store::open_backend(database_path_, o);
    if (!db) {
        spdlog::error("monitor: cannot record warning_sent_at of run {}: {}", run_id, db.error().message);
        return;
    }
    if (auto st = (*db)->runs().mark_warning_sent(run_id, clock_.now()); !st)
        spdlog::error("monitor: cannot record warning_sent_at of run {}: {}", run_id, st.error().message);
}

bool RunMonitor::notify_failure(std::string what, std::string error, std::string action) {
    std::string context;
    {
        std::lock_guard lock(mu_);
        if (in_run_) context = fmt::format("during run:   {}\n", watch_.run_id);
    }
    const std::string key = what + "\n" + error;
    return send_failure(key, what, error,
                        fmt::format("olmd on {}: {} failed.\n\n"
                                    "host:         {}\n"
                                    "failed:       {}\n"
                                    "{}"
                                    "error:        {}\n"
                                    "done:         {}\n",
                                    host_, what, host_, what, context, error, action));
}

bool RunMonitor::notify_crashed_run(RunId id) {
    return notify_failure(fmt::format("run {}", id),
                          "the process running it died: the run was still marked running at start",
                          "marked the run crashed; every order it had not finished is taken up again by the "
                          "next run (committed transitions are kept)");
}

bool RunMonitor::send_failure(const std::string& key, const std::string& subject_what, const std::string& error,
                              std::string body) {
    mail::Email email;
    const Instant now = clock_.now();
    {
        std::lock_guard lock(mu_);
        if (!cfg_.enabled()) return false;  // MON-1
        const auto it = last_failure_sent_.find(key);
        const auto repeat = std::chrono::duration<double, std::ratio<60>>(cfg_.repeat_minutes);
        if (it != last_failure_sent_.end() && now - it->second < repeat) {
            spdlog::info("monitor: {} failed again with the same error; not emailed again within {} min",
                         subject_what, cfg_.repeat_minutes);
            return false;
        }
        email.to = cfg_.warning_emails;
        body += fmt::format("time:         {}\n\nIdentical failures are emailed at most once every {} min.\n",
                            local_and_utc(now), cfg_.repeat_minutes);
        last_failure_sent_[key] = now;
    }
    email.subject =
        fmt::format("[olmd] {} failed on {}: {}", subject_fragment(subject_what, 60), host_, subject_fragment(error, 100));
    email.body = std::move(body);
    if (auto st = mailer_.send(email); !st) {
        spdlog::error("monitor: cannot send the failure email for {}: {}", subject_what, st.error().message);
        std::lock_guard lock(mu_);
        last_failure_sent_.erase(key);  // let the next occurrence try again
        return false;
    }
    ++failures_sent_;
    return true;
}

}  // namespace olmd::monitor
