#pragma once
// A Mailer for tests: records every email it is given, can be told to fail,
// and lets a test wait until a number of emails arrived.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <vector>

#include "olmd/mail/mailer.hpp"

namespace olmd::test {

class FakeMailer final : public mail::Mailer {
public:
    /// Records email (after mail::validate, like a real sender), or fails while fail() is set.
    Status send(const mail::Email& email) override {
        std::lock_guard lock(mu_);
        ++attempts_;
        cv_.notify_all();
        if (fail_) return Error{"fake mailer: configured to fail"};
        if (auto st = mail::validate(email); !st) return st;
        emails_.push_back(email);
        cv_.notify_all();
        return ok_status();
    }
    /// Makes later sends fail (true) or succeed (false).
    void fail(bool on) {
        std::lock_guard lock(mu_);
        fail_ = on;
    }
    /// A copy of the emails recorded so far.
    std::vector<mail::Email> emails() const {
        std::lock_guard lock(mu_);
        return emails_;
    }
    /// How many emails were recorded.
    std::size_t count() const {
        std::lock_guard lock(mu_);
        return emails_.size();
    }
    /// How many times send() was called (successful or not).
    std::size_t attempts() const {
        std::lock_guard lock(mu_);
        return attempts_;
    }
    /// Waits until at least n emails were recorded, at most timeout; true when they were.
    bool wait_for(std::size_t n, std::chrono::milliseconds timeout) const {
        std::unique_lock lock(mu_);
        return cv_.wait_for(lock, timeout, [&] { return emails_.size() >= n; });
    }
    /// Waits until send() was called at least n times, at most timeout; true when it was.
    bool wait_for_attempts(std::size_t n, std::chrono::milliseconds timeout) const {
        std::unique_lock lock(mu_);
        return cv_.wait_for(lock, timeout, [&] { return attempts_ >= n; });
    }

private:
    mutable std::mutex mu_;
    mutable std::condition_variable cv_;
    std::vector<mail::Email> emails_;
    std::size_t attempts_ = 0;
    bool fail_ = false;
};

}  // namespace olmd::test
