#pragma once
// The syntax of a job's schedule (SCH-1): half-hour slots or a five-field cron
// expression. Parsing lives here so check-config can validate it; turning a
// schedule into fire times is the schedule module's work.

#include <bitset>
#include <string>
#include <string_view>
#include <vector>

#include "olmd/core/error.hpp"

namespace olmd::config {

/// A parsed five-field cron expression (minute hour day-of-month month day-of-week).
struct CronSpec {
    std::bitset<60> minutes;
    std::bitset<24> hours;
    std::bitset<32> days_of_month;   ///< bits 1..31
    std::bitset<13> months;          ///< bits 1..12
    std::bitset<7> days_of_week;     ///< bit 0 = Sunday
    bool dom_restricted = false;     ///< day-of-month field was not "*"
    bool dow_restricted = false;     ///< day-of-week field was not "*"
    std::string text;                ///< the expression as written

    /// Vixie-cron day rule: when both day fields are restricted either may match.
    bool day_matches(unsigned dom, unsigned month, unsigned dow) const;
};

/// Parses a cron expression; the error names the field, its 1-based column and what is allowed.
Result<CronSpec> parse_cron(std::string_view text);

/// Parses one slot "HH:00"/"HH:30" into minutes after midnight (0..1410).
Result<int> parse_slot(std::string_view text);

/// Expands a slot list ("*" = all 48) into sorted, unique minutes after midnight.
Result<std::vector<int>> parse_slots(const std::vector<std::string>& slots);

}  // namespace olmd::config
