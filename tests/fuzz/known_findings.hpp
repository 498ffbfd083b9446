#pragma once
// Open findings of the fuzzers in code this branch does not own (README "Fuzzing" has the
// reproducers, in tests/fuzz/findings/). While a flag is true the targets step around that
// one bug so fuzzing can go on past it; whoever fixes the bug sets its flag to false (then
// deletes it), and moves its reproducers into tests/fuzz/corpus/ so the replay keeps them.

namespace olmd::fuzz::known {

/// F1 src/config/schedule_spec.cpp: parse_slot reads the hour with std::from_chars, which takes
/// a minus sign, so "-1:00" is accepted as minute -60 and "-0:30" as 00:30 (SCH-1).
inline constexpr bool kF1SignedSlot = false;  // fixed on main (2026-12-02)

/// F2 src/config/read_general.cpp: upper bounds of config.md not enforced: catch_up_hours 0..720,
/// busy_timeout_ms 0..600000, run_retention_days 1..3650, warning_timeout_minutes <= 10080,
/// [gateway] concurrency 1..256 (e.g. warning_timeout_minutes = 1e18 loads without an error).
inline constexpr bool kF2SpecUpperBounds = false;  // fixed on main (2026-12-02)

/// F3 src/config: a cron that can never fire ("0 0 30 2 *") loads without the error config.md asks for.
inline constexpr bool kF3NeverFiringCron = false;  // fixed on main (2026-12-02)

/// F4 src/config/schedule_spec.cpp CronSpec::day_matches: a day field written "*/n" counts as
/// unrestricted and its bits are ignored, so "0 0 */2 * *" fires every day (Vixie cron: odd days).
inline constexpr bool kF4CronStarStep = false;  // fixed on main (2026-12-02)

/// F5 src/gateway/stripe_amounts.cpp from_stripe_amount: amount * 100 for a zero-decimal currency
/// (jpy, krw, ...) overflows, undefined behaviour, when Stripe's answer reports an amount past
/// INT64_MAX / 100 (UBSan: signed integer overflow).
inline constexpr bool kF5StripeAmountOverflow = false;  // fixed on main (2026-12-02)

}  // namespace olmd::fuzz::known
