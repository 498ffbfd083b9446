#pragma once
// The fraud tests FR-2..FR-10: each one a small pure function over one order and
// the job's prepared settings, answering pass / fail / inconclusive (or bad data)
// and, when asked, the values it compared (for `olmd explain`).
// FR-7 (ip_address) needs a locator and lives in ip_address.hpp.

#include <array>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "olmd/config/config.hpp"
#include "olmd/jobs/fraud/names.hpp"

namespace olmd::jobs::fraud {

/// The fraud tests, in the order rules.md lists them: the order of names in a reason.
enum class TestId : int {
    grand_total,
    shipping_method,
    grand_total_and_shipping_method,
    compare_states,
    international_billing,
    ip_address,
    compare_zips,
    blacklist_zip,
    blacklist_city,
    blacklist_state,
    blacklist_name,
    blacklist_address,
    blacklist_email,
    avs,
    cvv,
};
inline constexpr int kTestCount = 15;

/// The test's name as it appears in history reasons ("blacklist_email").
std::string_view test_name(TestId t);
/// The rule id of rules.md the test implements ("FR-9").
std::string_view test_rule(TestId t);

/// What one test concluded about one order.
enum class Outcome {
    pass,
    fail,
    inconclusive,  ///< could not decide (FR-7 only): does not fail, the reason lists ip_unknown (note)
    deferred,      ///< FR-7 lookup error with on_error = "defer", or no remote lookup in a dry run
    bad_data,      ///< a value the test needs cannot be interpreted (rules.md "bad data")
    skipped,       ///< not evaluated (FR-7 after bad data was found; no lookup is wasted)
};

/// The outcome's word as explain prints it.
std::string_view outcome_name(Outcome o);

/// One test's answer.
struct TestResult {
    Outcome outcome = Outcome::pass;
    std::string compared;        ///< the values compared, filled only when detail is asked for
    std::string_view bad_field;  ///< the column that is bad data, with Outcome::bad_data
    /// A tag the history reason lists even when the order passes ("ip_unknown" for an
    /// inconclusive FR-7, "no_bill_country" for FR-6 without a bill country); "" for none.
    std::string_view note;
};

/// The [fraud] settings prepared once per run: flags per test, lists normalized (FR-12).
struct Rules {
    using List = std::unordered_set<std::string>;

    std::array<bool, kTestCount> enabled{};
    Cents threshold = 0;                 ///< [fraud.grand_total] threshold
    std::vector<std::string> methods;    ///< [fraud.shipping_method] methods, normalized
    std::string home_country = "US";     ///< normalized to its ISO alpha-2 code (olmd/core/country.hpp)
    config::OnError on_error = config::OnError::defer;
    List zips, cities, states, names, addresses, emails;  ///< [fraud.blacklist], normalized per kind

    /// Prepares the settings of cfg (lists normalized once here, never per order).
    static Rules from_config(const config::FraudConfig& cfg);
    /// True when the test's flag is set.
    bool on(TestId t) const { return enabled[static_cast<int>(t)]; }
};

/// FR-2: fails if the grand total is above the threshold; NULL grand total is bad data.
TestResult check_grand_total(const FraudOrder& o, const Rules& r, bool detail);
/// FR-3: fails if the shipping method is in the list (case-insensitive); an unknown method id is bad data.
TestResult check_shipping_method(const FraudOrder& o, const Rules& r, bool detail);
/// FR-4: fails if both FR-2's and FR-3's conditions hold.
TestResult check_grand_total_and_shipping_method(const FraudOrder& o, const Rules& r, bool detail);
/// FR-5: fails if the normalized bill state differs from the normalized ship state.
TestResult check_compare_states(const FraudOrder& o, const Rules& r, bool detail);
/// FR-6: fails if the order has a live card payment and the bill country (as an ISO code) is a
/// country other than the home country; no bill country passes with the note "no_bill_country".
TestResult check_international_billing(const FraudOrder& o, const Rules& r, bool detail);
/// FR-8: fails if the normalized bill zip differs from the normalized ship zip.
TestResult check_compare_zips(const FraudOrder& o, const Rules& r, bool detail);
/// FR-9: fails if the billing or shipping value is on the blacklist of `which` (a blacklist_* test).
TestResult check_blacklist(TestId which, const FraudOrder& o, const Rules& r, bool detail);
/// FR-10: fails if a live card payment of the order has avs_result 'mismatch'.
TestResult check_avs(const FraudOrder& o, const Rules& r, bool detail);
/// FR-10: fails if a live card payment of the order has cvv_result 'mismatch'.
TestResult check_cvv(const FraudOrder& o, const Rules& r, bool detail);

}  // namespace olmd::jobs::fraud
