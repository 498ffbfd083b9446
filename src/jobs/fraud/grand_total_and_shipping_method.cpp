// FR-4 grand_total_and_shipping_method: fails only if both the grand total is
// above [fraud.grand_total] threshold and the shipping method is in
// [fraud.shipping_method] methods (the two settings are shared with FR-2/FR-3,
// whether or not those tests are enabled).
#include "detail.hpp"

namespace olmd::jobs::fraud {

TestResult check_grand_total_and_shipping_method(const FraudOrder& o, const Rules& r, bool detail) {
    TestResult total = check_grand_total(o, r, detail);
    if (total.outcome == Outcome::bad_data) return total;
    TestResult method = check_shipping_method(o, r, detail);
    if (method.outcome == Outcome::bad_data) return method;
    const bool both = total.outcome == Outcome::fail && method.outcome == Outcome::fail;
    return detail::result(both ? Outcome::fail : Outcome::pass, detail,
                          [&] { return total.compared + "; " + method.compared; });
}

}  // namespace olmd::jobs::fraud
