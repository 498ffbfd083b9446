// FR-2 grand_total: fails if grand_total_cents > [fraud.grand_total] threshold.
#include "detail.hpp"

namespace olmd::jobs::fraud {

TestResult check_grand_total(const FraudOrder& o, const Rules& r, bool detail) {
    if (!o.grand_total_cents)
        return detail::bad("orders.grand_total_cents", detail, "grand_total_cents is NULL");
    const Cents total = *o.grand_total_cents;
    const bool over = total > r.threshold;
    return detail::result(over ? Outcome::fail : Outcome::pass, detail, [&] {
        return "grand total " + format_cents(total) + (over ? " > " : " <= ") + "threshold " +
               format_cents(r.threshold);
    });
}

}  // namespace olmd::jobs::fraud
