// Runs the enabled fraud tests (FR-2..FR-10) over one order. FR-7 goes last: it
// may cost a lookup, which is not spent on an order already known to be bad data.
#include "olmd/jobs/fraud/ip_address.hpp"
#include "olmd/jobs/fraud/verdict.hpp"

namespace olmd::jobs::fraud {

namespace {

TestResult run_one(TestId t, const FraudOrder& o, const Rules& r, bool detail) {
    switch (t) {
        case TestId::grand_total: return check_grand_total(o, r, detail);
        case TestId::shipping_method: return check_shipping_method(o, r, detail);
        case TestId::grand_total_and_shipping_method: return check_grand_total_and_shipping_method(o, r, detail);
        case TestId::compare_states: return check_compare_states(o, r, detail);
        case TestId::international_billing: return check_international_billing(o, r, detail);
        case TestId::compare_zips: return check_compare_zips(o, r, detail);
        case TestId::avs: return check_avs(o, r, detail);
        case TestId::cvv: return check_cvv(o, r, detail);
        case TestId::ip_address: break;  // needs the locator: see evaluate()
        default: return check_blacklist(t, o, r, detail);
    }
    return {};
}

}  // namespace

Evaluation evaluate(const FraudOrder& o, const Rules& r, domain::GeoLocator* locator, bool detail) {
    Evaluation e;
    e.problem = order_problem(o);
    if (e.problem && !detail) return e;  // non-compliant whatever the tests say
    bool bad = static_cast<bool>(e.problem);
    for (int i = 0; i < kTestCount; ++i) {
        const auto t = static_cast<TestId>(i);
        if (t == TestId::ip_address || !r.on(t)) continue;
        e.ran[static_cast<std::size_t>(i)] = true;
        e.results[static_cast<std::size_t>(i)] = run_one(t, o, r, detail);
        bad = bad || e.results[static_cast<std::size_t>(i)].outcome == Outcome::bad_data;
    }
    if (r.on(TestId::ip_address)) {
        const auto i = static_cast<std::size_t>(TestId::ip_address);
        e.ran[i] = true;
        if (bad && !detail) e.results[i].outcome = Outcome::skipped;
        else e.results[i] = check_ip_address(o, r, locator, detail);
    }
    return e;
}

}  // namespace olmd::jobs::fraud
