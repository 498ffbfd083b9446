#pragma once
// Instants are UTC seconds; the database stores them as YYYY-MM-DDTHH:MM:SSZ.

#include <chrono>
#include <string>
#include <string_view>

#include "olmd/core/error.hpp"

namespace olmd {

using Instant = std::chrono::sys_seconds;

/// Formats an instant as the database's UTC text, "2026-11-22T13:30:00Z".
std::string format_utc(Instant t);

/// Parses a UTC timestamp read from the database: the contract's "YYYY-MM-DDTHH:MM:SSZ" or SQLite's own
/// "YYYY-MM-DD HH:MM:SS" (rules.md, timestamps read); an error names the text.
Result<Instant> parse_utc(std::string_view text);

/// Source of "now"; injected everywhere so rules are testable with a fake clock.
class Clock {
public:
    virtual ~Clock() = default;
    /// The current instant.
    virtual Instant now() const = 0;
};

/// The wall clock.
class SystemClock final : public Clock {
public:
    /// The current wall-clock instant, truncated to seconds.
    Instant now() const override;
};

/// A clock tests set and advance by hand.
class FakeClock final : public Clock {
public:
    explicit FakeClock(Instant t) : t_(t) {}
    /// The instant last set.
    Instant now() const override { return t_; }
    /// Moves the clock to t.
    void set(Instant t) { t_ = t; }
    /// Moves the clock forward by d.
    void advance(std::chrono::seconds d) { t_ += d; }

private:
    Instant t_;
};

}  // namespace olmd
