#pragma once
// Running the enabled tests over one order, and FR-11: the resulting status and
// the history reason.

#include <array>

#include "olmd/config/config.hpp"
#include "olmd/core/error.hpp"
#include "olmd/domain/geo_locator.hpp"
#include "olmd/jobs/batch_loop.hpp"
#include "olmd/jobs/fraud/bad_data.hpp"
#include "olmd/jobs/fraud/rules.hpp"
#include "olmd/domain/catalog.hpp"

namespace olmd::jobs::fraud {

/// Every enabled test's answer for one order.
struct Evaluation {
    std::array<TestResult, kTestCount> results{};
    std::array<bool, kTestCount> ran{};  ///< the test is enabled and was evaluated (or skipped)
    OrderProblem problem;                ///< bad data in the order's own columns or its payments

    /// The answer of test t.
    const TestResult& at(TestId t) const { return results[static_cast<std::size_t>(t)]; }
    /// True when test t ran and concluded o.
    bool is(TestId t, Outcome o) const { return ran[static_cast<std::size_t>(t)] && at(t).outcome == o; }
};

/// Checks the order for bad data (order_problem), then runs every enabled test, FR-7 last.
/// Without detail, an order with bad data runs no test, and FR-7 is skipped once another test
/// found bad data (the order is non-compliant whatever the IP says, so no lookup is spent).
/// locator: null = no lookup allowed (FR-7 then defers).
Evaluation evaluate(const FraudOrder& o, const Rules& r, domain::GeoLocator* locator, bool detail);

/// The statuses FR-11 and rules.md "bad data" send orders to.
struct ResultStatuses {
    StatusId passed = 0;         ///< [fraud] passed_status
    StatusId failed = 0;         ///< [fraud] failed_status
    StatusId avs_failed = 0;     ///< [fraud.avs] failed_status, default failed
    StatusId cvv_failed = 0;     ///< [fraud.cvv] failed_status, default failed
    StatusId non_compliant = 0;  ///< [orders] non_compliant_status (bad data)

    /// Resolves the configured names; an Error names one the database does not have.
    static Result<ResultStatuses> resolve(const config::Config& cfg, const domain::Catalog& catalog);
};

/// FR-11. Bad data -> non_compliant, reason "bad_data:<field>" for the order's own problem, else
/// "bad_data:<fields>" of the tests that found it. A deferred FR-7 -> no
/// transition (deferred). Any failed test but avs/cvv -> failed; else cvv -> cvv_failed; else
/// avs -> avs_failed; reason "fraud_failed:<every failed test, in rules.md order>". Else passed,
/// reason "fraud_passed". The tests' notes follow the failed tests in the reason's list, in
/// rules.md order — "no_bill_country" (FR-6 without a bill country) and "ip_unknown" (an
/// inconclusive FR-7): "fraud_failed:grand_total,ip_unknown", or "fraud_passed:ip_unknown" /
/// "fraud_passed:no_bill_country,ip_unknown" for a passing order (so the history shows which
/// passes were not geolocated, or had no bill country to judge).
OrderDecision decide(const Evaluation& e, const ResultStatuses& s);

}  // namespace olmd::jobs::fraud
