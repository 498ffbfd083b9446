#pragma once
// A Mailer that never blocks its caller (MON-4): send() validates and queues
// the email; one background thread delivers the queue through another Mailer,
// retrying each email a few times with backoff. A delivery failure is logged
// (spdlog) and counted, never thrown or returned to the sender.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>

#include "olmd/core/stop_token.hpp"
#include "olmd/domain/clock.hpp"
#include "olmd/mail/mailer.hpp"

namespace olmd::mail {

/// How AsyncMailer retries and bounds its queue.
struct AsyncOptions {
    int attempts = 3;                                     ///< deliveries tried per email (>= 1)
    std::chrono::milliseconds backoff{1000};              ///< wait before the 2nd attempt, doubled after each
    std::size_t max_queue = 100;                          ///< emails waiting; past it send() refuses
};

class AsyncMailer final : public Mailer {
public:
    /// Starts the delivery thread; inner and clock (the backoff and flush waits) must outlive this object.
    AsyncMailer(Mailer& inner, const domain::Clock& clock, AsyncOptions options = {});
    /// Stops the thread: the email in hand finishes its current attempt, emails still queued are dropped (logged).
    ~AsyncMailer() override;
    AsyncMailer(const AsyncMailer&) = delete;
    AsyncMailer& operator=(const AsyncMailer&) = delete;

    /// Queues email and returns at once; an Error only when it is invalid or the queue is full.
    Status send(const Email& email) override;
    /// Waits until every queued email was delivered or given up, at most timeout on the clock; true when
    /// drained.
    bool flush(std::chrono::milliseconds timeout);

    /// Emails delivered so far.
    std::uint64_t delivered() const { return delivered_.load(); }
    /// Emails given up on after every attempt failed.
    std::uint64_t failed() const { return failed_.load(); }

private:
    void run();

    Mailer& inner_;
    const domain::Clock& clock_;
    AsyncOptions options_;
    StopSource shutdown_;              ///< requested by the destructor: ends a backoff at once
    std::mutex mu_;
    std::condition_variable cv_;       ///< wakes the delivery thread (new email, stop)
    std::condition_variable idle_cv_;  ///< wakes flush() when the queue drains
    std::deque<Email> queue_;
    bool busy_ = false;                ///< an email is being delivered
    bool stopping_ = false;
    std::atomic<std::uint64_t> delivered_{0};
    std::atomic<std::uint64_t> failed_{0};
    std::thread thread_;
};

}  // namespace olmd::mail
