// FR-6 international_billing: fails if the order has at least one credit_card
// payment and bill_country is not [fraud] home_country. A bill_country that is
// not a two-letter code is bad data; an empty one compares as "" (FR-12).
#include "detail.hpp"
#include "olmd/jobs/fraud/normalize.hpp"

namespace olmd::jobs::fraud {

TestResult check_international_billing(const FraudOrder& o, const Rules& r, bool detail) {
    if (!o.has_credit_card_payment)
        return detail::result(Outcome::pass, detail,
                              [] { return std::string("the order has no credit_card payment"); });
    std::string country;
    if (!normalize_country_into(o.bill.country, country))
        return detail::bad("bill_country", detail,
                           "bill_country " + detail::q(o.bill.country) + " is not a two-letter ISO country code");
    const bool foreign = country != r.home_country;
    return detail::result(foreign ? Outcome::fail : Outcome::pass, detail, [&] {
        return "credit card payment; bill country " + detail::q(country) + (foreign ? " != " : " = ") +
               "home country " + detail::q(r.home_country);
    });
}

}  // namespace olmd::jobs::fraud
