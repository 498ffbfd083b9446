// FR-5 compare_states: fails if the normalized bill state differs from the
// normalized ship state (US states match by code or full name, FR-12).
#include "detail.hpp"
#include "olmd/jobs/fraud/normalize.hpp"

namespace olmd::jobs::fraud {

TestResult check_compare_states(const FraudOrder& o, const Rules&, bool detail) {
    std::string bill, ship;
    normalize_state_into(o.bill.state, bill);
    normalize_state_into(o.ship.state, ship);
    const bool differ = bill != ship;
    return detail::result(differ ? Outcome::fail : Outcome::pass, detail, [&] {
        return "bill state " + detail::q(o.bill.state) + " (" + bill + ")" + (differ ? " != " : " = ") +
               "ship state " + detail::q(o.ship.state) + " (" + ship + ")";
    });
}

}  // namespace olmd::jobs::fraud
