// FR-6 international_billing: fails if the order has at least one live card
// payment (credit_card, authorized or captured) and its bill country is a
// country other than [fraud] home_country. Countries compare as ISO alpha-2
// codes (olmd/core/country.hpp); a value that is no country is compared as
// written. No bill country is not international: the test passes and the
// reason lists no_bill_country — only when a live card payment made the
// country matter (without one the test passes whatever the country).
#include "detail.hpp"
#include "olmd/core/country.hpp"

namespace olmd::jobs::fraud {

TestResult check_international_billing(const FraudOrder& o, const Rules& r, bool detail) {
    if (!o.has_live_card_payment)
        return detail::result(Outcome::pass, detail, [] {
            return std::string("the order has no live card payment (credit_card authorized or captured)");
        });
    const std::string country = country_code(o.bill.country);
    if (country.empty()) {
        TestResult t = detail::result(Outcome::pass, detail, [] {
            return std::string("live card payment; no bill country (not international)");
        });
        t.note = "no_bill_country";
        return t;
    }
    const bool foreign = country != r.home_country;
    return detail::result(foreign ? Outcome::fail : Outcome::pass, detail, [&] {
        return "live card payment; bill country " + detail::q(o.bill.country) + " (" + country + ")" +
               (foreign ? " != " : " = ") + "home country " + detail::q(r.home_country);
    });
}

}  // namespace olmd::jobs::fraud
