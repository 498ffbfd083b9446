// FR-12: US states match by two-letter code or full name ("NY" = "New York").
// The table covers the 50 states, the District of Columbia, the inhabited
// territories and the armed-forces "states" USPS uses.
#include <array>
#include <string_view>

#include "olmd/jobs/fraud/normalize.hpp"

namespace olmd::jobs::fraud {

namespace {

struct StateName {
    std::string_view code;
    std::string_view name;   ///< display name
    std::string_view upper;  ///< normalized (upper-case) name, what the lookup compares
};

constexpr std::array<StateName, 65> kStates{{
    {"AL", "Alabama", "ALABAMA"},
    {"AK", "Alaska", "ALASKA"},
    {"AZ", "Arizona", "ARIZONA"},
    {"AR", "Arkansas", "ARKANSAS"},
    {"CA", "California", "CALIFORNIA"},
    {"CO", "Colorado", "COLORADO"},
    {"CT", "Connecticut", "CONNECTICUT"},
    {"DE", "Delaware", "DELAWARE"},
    {"DC", "District of Columbia", "DISTRICT OF COLUMBIA"},
    {"DC", "Washington DC", "WASHINGTON DC"},
    {"DC", "Washington D.C.", "WASHINGTON D.C."},
    {"FL", "Florida", "FLORIDA"},
    {"GA", "Georgia", "GEORGIA"},
    {"HI", "Hawaii", "HAWAII"},
    {"ID", "Idaho", "IDAHO"},
    {"IL", "Illinois", "ILLINOIS"},
    {"IN", "Indiana", "INDIANA"},
    {"IA", "Iowa", "IOWA"},
    {"KS", "Kansas", "KANSAS"},
    {"KY", "Kentucky", "KENTUCKY"},
    {"LA", "Louisiana", "LOUISIANA"},
    {"ME", "Maine", "MAINE"},
    {"MD", "Maryland", "MARYLAND"},
    {"MA", "Massachusetts", "MASSACHUSETTS"},
    {"MI", "Michigan", "MICHIGAN"},
    {"MN", "Minnesota", "MINNESOTA"},
    {"MS", "Mississippi", "MISSISSIPPI"},
    {"MO", "Missouri", "MISSOURI"},
    {"MT", "Montana", "MONTANA"},
    {"NE", "Nebraska", "NEBRASKA"},
    {"NV", "Nevada", "NEVADA"},
    {"NH", "New Hampshire", "NEW HAMPSHIRE"},
    {"NJ", "New Jersey", "NEW JERSEY"},
    {"NM", "New Mexico", "NEW MEXICO"},
    {"NY", "New York", "NEW YORK"},
    {"NC", "North Carolina", "NORTH CAROLINA"},
    {"ND", "North Dakota", "NORTH DAKOTA"},
    {"OH", "Ohio", "OHIO"},
    {"OK", "Oklahoma", "OKLAHOMA"},
    {"OR", "Oregon", "OREGON"},
    {"PA", "Pennsylvania", "PENNSYLVANIA"},
    {"RI", "Rhode Island", "RHODE ISLAND"},
    {"SC", "South Carolina", "SOUTH CAROLINA"},
    {"SD", "South Dakota", "SOUTH DAKOTA"},
    {"TN", "Tennessee", "TENNESSEE"},
    {"TX", "Texas", "TEXAS"},
    {"UT", "Utah", "UTAH"},
    {"VT", "Vermont", "VERMONT"},
    {"VA", "Virginia", "VIRGINIA"},
    {"WA", "Washington", "WASHINGTON"},
    {"WV", "West Virginia", "WEST VIRGINIA"},
    {"WI", "Wisconsin", "WISCONSIN"},
    {"WY", "Wyoming", "WYOMING"},
    // Territories.
    {"AS", "American Samoa", "AMERICAN SAMOA"},
    {"GU", "Guam", "GUAM"},
    {"MP", "Northern Mariana Islands", "NORTHERN MARIANA ISLANDS"},
    {"PR", "Puerto Rico", "PUERTO RICO"},
    {"VI", "U.S. Virgin Islands", "U.S. VIRGIN ISLANDS"},
    {"VI", "US Virgin Islands", "US VIRGIN ISLANDS"},
    {"VI", "Virgin Islands", "VIRGIN ISLANDS"},
    {"UM", "U.S. Minor Outlying Islands", "U.S. MINOR OUTLYING ISLANDS"},
    {"UM", "US Minor Outlying Islands", "US MINOR OUTLYING ISLANDS"},
    // Military mail.
    {"AA", "Armed Forces Americas", "ARMED FORCES AMERICAS"},
    {"AE", "Armed Forces Europe", "ARMED FORCES EUROPE"},
    {"AP", "Armed Forces Pacific", "ARMED FORCES PACIFIC"},
}};

}  // namespace

std::string_view us_state_code(std::string_view normalized_name) {
    for (const auto& s : kStates)
        if (s.upper == normalized_name) return s.code;
    return {};
}

std::string_view us_state_name(std::string_view code) {
    const std::string folded = normalize(code);
    for (const auto& s : kStates)
        if (s.code == folded) return s.name;
    return {};
}

}  // namespace olmd::jobs::fraud
