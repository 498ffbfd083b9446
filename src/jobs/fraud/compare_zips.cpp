// FR-8 compare_zips: fails if the normalized bill zip differs from the
// normalized ship zip (US ZIP+4 compares on its first five digits, FR-12).
#include "detail.hpp"
#include "olmd/jobs/fraud/normalize.hpp"

namespace olmd::jobs::fraud {

TestResult check_compare_zips(const FraudOrder& o, const Rules&, bool detail) {
    std::string bill, ship;
    normalize_zip_into(o.bill.zip, bill);
    normalize_zip_into(o.ship.zip, ship);
    const bool differ = bill != ship;
    return detail::result(differ ? Outcome::fail : Outcome::pass, detail, [&] {
        return "bill zip " + detail::q(o.bill.zip) + " (" + bill + ")" + (differ ? " != " : " = ") + "ship zip " +
               detail::q(o.ship.zip) + " (" + ship + ")";
    });
}

}  // namespace olmd::jobs::fraud
