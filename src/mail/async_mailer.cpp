// Queued, retried, off-thread delivery (mail/async_mailer.hpp).
#include "olmd/mail/async_mailer.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <string>

namespace olmd::mail {

AsyncMailer::AsyncMailer(Mailer& inner, const domain::Clock& clock, AsyncOptions options)
    : inner_(inner), clock_(clock), options_(options) {
    options_.attempts = std::max(1, options_.attempts);
    options_.max_queue = std::max<std::size_t>(1, options_.max_queue);
    thread_ = std::thread([this] { run(); });
}

AsyncMailer::~AsyncMailer() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
        if (!queue_.empty())
            spdlog::warn("mail: {} queued email(s) dropped at shutdown, first: \"{}\"", queue_.size(),
                         queue_.front().subject);
        queue_.clear();
    }
    shutdown_.request_stop();
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

Status AsyncMailer::send(const Email& email) {
    if (auto st = validate(email); !st) return st;
    {
        std::lock_guard lock(mu_);
        if (stopping_) return Error{"the mail queue is shut down"};
        if (queue_.size() >= options_.max_queue)
            return Error{"the mail queue is full (" + std::to_string(queue_.size()) + " emails waiting)"};
        queue_.push_back(email);
    }
    cv_.notify_all();
    return ok_status();
}

bool AsyncMailer::flush(std::chrono::milliseconds timeout) {
    const domain::SteadyInstant deadline = clock_.steady_now() + timeout;
    std::unique_lock lock(mu_);
    // The deadline is on the injected clock; the condition variable only wakes us to look again.
    while (!(queue_.empty() && !busy_)) {
        if (clock_.steady_now() >= deadline) return false;
        idle_cv_.wait_for(lock, std::chrono::milliseconds(5));
    }
    return true;
}

void AsyncMailer::run() {
    std::unique_lock lock(mu_);
    for (;;) {
        cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_) break;
        Email email = std::move(queue_.front());
        queue_.pop_front();
        busy_ = true;

        bool sent = false;
        std::string last_error;
        auto backoff = options_.backoff;
        for (int attempt = 1; attempt <= options_.attempts; ++attempt) {
            lock.unlock();
            const Status st = inner_.send(email);
            lock.lock();
            if (st) {
                sent = true;
                break;
            }
            last_error = st.error().message;
            if (stopping_) break;
            if (attempt == options_.attempts) {
                spdlog::error("mail: giving up after {} attempt(s): {}", attempt, last_error);
                break;
            }
            spdlog::warn("mail: attempt {} of {} failed, retrying in {} ms: {}", attempt, options_.attempts,
                         backoff.count(), last_error);
            lock.unlock();
            const bool stopped = clock_.wait_for(backoff, shutdown_);
            lock.lock();
            if (stopped || stopping_) break;
            backoff *= 2;
        }
        if (sent) {
            ++delivered_;
            spdlog::info("mail: sent \"{}\"", email.subject);
        } else {
            ++failed_;
            if (stopping_) spdlog::error("mail: \"{}\" abandoned at shutdown: {}", email.subject, last_error);
        }
        busy_ = false;
        if (queue_.empty()) idle_cv_.notify_all();
    }
    busy_ = false;
    idle_cv_.notify_all();
}

}  // namespace olmd::mail
